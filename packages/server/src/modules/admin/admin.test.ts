/**
 * The admin console through the real server on every dialect: the first account is the
 * admin, suspension ends sessions and sockets at once, rooms are archived, handed over and
 * deleted, moderators remove messages and members in public rooms, sign-up follows the
 * stored settings and invites, stats count what happened, and every action is audited.
 */
import { CLOSE_CODES } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { expectApiError } from '../../test/expect-error.js';
import { connectDevice, rawSocket } from '../../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';
import { createUpload } from '../../test/tus-upload.js';

let n = 0;
const cid = () => `adm${Date.now().toString(36)}${(n++).toString(36)}`;

for (const dialect of DIALECTS) {
  describe(`admin console on ${dialect}`, () => {
    let ts: TestServer;
    let admin: Awaited<ReturnType<typeof signUp>>;
    let moderator: Awaited<ReturnType<typeof signUp>>;

    beforeAll(async () => {
      ts = await startTestServer(dialect);
      admin = await signUp(ts, 'first');
      moderator = await signUp(ts, 'moder');
      await admin.client.admin.setRole(moderator.user.id, 'moderator');
    });
    afterAll(async () => {
      await ts.close();
    });

    it('makes the first account of a fresh server its admin, and later ones plain users', async () => {
      expect((await admin.client.users.me()).role).toBe('admin');
      const later = await signUp(ts, 'later');
      expect(later.user.role).toBe('user');
      expect((await moderator.client.users.me()).role).toBe('moderator');
    });

    it('ends every session and socket of a suspended person at once, refuses their sign-in with the reason, and lets them back when lifted', async () => {
      const target = await signUp(ts, 'suspect');
      const second = await ts.client().auth.login({ login: target.user.username, password: target.password });
      const socket = await rawSocket(ts.url);
      socket.send(JSON.stringify({ id: 'h', cmd: 'hello', params: { token: second.token } }));
      await socket.reply('h');

      const suspended = await moderator.client.admin.suspend(target.user.id, 'Spamming the lobby');
      expect(suspended).toMatchObject({ suspended: true, suspendedReason: 'Spamming the lobby', sessions: 0 });
      expect((await socket.whenClosed).code).toBe(CLOSE_CODES.sessionEnded);
      await expectApiError(target.client.users.me(), 'unauthenticated', 401);
      const refused = await expectApiError(
        ts.client().auth.login({ login: target.user.username, password: target.password }),
        'account_suspended',
        403,
      );
      expect(refused.details).toMatchObject({ reason: 'Spamming the lobby' });

      await moderator.client.admin.unsuspend(target.user.id);
      const back = await ts.client().auth.login({ login: target.user.username, password: target.password });
      expect(back.user.id).toBe(target.user.id);

      const log = await admin.client.admin.audit({ action: 'user.suspend' });
      expect(log.items[0]).toMatchObject({
        actorId: moderator.user.id,
        actorName: moderator.user.username,
        action: 'user.suspend',
        targetType: 'user',
        targetId: target.user.id,
        ip: '127.0.0.1',
        details: { reason: 'Spamming the lobby', sessionsEnded: 2 },
      });
    });

    it('lets a moderator suspend plain users only, and nobody suspend themself', async () => {
      await expectApiError(moderator.client.admin.suspend(admin.user.id, 'no'), 'forbidden', 403);
      await expectApiError(admin.client.admin.suspend(admin.user.id, 'no'), 'forbidden', 403);
      await expectApiError(moderator.client.admin.suspend('01900000-0000-7000-8000-000000000000', 'x'), 'user_not_found', 404);
    });

    it('resets sessions, changes roles and deletes accounts (admins), closing the sockets of the reset', async () => {
      const target = await signUp(ts, 'resetme');
      const device = await connectDevice(ts.url, target.token);
      const closed = new Promise<number | undefined>((resolve) =>
        device.rt.onState((state, detail) => {
          if (state === 'closed') resolve(detail?.code);
        }),
      );
      await admin.client.admin.resetSessions(target.user.id);
      expect(await closed).toBe(CLOSE_CODES.sessionEnded);
      await expectApiError(target.client.users.me(), 'unauthenticated', 401);

      await expectApiError(moderator.client.admin.setRole(target.user.id, 'admin'), 'forbidden', 403);
      expect((await admin.client.admin.setRole(target.user.id, 'moderator')).role).toBe('moderator');
      await admin.client.admin.deleteUser(target.user.id);
      expect(await admin.client.admin.user(target.user.id)).toMatchObject({ deleted: true, displayName: 'Deleted user' });
      await expectApiError(ts.client().auth.login({ login: target.user.username, password: target.password }), 'invalid_credentials');
    });

    it('archives a room (read-only, out of the directory), hands it to a new owner and deletes it, members told live', async () => {
      const owner = await signUp(ts, 'roomowner');
      const member = await signUp(ts, 'roommember');
      const handle = `lobby${Date.now().toString(36)}`;
      const room = await owner.client.chats.create({ kind: 'room', name: 'Lobby Admin', handle, memberIds: [member.user.id] });
      const watching = await connectDevice(ts.url, member.token);

      const archived = await admin.client.admin.updateRoom(room.id, { archived: true, retentionDays: 30 });
      expect(archived).toMatchObject({ archived: true, retentionDays: 30, ownerId: owner.user.id, memberCount: 2 });
      await expectApiError(member.client.messages.send(room.id, { clientId: cid(), text: 'hello?' }), 'forbidden', 403);
      const directory = await member.client.chats.rooms({ q: handle });
      expect(directory.items.map((r) => r.id)).not.toContain(room.id);
      await admin.client.admin.updateRoom(room.id, { archived: false });
      await member.client.messages.send(room.id, { clientId: cid(), text: 'open again' });

      const moved = await admin.client.admin.updateRoom(room.id, { ownerId: member.user.id });
      expect(moved).toMatchObject({ ownerId: member.user.id, ownerUsername: member.user.username });
      expect((await member.client.chats.members(room.id)).items.find((m) => m.user.id === member.user.id)?.role).toBe('owner');

      const listed = await moderator.client.admin.rooms({ q: 'lobby admin' });
      expect(listed.items.map((r) => r.id)).toContain(room.id);
      await expectApiError(moderator.client.admin.deleteRoom(room.id), 'forbidden', 403);
      await admin.client.admin.deleteRoom(room.id);
      await watching.waitFor((f) => f.event === 'chat.deleted' && (f.data as { chatId: string }).chatId === room.id);
      await expectApiError(member.client.chats.get(room.id), 'chat_not_found', 404);
      watching.close();

      const actions = (await admin.client.admin.audit()).items.filter((e) => e.targetId === room.id).map((e) => e.action);
      expect(actions).toEqual(['room.delete', 'room.owner', 'room.unarchive', 'room.retention', 'room.archive']);
    });

    it('lets a moderator remove messages and members in a public room, not in a group, and never a direct chat', async () => {
      const owner = await signUp(ts, 'modowner');
      const troll = await signUp(ts, 'troll');
      const room = await owner.client.chats.create({
        kind: 'room',
        name: 'Moderated',
        handle: `mod${Date.now().toString(36)}`,
        memberIds: [troll.user.id],
      });
      const group = await owner.client.chats.create({ kind: 'group', name: 'Private group', memberIds: [troll.user.id] });
      const direct = await owner.client.chats.openDirect(troll.user.id);
      const bad = await troll.client.messages.send(room.id, { clientId: cid(), text: 'spam spam' });
      const inGroup = await troll.client.messages.send(group.id, { clientId: cid(), text: 'group text' });
      const watching = await connectDevice(ts.url, owner.token);

      await moderator.client.admin.removeMessage(room.id, bad.id);
      await watching.waitFor((f) => f.event === 'message.deleted' && (f.data as { messageId: string }).messageId === bad.id);
      const history = await owner.client.messages.history(room.id);
      expect(history.items.find((m) => m.id === bad.id)?.deletedAt).toBeTruthy();
      await moderator.client.admin.removeMember(room.id, troll.user.id);
      await expectApiError(troll.client.chats.get(room.id), 'chat_not_found', 404);

      await expectApiError(moderator.client.admin.removeMessage(group.id, inGroup.id), 'forbidden', 403);
      await expectApiError(moderator.client.admin.removeMember(group.id, troll.user.id), 'forbidden', 403);
      await expectApiError(admin.client.admin.removeMessage(direct.id, inGroup.id), 'chat_not_found', 404);
      await admin.client.admin.removeMessage(group.id, inGroup.id);
      watching.close();
    });

    it('follows the sign-up setting: invite-only with counted, revocable invites, then closed, then open again', async () => {
      const signUpWith = (name: string, invite?: string) =>
        ts.client().auth.register({
          email: `${name}@example.org`,
          username: name,
          password: 'long enough passphrase 7',
          ...(invite && { invite }),
        });
      await admin.client.admin.updateSettings({ signUp: 'invite' });
      await expectApiError(signUpWith(`noinv${n++}`), 'invite_required', 403);
      const invite = await admin.client.admin.createInvite({ maxUses: 1, expiresInHours: 24 });
      expect(invite.code).toBeTruthy();
      await expectApiError(signUpWith(`badinv${n++}`, 'not-a-real-code'), 'invite_invalid', 403);
      await signUpWith(`inv${n++}`, invite.code ?? '');
      await expectApiError(signUpWith(`inv${n++}`, invite.code ?? ''), 'invite_invalid', 403);
      const listed = await admin.client.admin.invites();
      expect(listed.items.find((i) => i.id === invite.id)).toMatchObject({ uses: 1, maxUses: 1, code: null, revoked: false });
      const second = await admin.client.admin.createInvite();
      await admin.client.admin.revokeInvite(second.id);
      await expectApiError(signUpWith(`rev${n++}`, second.code ?? ''), 'invite_invalid', 403);

      await admin.client.admin.updateSettings({ signUp: 'closed' });
      await expectApiError(signUpWith(`closed${n++}`), 'sign_up_closed', 403);
      const settings = await admin.client.admin.updateSettings({ signUp: 'open', uploadMaxBytes: 1000, retentionDays: 90 });
      expect(settings).toMatchObject({ signUp: 'open', uploadMaxBytes: 1000, retentionDays: 90, requireEmailVerification: false });
      // Uploads follow the stored limit at once.
      expect((await createUpload({ baseUrl: ts.url, token: admin.token }, 1001, { filename: 'big.bin' })).status).toBe(413);
      expect((await createUpload({ baseUrl: ts.url, token: admin.token }, 1000, { filename: 'ok.bin' })).status).toBe(201);
      await signUpWith(`open${n++}`);
      await expectApiError(moderator.client.admin.settings(), 'forbidden', 403);

      const log = await admin.client.admin.audit({ action: 'settings.update' });
      expect(log.items[0]?.details).toMatchObject({ signUp: { from: 'closed', to: 'open' }, retentionDays: { from: null, to: 90 } });
    });

    it('requires email verification when the stored setting says so, whatever the environment', async () => {
      await admin.client.admin.updateSettings({ requireEmailVerification: true });
      try {
        await expectApiError(
          ts.client().auth.register({ email: `verify${n}@example.org`, username: `verify${n++}`, password: 'long enough passphrase 7' }),
          'email_not_verified',
          403,
        );
      } finally {
        await admin.client.admin.updateSettings({ requireEmailVerification: false });
      }
    });

    it('removes messages past their room’s retention, or else the server’s, with an event each, and keeps the rest', async () => {
      const owner = await signUp(ts, 'keeper');
      const room = await owner.client.chats.create({ kind: 'room', name: 'Short memory', handle: `short${Date.now().toString(36)}` });
      const group = await owner.client.chats.create({ kind: 'group', name: 'Server default' });
      const send = (chatId: string, text: string) => owner.client.messages.send(chatId, { clientId: cid(), text });
      const [oldInRoom, newInRoom, oldInGroup, middleInGroup] = [
        await send(room.id, 'two days old'),
        await send(room.id, 'fresh'),
        await send(group.id, 'four days old'),
        await send(group.id, 'two days old too'),
      ];
      const age = async (messageId: string, days: number) => {
        await ts.server.storage.db
          .updateTable('messages')
          .set({ created_at: Date.now() - days * 86_400_000 })
          .where('id', '=', messageId)
          .execute();
      };
      await age(oldInRoom?.id ?? '', 2);
      await age(oldInGroup?.id ?? '', 4);
      await age(middleInGroup?.id ?? '', 2);
      await admin.client.admin.updateRoom(room.id, { retentionDays: 1 });
      await admin.client.admin.updateSettings({ retentionDays: 3 });
      const watching = await connectDevice(ts.url, owner.token);
      try {
        await ts.server.services.retention.sweep();
        await watching.waitFor((f) => f.event === 'message.deleted' && (f.data as { messageId: string }).messageId === oldInRoom?.id);
        const deleted = async (chatId: string) =>
          new Set((await owner.client.messages.history(chatId)).items.filter((m) => m.deletedAt).map((m) => m.id));
        expect(await deleted(room.id)).toEqual(new Set([oldInRoom?.id]));
        expect(await deleted(group.id)).toEqual(new Set([oldInGroup?.id]));
        expect(newInRoom?.id).toBeTruthy();
      } finally {
        watching.close();
        await admin.client.admin.updateSettings({ retentionDays: null });
      }
    });

    it('counts people, activity, rooms and today’s messages in the stats', async () => {
      const before = await admin.client.admin.stats();
      const talker = await signUp(ts, 'talker');
      const group = await talker.client.chats.create({ kind: 'group', name: 'Stats group' });
      for (let i = 0; i < 3; i++) await talker.client.messages.send(group.id, { clientId: cid(), text: `m${i}` });
      const after = await admin.client.admin.stats();
      expect(after.people).toBe(before.people + 1);
      // The talker just signed up and used a session: active today.
      expect(after.activeToday).toBe(before.activeToday + 1);
      expect(after.rooms).toBe(before.rooms + 1);
      expect(after.messages).toBe(before.messages + 3);
      expect(after.messagesPerDay).toHaveLength(30);
      const today = new Date().toISOString().slice(0, 10);
      expect(after.messagesPerDay.at(-1)?.day).toBe(today);
      expect((after.messagesPerDay.at(-1)?.count ?? 0) - (before.messagesPerDay.at(-1)?.count ?? 0)).toBe(3);
      expect(after.storage.databaseBytes).toBeGreaterThan(0);
      await expectApiError(moderator.client.admin.stats(), 'forbidden', 403);
    });
  });
}
