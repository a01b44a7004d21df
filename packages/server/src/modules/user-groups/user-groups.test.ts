/**
 * User groups (E20) through a real server on every dialect: `@design` in a message
 * mentions the group's members who are in that chat (not those outside it, not the
 * sender), who find the mention in their notification centre; handles never clash with a
 * username; only the creator changes a group.
 */
import type { CentreNotification } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { expectApiError } from '../../test/expect-error.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';

for (const dialect of DIALECTS) {
  describe(`user groups on ${dialect}`, () => {
    let ts: TestServer;
    beforeAll(async () => {
      ts = await startTestServer(dialect);
    });
    afterAll(() => ts.close());

    it('a group mention notifies its members who are in the chat', async () => {
      const ann = await signUp(ts, 'ann');
      const bob = await signUp(ts, 'bob');
      const carol = await signUp(ts, 'carol');
      const dave = await signUp(ts, 'dave');
      const handle = `design${Date.now().toString(36)}`;
      const group = await ann.client.userGroups.create({ handle, name: 'Design', memberIds: [ann.user.id, bob.user.id, dave.user.id] });
      expect(group).toMatchObject({ handle, name: 'Design', creatorId: ann.user.id });
      expect(group.memberIds.sort()).toEqual([ann.user.id, bob.user.id, dave.user.id].sort());
      expect((await carol.client.userGroups.list()).items.map((g) => g.handle)).toContain(handle);

      // Dave is in the group but not in this chat; Carol is in the chat but not in the group.
      const chat = await ann.client.chats.create({ kind: 'group', name: 'Launch', memberIds: [bob.user.id, carol.user.id] });
      const message = await ann.client.messages.send(chat.id, {
        clientId: 'g-1',
        text: `@${handle.toUpperCase()} please review the mock-ups`,
      });
      expect(message.mentions).toEqual([bob.user.id]);
      const bobs = await bob.client.notificationCentre.list();
      expect(bobs.items.find((n: CentreNotification) => n.kind === 'mention' && n.messageId === message.id)).toBeDefined();
      for (const other of [carol, dave]) {
        const items = (await other.client.notificationCentre.list()).items;
        expect(items.find((n: CentreNotification) => n.messageId === message.id)).toBeUndefined();
      }
      // A person's own name and a group's together mention each once.
      const both = await carol.client.messages.send(chat.id, { clientId: 'g-2', text: `@${bob.user.username} @${handle}` });
      expect(both.mentions.sort()).toEqual([ann.user.id, bob.user.id].sort());
    });

    it('handles are unique and never a username; only the creator changes a group', async () => {
      const ann = await signUp(ts, 'ann');
      const bob = await signUp(ts, 'bob');
      const handle = `team${Date.now().toString(36)}`;
      const group = await ann.client.userGroups.create({ handle, name: 'Team', memberIds: [] });
      await expectApiError(
        bob.client.userGroups.create({ handle: handle.toUpperCase(), name: 'Copy', memberIds: [] }),
        'handle_taken',
        409,
      );
      await expectApiError(bob.client.userGroups.create({ handle: bob.user.username, name: 'Me', memberIds: [] }), 'handle_taken', 409);
      await expectApiError(bob.client.userGroups.create({ handle: 'all', name: 'All', memberIds: [] }), 'handle_taken', 409);
      await expectApiError(
        bob.client.userGroups.create({ handle: `x${handle}`, name: 'Ghosts', memberIds: ['no-such-user'] }),
        'user_not_found',
        404,
      );
      await expectApiError(bob.client.userGroups.update(group.id, { name: 'Mine now' }), 'forbidden', 403);
      await expectApiError(bob.client.userGroups.delete(group.id), 'forbidden', 403);
      expect(await ann.client.userGroups.update(group.id, { name: 'Core team', memberIds: [bob.user.id] })).toMatchObject({
        name: 'Core team',
        memberIds: [bob.user.id],
      });
      await ann.client.userGroups.delete(group.id);
      await expectApiError(ann.client.userGroups.delete(group.id), 'user_group_not_found', 404);
    });
  });
}
