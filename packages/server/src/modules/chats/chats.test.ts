import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { expectApiError } from '../../test/expect-error.js';
import { connectDevice } from '../../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';

const systemActions = async (client: Awaited<ReturnType<typeof signUp>>['client'], chatId: string) =>
  (await client.messages.history(chatId)).items.filter((m) => m.kind === 'system').map((m) => m.system?.action);

for (const dialect of DIALECTS) {
  describe(`chats on ${dialect}`, () => {
    let ts: TestServer;
    beforeAll(async () => {
      ts = await startTestServer(dialect);
    });
    afterAll(() => ts.close());

    it('reuses one direct chat per pair, from either side', async () => {
      const a = await signUp(ts, 'dira');
      const b = await signUp(ts, 'dirb');
      const first = await a.client.chats.openDirect(b.user.id);
      const again = await a.client.chats.openDirect(b.user.id);
      const fromB = await b.client.chats.openDirect(a.user.id);
      expect(new Set([first.id, again.id, fromB.id]).size).toBe(1);
      expect(first).toMatchObject({ kind: 'direct', name: b.user.displayName, memberCount: 2 });
      expect(first.peer?.id).toBe(b.user.id);
      expect(fromB.name).toBe(a.user.displayName);
      const [x, y] = await Promise.all([a.client.chats.openDirect(b.user.id), b.client.chats.openDirect(a.user.id)]);
      expect(x.id).toBe(y.id);
    });

    it('creates a group with members and roles, and records who created and added', async () => {
      const owner = await signUp(ts, 'gowner');
      const m1 = await signUp(ts, 'gm1');
      const m2 = await signUp(ts, 'gm2');
      const group = await owner.client.chats.create({
        kind: 'group',
        name: 'Climbing 🧗',
        description: 'Saturdays',
        memberIds: [m1.user.id, m2.user.id],
      });
      expect(group).toMatchObject({ kind: 'group', name: 'Climbing 🧗', memberCount: 3, role: 'owner', ownerId: owner.user.id });
      const members = await m1.client.chats.members(group.id);
      expect(Object.fromEntries(members.items.map((m) => [m.user.id, m.role]))).toEqual({
        [owner.user.id]: 'owner',
        [m1.user.id]: 'member',
        [m2.user.id]: 'member',
      });
      expect(await systemActions(m1.client, group.id)).toEqual(['created', 'added']);
    });

    it('lets only owner and admins rename, unless the group allows any member; renames leave a system message', async () => {
      const owner = await signUp(ts, 'rowner');
      const member = await signUp(ts, 'rmember');
      const group = await owner.client.chats.create({ kind: 'group', name: 'Before', memberIds: [member.user.id] });
      await expectApiError(member.client.chats.update(group.id, { name: 'Hijack' }), 'forbidden', 403);
      await owner.client.chats.update(group.id, { membersCanEdit: true });
      await expectApiError(member.client.chats.update(group.id, { membersCanAdd: false }), 'forbidden', 403);
      const renamed = await member.client.chats.update(group.id, { name: 'After' });
      expect(renamed.name).toBe('After');
      expect(await systemActions(owner.client, group.id)).toContain('renamed');
    });

    it('lets any member add people by default, and only managers once the owner restricts it', async () => {
      const owner = await signUp(ts, 'aowner');
      const member = await signUp(ts, 'amember');
      const [x, y] = [await signUp(ts, 'ax'), await signUp(ts, 'ay')];
      const group = await owner.client.chats.create({ kind: 'group', name: 'Adders', memberIds: [member.user.id] });
      await member.client.chats.addMembers(group.id, [x.user.id]);
      await expectApiError(member.client.chats.addMembers(group.id, [x.user.id]), 'already_member', 409);
      await owner.client.chats.update(group.id, { membersCanAdd: false });
      await expectApiError(member.client.chats.addMembers(group.id, [y.user.id]), 'forbidden', 403);
      await owner.client.chats.setRole(group.id, member.user.id, 'admin');
      await member.client.chats.addMembers(group.id, [y.user.id]);
      expect((await owner.client.chats.get(group.id)).memberCount).toBe(4);
    });

    it('lets the owner remove anyone and admins only plain members; a removed member loses the chat (404)', async () => {
      const owner = await signUp(ts, 'mowner');
      const admin = await signUp(ts, 'madmin');
      const plain = await signUp(ts, 'mplain');
      const other = await signUp(ts, 'mother');
      const group = await owner.client.chats.create({
        kind: 'group',
        name: 'Removals',
        memberIds: [admin.user.id, plain.user.id, other.user.id],
      });
      await owner.client.chats.setRole(group.id, admin.user.id, 'admin');
      await expectApiError(plain.client.chats.removeMember(group.id, other.user.id), 'forbidden', 403);
      await expectApiError(admin.client.chats.removeMember(group.id, owner.user.id), 'forbidden', 403);
      await admin.client.chats.removeMember(group.id, plain.user.id);
      await expectApiError(plain.client.chats.get(group.id), 'chat_not_found', 404);
      await expectApiError(plain.client.messages.history(group.id), 'chat_not_found', 404);
      await owner.client.chats.removeMember(group.id, admin.user.id);
      expect(await systemActions(owner.client, group.id)).toEqual(['created', 'added', 'role_changed', 'removed', 'removed']);
    });

    it('hands ownership over: explicitly, or to the longest-standing admin when the owner leaves; the last one out deletes it', async () => {
      const owner = await signUp(ts, 'towner');
      const a = await signUp(ts, 'ta');
      const b = await signUp(ts, 'tb');
      const group = await owner.client.chats.create({ kind: 'group', name: 'Handover', memberIds: [a.user.id, b.user.id] });
      await expectApiError(a.client.chats.transfer(group.id, b.user.id), 'forbidden', 403);
      await owner.client.chats.transfer(group.id, a.user.id);
      expect((await b.client.chats.get(group.id)).ownerId).toBe(a.user.id);
      await owner.client.chats.leave(group.id);
      await a.client.chats.setRole(group.id, b.user.id, 'admin');
      await a.client.chats.leave(group.id);
      const after = await b.client.chats.get(group.id);
      expect(after).toMatchObject({ ownerId: b.user.id, role: 'owner', memberCount: 1 });
      await b.client.chats.leave(group.id);
      await expectApiError(b.client.chats.get(group.id), 'chat_not_found', 404);
    });

    it('deletes a group only by its owner, for everyone', async () => {
      const owner = await signUp(ts, 'downer');
      const member = await signUp(ts, 'dmember');
      const group = await owner.client.chats.create({ kind: 'group', name: 'Doomed', memberIds: [member.user.id] });
      await expectApiError(member.client.chats.delete(group.id), 'forbidden', 403);
      await owner.client.chats.delete(group.id);
      await expectApiError(member.client.chats.get(group.id), 'chat_not_found', 404);
      expect((await member.client.chats.list()).items.map((c) => c.id)).not.toContain(group.id);
    });

    it('lists public rooms in a searchable directory with unique handles; anyone may join, groups stay hidden', async () => {
      const owner = await signUp(ts, 'roomowner');
      const visitor = await signUp(ts, 'visitor');
      const tag = `r${Date.now().toString(36)}`;
      const room = await owner.client.chats.create({ kind: 'room', name: `Gardening ${tag}`, handle: `${tag}-garden` });
      await expectApiError(owner.client.chats.create({ kind: 'room', name: 'Copy', handle: `${tag}-GARDEN` }), 'handle_taken', 409);
      await expectApiError(owner.client.chats.create({ kind: 'room', name: 'No handle' }), 'validation_failed', 400);
      const group = await owner.client.chats.create({ kind: 'group', name: `Secret ${tag}` });
      expect((await visitor.client.chats.rooms({ q: `${tag}_garden` })).items).toEqual([]);
      expect((await visitor.client.chats.rooms({ q: `${tag}-gar` })).items.map((r) => r.id)).toEqual([room.id]);
      const found = await visitor.client.chats.rooms({ q: tag });
      expect(found.items.map((r) => r.id)).toEqual([room.id]);
      expect(found.items[0]?.joined).toBe(false);
      await expectApiError(visitor.client.chats.join(group.id), 'chat_not_found', 404);
      const joined = await visitor.client.chats.join(room.id);
      expect(joined).toMatchObject({ memberCount: 2, role: 'member' });
      expect((await visitor.client.chats.rooms({ q: tag })).items[0]?.joined).toBe(true);
      expect(await systemActions(owner.client, room.id)).toEqual(['created', 'joined']);
      await visitor.client.chats.leave(room.id);
      expect(await systemActions(owner.client, room.id)).toEqual(['created', 'joined', 'left']);
    });

    it('refuses what a direct chat cannot do: add, leave, delete, private messages', async () => {
      const a = await signUp(ts, 'dcx');
      const b = await signUp(ts, 'dcy');
      const c = await signUp(ts, 'dcz');
      const chat = await a.client.chats.openDirect(b.user.id);
      await expectApiError(a.client.chats.addMembers(chat.id, [c.user.id]), 'forbidden', 403);
      await expectApiError(a.client.chats.leave(chat.id), 'forbidden', 403);
      await expectApiError(a.client.chats.delete(chat.id), 'forbidden', 403);
      await expectApiError(
        a.client.messages.send(chat.id, { clientId: 'p1', text: 'psst', privateTo: b.user.id }),
        'validation_failed',
        400,
      );
    });

    it('lists chats by the newest message the viewer can see: a private message between two others does not move a group up', async () => {
      const owner = await signUp(ts, 'ordown');
      const friend = await signUp(ts, 'ordfriend');
      const outsider = await signUp(ts, 'ordout');
      const pause = () => new Promise((resolve) => setTimeout(resolve, 5));
      const group = await owner.client.chats.create({ kind: 'group', name: 'Order', memberIds: [friend.user.id, outsider.user.id] });
      await pause();
      const direct = await owner.client.chats.openDirect(outsider.user.id);
      await owner.client.messages.send(direct.id, { clientId: 'ord-1', text: 'later, to you' });
      await pause();
      await friend.client.messages.send(group.id, { clientId: 'ord-2', text: 'only for the owner', privateTo: owner.user.id });
      expect((await outsider.client.chats.list()).items.map((c) => c.id)).toEqual([direct.id, group.id]);
      // Those who can see it have the group first.
      expect((await owner.client.chats.list()).items.map((c) => c.id)).toEqual([group.id, direct.id]);
    });

    it('gives a third member a lastActivityAt unmoved by a private message between two others, over REST and in chat events', async () => {
      const owner = await signUp(ts, 'actown');
      const friend = await signUp(ts, 'actfriend');
      const third = await signUp(ts, 'actthird');
      const group = await owner.client.chats.create({ kind: 'group', name: 'Quiet', memberIds: [friend.user.id, third.user.id] });
      const before = (await third.client.chats.get(group.id)).lastActivityAt;
      const thirdWs = await connectDevice(ts.url, third.token);
      const ownerWs = await connectDevice(ts.url, owner.token);
      try {
        await new Promise((resolve) => setTimeout(resolve, 5));
        const secret = await friend.client.messages.send(group.id, { clientId: 'act-1', text: 'just us', privateTo: owner.user.id });
        expect(secret.createdAt > before).toBe(true);
        // Events reach every member alike: this one carries the activity all of them may see.
        await owner.client.chats.update(group.id, { description: 'shh' });
        const updated = await thirdWs.waitFor((f) => f.event === 'chat.updated');
        expect(updated.data).toMatchObject({ chat: { id: group.id, description: 'shh', lastActivityAt: before } });
        expect(thirdWs.events.some((f) => JSON.stringify(f.data).includes(secret.createdAt))).toBe(false);
        expect((await third.client.chats.get(group.id)).lastActivityAt).toBe(before);
        expect((await third.client.chats.list()).items.find((c) => c.id === group.id)?.lastActivityAt).toBe(before);
        // The two it is between see the chat's activity move, live and over REST.
        await ownerWs.waitFor((f) => f.event === 'message.created' && JSON.stringify(f.data).includes(secret.createdAt));
        for (const member of [owner, friend]) {
          expect((await member.client.chats.get(group.id)).lastActivityAt).toBe(secret.createdAt);
          expect((await member.client.chats.list()).items.find((c) => c.id === group.id)?.lastActivityAt).toBe(secret.createdAt);
        }
        // A message everyone sees moves it for everyone.
        const said = await owner.client.messages.send(group.id, { clientId: 'act-2', text: 'hello all' });
        expect((await third.client.chats.get(group.id)).lastActivityAt).toBe(said.createdAt);
      } finally {
        thirdWs.close();
        ownerWs.close();
      }
    });

    it('mutes a chat for the member only', async () => {
      const owner = await signUp(ts, 'muter');
      const other = await signUp(ts, 'notmuter');
      const group = await owner.client.chats.create({ kind: 'group', name: 'Noisy', memberIds: [other.user.id] });
      expect((await owner.client.chats.mute(group.id, true)).muted).toBe(true);
      expect((await other.client.chats.get(group.id)).muted).toBe(false);
    });

    it('hands owned groups over when the owner deletes their account', async () => {
      const owner = await signUp(ts, 'leaver');
      const heir = await signUp(ts, 'heir');
      const group = await owner.client.chats.create({ kind: 'group', name: 'Inheritance', memberIds: [heir.user.id] });
      const lonely = await owner.client.chats.create({ kind: 'group', name: 'Alone' });
      await owner.client.users.deleteMe(owner.password);
      expect(await heir.client.chats.get(group.id)).toMatchObject({ ownerId: heir.user.id, memberCount: 1 });
      const viewer = await signUp(ts, 'viewer2');
      await expectApiError(viewer.client.chats.join(lonely.id), 'chat_not_found', 404);
    });
  });
}
