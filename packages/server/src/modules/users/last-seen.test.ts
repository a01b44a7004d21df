/**
 * When someone was last online is for the people they talk with: `lastSeenAt` shows only
 * to the user themself and to those who share a chat with them. Profiles and search show
 * it as null to anyone else (as for someone never seen); presence (`online`) is only ever
 * in member lists and presence events, which reach members alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';

for (const dialect of DIALECTS) {
  describe(`lastSeenAt on ${dialect}`, () => {
    let ts: TestServer;
    beforeAll(async () => {
      ts = await startTestServer(dialect);
    });
    afterAll(() => ts.close());

    const seenAt = Date.UTC(2026, 0, 2, 3, 4, 5);
    const setLastSeen = (userId: string) =>
      ts.server.storage.db.updateTable('users').set({ last_seen_at: seenAt }).where('id', '=', userId).execute();

    it('shows lastSeenAt in profiles and search only to the user and to people who share a chat with them', async () => {
      const ann = await signUp(ts, 'seenann');
      const friend = await signUp(ts, 'seenfriend');
      const stranger = await signUp(ts, 'seenstranger');
      await friend.client.chats.create({ kind: 'group', name: 'Friends', memberIds: [ann.user.id] });
      await setLastSeen(ann.user.id);
      const iso = new Date(seenAt).toISOString();

      expect((await ann.client.users.me()).lastSeenAt).toBe(iso);
      expect((await ann.client.users.get(ann.user.id)).lastSeenAt).toBe(iso);
      expect((await friend.client.users.get(ann.user.id)).lastSeenAt).toBe(iso);
      expect((await friend.client.users.search(ann.user.username)).items).toMatchObject([{ id: ann.user.id, lastSeenAt: iso }]);

      const profile = await stranger.client.users.get(ann.user.id);
      expect(profile).toMatchObject({ id: ann.user.id, lastSeenAt: null });
      expect(profile).not.toHaveProperty('online');
      expect((await stranger.client.users.search(ann.user.username)).items).toMatchObject([{ id: ann.user.id, lastSeenAt: null }]);
    });

    it('shows it once a chat is shared, in profiles and in the member list, and hides it again after leaving', async () => {
      const ann = await signUp(ts, 'seenroomann');
      const visitor = await signUp(ts, 'seenvisitor');
      await setLastSeen(ann.user.id);
      const room = await ann.client.chats.create({ kind: 'room', name: 'Open', handle: `seen${Date.now().toString(36)}` });
      expect((await visitor.client.users.get(ann.user.id)).lastSeenAt).toBeNull();
      await visitor.client.chats.join(room.id);
      expect((await visitor.client.users.get(ann.user.id)).lastSeenAt).not.toBeNull();
      const members = await visitor.client.chats.members(room.id);
      expect(members.items.find((m) => m.user.id === ann.user.id)?.user.lastSeenAt).not.toBeNull();
      await visitor.client.chats.leave(room.id);
      expect((await visitor.client.users.get(ann.user.id)).lastSeenAt).toBeNull();
    });
  });
}
