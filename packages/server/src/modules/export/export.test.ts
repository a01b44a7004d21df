/**
 * Export of my data through the real server on every dialect: the request answers with a
 * link that works once the job has built the zip, without a session and for nobody's data
 * but mine; its JSON validates against the documented schemas (protocol/src/export.ts) and
 * holds my profile, chats, messages (edited and deleted ones too), reactions and the file I
 * uploaded, byte for byte, and the pictures of the custom emoji my messages and reactions name.
 */
import { randomBytes } from 'node:crypto';
import { ExportChats, ExportManifest, ExportMessages, ExportProfile, ExportReactions } from '@parley/protocol';
import type { TSchema } from '@sinclair/typebox';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { bodyAjv } from '../../http/validation.js';
import { DIALECTS } from '../../test/dialects.js';
import { expectApiError } from '../../test/expect-error.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';
import { uploadFile } from '../../test/tus-upload.js';

let n = 0;
const cid = () => `ex${Date.now().toString(36)}${(n++).toString(36)}`;

/** Every entry of a zip, by name. */
function unzip(buffer: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const entries = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

function expectValid(schema: TSchema, value: unknown, name: string) {
  const validate = bodyAjv.compile(schema);
  expect(validate(value) ? [] : validate.errors, name).toEqual([]);
}

for (const dialect of DIALECTS) {
  describe(`export of my data on ${dialect}`, () => {
    let ts: TestServer;
    beforeAll(async () => {
      ts = await startTestServer(dialect, { JOBS_POLL_MS: '100' });
    });
    afterAll(async () => {
      await ts?.close();
    });

    it('builds a zip of my profile, chats, messages, reactions and files, valid against the schemas, behind an expiring link', {
      timeout: 60_000,
    }, async () => {
      const me = await signUp(ts, 'exporter');
      const other = await signUp(ts, 'other');
      const group = await me.client.chats.create({ kind: 'group', name: 'Exported group', memberIds: [other.user.id] });
      const direct = await me.client.chats.openDirect(other.user.id);
      const bytes = randomBytes(5000);
      const fileId = await uploadFile({ baseUrl: ts.url, token: me.token }, bytes, { filename: 'notes.bin' });
      const withFile = await me.client.messages.send(group.id, { clientId: cid(), text: 'with a file', attachments: [fileId] });
      const edited = await me.client.messages.send(direct.id, { clientId: cid(), text: 'first draft' });
      await me.client.messages.edit(direct.id, edited.id, 'final words');
      const gone = await me.client.messages.send(direct.id, { clientId: cid(), text: 'oops' });
      await me.client.messages.delete(direct.id, gone.id);
      const theirs = await other.client.messages.send(group.id, { clientId: cid(), text: 'their message' });
      await me.client.messages.react(group.id, theirs.id, '🎉');

      const requested = await me.client.http.request<{ id: string; status: string; downloadUrl: string }>(
        'POST',
        '/api/v1/users/me/exports',
      );
      expect(requested.status).toBe('pending');
      expect(requested.downloadUrl).toMatch(/^\/api\/v1\/exports\/[A-Za-z0-9_-]{40,}$/);

      // The link needs no session; it answers 409 until the job has built the archive.
      let response = await fetch(`${ts.url}${requested.downloadUrl}`);
      for (let i = 0; i < 200 && response.status === 409; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        response = await fetch(`${ts.url}${requested.downloadUrl}`);
      }
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/zip');
      expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="parley-export-\d{4}-\d{2}-\d{2}\.zip"$/);
      const entries = await unzip(Buffer.from(await response.arrayBuffer()));
      const read = (name: string) => JSON.parse(entries.get(name)?.toString('utf8') ?? 'null') as unknown;

      const [profile, chats, messages, reactions, manifest] = ['profile', 'chats', 'messages', 'reactions', 'manifest'].map((name) =>
        read(`${name}.json`),
      );
      expectValid(ExportProfile, profile, 'profile.json');
      expectValid(ExportChats, chats, 'chats.json');
      expectValid(ExportMessages, messages, 'messages.json');
      expectValid(ExportReactions, reactions, 'reactions.json');
      expectValid(ExportManifest, manifest, 'manifest.json');

      expect(profile).toMatchObject({ id: me.user.id, username: me.user.username, email: me.user.email });
      expect((chats as Array<{ id: string }>).map((c) => c.id).sort()).toEqual([group.id, direct.id].sort());
      const mine = messages as Array<{ id: string; text: string; deleted: boolean; editedAt: string | null; attachments: string[] }>;
      expect(mine.map((m) => m.id).sort()).toEqual([withFile.id, edited.id, gone.id].sort());
      expect(mine.find((m) => m.id === edited.id)).toMatchObject({ text: 'final words', deleted: false, editedAt: expect.any(String) });
      expect(mine.find((m) => m.id === gone.id)).toMatchObject({ text: '', deleted: true });
      expect(mine.find((m) => m.id === withFile.id)?.attachments).toEqual([fileId]);
      expect(mine.some((m) => m.text === 'their message')).toBe(false);
      expect(reactions).toEqual([expect.objectContaining({ messageId: theirs.id, chatId: group.id, emoji: '🎉' })]);
      const listed = (manifest as { files: Array<{ id: string; path: string; size: number }> }).files;
      expect(listed).toEqual([expect.objectContaining({ id: fileId, name: 'notes.bin', size: 5000 })]);
      expect(entries.get(listed[0]?.path ?? '')?.equals(bytes)).toBe(true);

      const exports = await me.client.http.request<{
        items: Array<{ id: string; status: string; downloadUrl: string | null; expiresAt: string }>;
      }>('GET', '/api/v1/users/me/exports');
      expect(exports.items[0]).toMatchObject({ id: requested.id, status: 'ready', downloadUrl: null });
      expect(Date.parse(exports.items[0]?.expiresAt ?? '') - Date.now()).toBeGreaterThan(71 * 3_600_000);
      // Someone else's export list is their own; a guessed link is nothing.
      expect((await other.client.http.request<{ items: unknown[] }>('GET', '/api/v1/users/me/exports')).items).toEqual([]);
      expect((await fetch(`${ts.url}/api/v1/exports/${'x'.repeat(43)}`)).status).toBe(404);

      // Once the link has expired it answers like a missing one.
      await ts.server.storage.db
        .updateTable('data_exports')
        .set({ expires_at: Date.now() - 1 })
        .where('id', '=', requested.id)
        .execute();
      expect((await fetch(`${ts.url}${requested.downloadUrl}`)).status).toBe(404);
      await expectApiError(ts.client().http.request('POST', '/api/v1/users/me/exports'), 'unauthenticated', 401);
    });

    it('includes the pictures of the custom emoji my messages and reactions name — and no other emoji of the server', {
      timeout: 60_000,
    }, async () => {
      const me = await signUp(ts, 'emojier');
      const other = await signUp(ts, 'emother');
      // Adding emoji is for server admins (tested in custom-emoji.test.ts); this one is made one directly.
      await ts.server.storage.db.updateTable('users').set({ server_role: 'admin' }).where('id', '=', me.user.id).execute();
      const picture = (background: string) =>
        sharp({ create: { width: 64, height: 64, channels: 4, background } })
          .png()
          .toBuffer();
      const addEmoji = async (shortName: string, background: string) =>
        me.client.emoji.create({
          shortName,
          fileId: await uploadFile({ baseUrl: ts.url, token: me.token }, await picture(background), { filename: 'e.png' }),
        });
      const [party, reacted, unused, deletedText] = [cid(), cid(), cid(), cid()];
      const partyEmoji = await addEmoji(party, '#e76f51');
      const reactedEmoji = await addEmoji(reacted, '#2a9d8f');
      await addEmoji(unused, '#264653');
      await addEmoji(deletedText, '#e9c46a');
      const group = await me.client.chats.create({ kind: 'group', name: 'Emoji group', memberIds: [other.user.id] });
      await me.client.messages.send(group.id, { clientId: cid(), text: `party time :${party}: and :nosuch: too` });
      const gone = await me.client.messages.send(group.id, { clientId: cid(), text: `never mind :${deletedText}:` });
      await me.client.messages.delete(group.id, gone.id);
      // Someone else's message naming an emoji is not mine to export; my reaction on it is.
      const theirs = await other.client.messages.send(group.id, { clientId: cid(), text: `their :${unused}:` });
      await me.client.messages.react(group.id, theirs.id, `:${reacted}:`);

      const { downloadUrl } = await me.client.http.request<{ downloadUrl: string }>('POST', '/api/v1/users/me/exports');
      let response = await fetch(`${ts.url}${downloadUrl}`);
      for (let i = 0; i < 200 && response.status === 409; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        response = await fetch(`${ts.url}${downloadUrl}`);
      }
      expect(response.status).toBe(200);
      const entries = await unzip(Buffer.from(await response.arrayBuffer()));
      const manifest = JSON.parse(entries.get('manifest.json')?.toString('utf8') ?? 'null') as {
        emoji: Array<{ shortName: string; animated: boolean; path: string }>;
      };
      expectValid(ExportManifest, manifest, 'manifest.json');
      expect(manifest.emoji).toEqual(
        [
          { shortName: party, animated: false, path: `emoji/${party}.webp` },
          { shortName: reacted, animated: false, path: `emoji/${reacted}.webp` },
        ].sort((a, b) => a.shortName.localeCompare(b.shortName)),
      );
      // Byte for byte the picture the server serves.
      for (const emoji of [partyEmoji, reactedEmoji]) {
        const served = await fetch(`${ts.url}/api/v1/emoji/${emoji.id}/image`, { headers: { authorization: `Bearer ${me.token}` } });
        expect(entries.get(`emoji/${emoji.shortName}.webp`)?.equals(Buffer.from(await served.arrayBuffer())), emoji.shortName).toBe(true);
      }
      expect([...entries.keys()].filter((name) => name.startsWith('emoji/')).length).toBe(2);
    });
  });
}
