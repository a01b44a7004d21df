/**
 * Custom emoji (E19) through a real server and real sockets on every dialect: an admin adds
 * one from an uploaded picture (judged an image by its bytes, resized to a 128 px WebP,
 * served by us), everyone signed in hears of each change at once, `:name:` works as a
 * reaction only for an emoji that exists, a rename carries reactions along, and the rules:
 * only admins add — unless the server lets everyone — and only admins rename and delete.
 * A push about a message keeps `:name:` as written (plain text; apps draw the picture).
 */
import type { CustomEmoji, EmojiUpdated, EventFrame } from '@parley/protocol';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { expectApiError } from '../../test/expect-error.js';
import { type PushEndpoint, startPushEndpoint } from '../../test/push-endpoint.js';
import { connectDevice } from '../../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';
import { uploadFile } from '../../test/tus-upload.js';

const emojiEvents = (events: EventFrame[]) => events.filter((f) => f.event === 'emoji.updated').map((f) => f.data as EmojiUpdated);

for (const dialect of DIALECTS) {
  describe(`custom emoji on ${dialect}`, () => {
    let ts: TestServer;
    let admin: Awaited<ReturnType<typeof signUp>>;
    let pushService: PushEndpoint;
    let n = 0;
    const uniqueName = (base: string) => {
      n += 1;
      return `${base}_${dialect.slice(0, 2)}${n}`;
    };
    const picture = (size = 512, color = '#e9c46a') =>
      sharp({ create: { width: size, height: size, channels: 4, background: color } })
        .png()
        .toBuffer();

    beforeAll(async () => {
      pushService = await startPushEndpoint();
      // Pushes go out from jobs, and only to someone with no socket open.
      ts = await startTestServer(dialect, { JOBS_POLL_MS: '50', PRESENCE_GRACE_MS: '0', VAPID_SUBJECT: 'mailto:ops@example.org' });
      // The first account of a fresh server is its admin.
      admin = await signUp(ts, 'emadmin');
    });
    afterAll(async () => {
      await ts.close();
      await pushService.close();
    });

    const upload = async (who: { token: string }, bytes: Buffer, filename = 'emoji.png') =>
      uploadFile({ baseUrl: ts.url, token: who.token }, bytes, { filename, purpose: 'attachment' });

    async function addEmoji(shortName: string): Promise<CustomEmoji> {
      return admin.client.emoji.create({ shortName, fileId: await upload(admin, await picture()) });
    }

    it('an admin adds one from an uploaded picture: a 128 px WebP served by us, listed, heard live by everyone signed in', async () => {
      const bob = await signUp(ts, 'embob');
      const bobDevice = await connectDevice(ts.url, bob.token);
      try {
        const fileId = await upload(admin, await picture(512));
        const shortName = uniqueName('party');
        const emoji = await admin.client.emoji.create({ shortName, fileId });
        expect(emoji).toMatchObject({ shortName, animated: false, createdBy: admin.user.id });
        const heard = await bobDevice.waitFor((f) => f.event === 'emoji.updated' && (f.data as EmojiUpdated).id === emoji.id);
        expect(heard.data).toEqual({ id: emoji.id, emoji });

        const image = await fetch(`${ts.url}/api/v1/emoji/${emoji.id}/image`, { headers: { authorization: `Bearer ${bob.token}` } });
        expect(image.status).toBe(200);
        expect(image.headers.get('content-type')).toBe('image/webp');
        const meta = await sharp(Buffer.from(await image.arrayBuffer())).metadata();
        expect([meta.format, meta.width, meta.height]).toEqual(['webp', 128, 128]);
        expect((await fetch(`${ts.url}/api/v1/emoji/${emoji.id}/image`)).status).toBe(401);

        const list = await bob.client.emoji.list();
        expect(list.items).toContainEqual(emoji);
        expect({ canAdd: list.canAdd, canManage: list.canManage }).toEqual({ canAdd: false, canManage: false });
        expect(await bobDevice.rt.call('emoji.list')).toMatchObject({ items: expect.arrayContaining([emoji]) });
        // The upload it was made from is gone; the emoji keeps its own copy.
        expect((await fetch(`${ts.url}/api/v1/files/${fileId}/info`, { headers: { authorization: `Bearer ${admin.token}` } })).status).toBe(
          404,
        );
      } finally {
        bobDevice.close();
      }
    });

    it('in text and reactions: :name: of an emoji that exists is a reaction like any other; an unknown one is refused; outsiders get 404', async () => {
      const ann = await signUp(ts, 'emann');
      const bob = await signUp(ts, 'embob2');
      const group = await ann.client.chats.create({ kind: 'group', name: 'Emoji fans', memberIds: [bob.user.id] });
      const emoji = await addEmoji(uniqueName('parrot'));
      const code = `:${emoji.shortName}:`;
      const sent = await ann.client.messages.send(group.id, { clientId: `em-${n}`, text: `hello ${code} there` });
      expect(sent.text).toBe(`hello ${code} there`);

      const bobDevice = await connectDevice(ts.url, bob.token);
      try {
        const reacted = await bob.client.messages.react(group.id, sent.id, code);
        expect(reacted.reactions).toEqual([{ emoji: code, count: 1, userIds: [bob.user.id] }]);
        const { items } = await ann.client.messages.history(group.id);
        expect(items.find((m) => m.id === sent.id)?.reactions).toEqual([{ emoji: code, count: 1, userIds: [bob.user.id] }]);
        await bobDevice.rt.call('reaction.add', { chatId: group.id, messageId: sent.id, emoji: '👍' });
        const unknown = await expectApiError(bob.client.messages.react(group.id, sent.id, ':no_such_emoji:'), 'emoji_not_found', 404);
        expect(unknown.details).toMatchObject({ field: 'emoji' });
        await expect(
          bobDevice.rt.call('reaction.add', { chatId: group.id, messageId: sent.id, emoji: ':no_such_emoji:' }),
        ).rejects.toMatchObject({
          code: 'emoji_not_found',
        });
        const outsider = await signUp(ts, 'emout');
        await expectApiError(outsider.client.messages.react(group.id, sent.id, code), 'chat_not_found', 404);
      } finally {
        bobDevice.close();
      }
    });

    it('a push about a message naming an emoji says :name: as written: plain text, where a picture cannot show', async () => {
      const erin = await signUp(ts, 'emerin');
      await erin.client.notifications.subscribePush({ ...pushService.subscribe(`erin-${dialect}`), deviceName: 'Erin’s phone' });
      const emoji = await addEmoji(uniqueName('tada'));
      const direct = await admin.client.chats.openDirect(erin.user.id);
      await admin.client.messages.send(direct.id, { clientId: `em-push-${n}`, text: `we shipped :${emoji.shortName}:` });
      const push = await pushService.next(`erin-${dialect}`);
      expect(push.payload).toMatchObject({ type: 'message', chatId: direct.id, body: `we shipped :${emoji.shortName}:` });
    });

    it('only admins add, unless the server lets everyone; only admins rename (reactions follow) and delete', async () => {
      const carol = await signUp(ts, 'emcarol');
      const dave = await signUp(ts, 'emdave');
      const group = await carol.client.chats.create({ kind: 'group', name: 'Renames', memberIds: [dave.user.id] });
      const carolFile = await upload(carol, await picture(64, '#264653'));
      await expectApiError(carol.client.emoji.create({ shortName: uniqueName('mine'), fileId: carolFile }), 'forbidden', 403);

      await admin.client.admin.updateSettings({ customEmojiUploads: 'everyone' });
      try {
        expect((await carol.client.emoji.list()).canAdd).toBe(true);
        const mine = await carol.client.emoji.create({ shortName: uniqueName('mine'), fileId: carolFile });
        await expectApiError(carol.client.emoji.rename(mine.id, { shortName: uniqueName('other') }), 'forbidden', 403);
        await expectApiError(carol.client.emoji.delete(mine.id), 'forbidden', 403);

        const message = await carol.client.messages.send(group.id, { clientId: `em-r${n}`, text: 'rename me' });
        await dave.client.messages.react(group.id, message.id, `:${mine.shortName}:`);
        const renamed = await admin.client.emoji.rename(mine.id, { shortName: uniqueName('renamed') });
        const { items } = await carol.client.messages.history(group.id);
        expect(items.find((m) => m.id === message.id)?.reactions.map((r) => r.emoji)).toEqual([`:${renamed.shortName}:`]);

        const carolDevice = await connectDevice(ts.url, carol.token);
        try {
          await admin.client.emoji.delete(mine.id);
          await carolDevice.waitFor((f) => f.event === 'emoji.updated' && (f.data as EmojiUpdated).emoji === null);
          expect(emojiEvents(carolDevice.events)).toEqual([{ id: mine.id, emoji: null }]);
        } finally {
          carolDevice.close();
        }
        expect((await carol.client.emoji.list()).items.map((e) => e.id)).not.toContain(mine.id);
        await expectApiError(admin.client.emoji.delete(mine.id), 'emoji_not_found', 404);
      } finally {
        await admin.client.admin.updateSettings({ customEmojiUploads: 'admins' });
      }
      await expectApiError(
        carol.client.emoji.create({ shortName: uniqueName('again'), fileId: await upload(carol, await picture(64)) }),
        'forbidden',
        403,
      );
    });

    it('bad input answers with a code naming the problem', async () => {
      const taken = await addEmoji(uniqueName('taken'));
      await expectApiError(
        admin.client.emoji.create({ shortName: taken.shortName, fileId: await upload(admin, await picture()) }),
        'emoji_name_taken',
        409,
      );
      const text = await upload(admin, Buffer.from('just some text, not a picture'), 'notes.txt');
      const notImage = await expectApiError(
        admin.client.emoji.create({ shortName: uniqueName('text'), fileId: text }),
        'validation_failed',
        400,
      );
      expect(notImage.details).toMatchObject({ field: 'fileId', rule: 'image' });
      const bad = await expectApiError(admin.client.emoji.create({ shortName: 'Has Spaces', fileId: text }), 'validation_failed', 400);
      expect(bad.details).toMatchObject({ field: 'shortName' });
      const other = await signUp(ts, 'emother');
      const theirs = await upload(other, await picture());
      await expectApiError(admin.client.emoji.create({ shortName: uniqueName('theirs'), fileId: theirs }), 'file_not_found', 404);
      await expectApiError(
        admin.client.emoji.rename('01900000-0000-7000-8000-000000000000', { shortName: 'nope' }),
        'emoji_not_found',
        404,
      );
    });
  });
}
