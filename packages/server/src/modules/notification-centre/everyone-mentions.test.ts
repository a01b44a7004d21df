/**
 * `@all` and `@here` in the notification centre (issue 13), through the real server on
 * every dialect: `@all` puts a mention in the centre of every member but the sender (live,
 * on their devices), `@here` only of those online when it is sent; someone also named gets
 * one entry, not two; whoever blocked the sender gets none; and in a private message either
 * means only its recipient.
 */
import type { CentreNotification } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { connectDevice } from '../../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';

let n = 0;
const cid = () => `ev${Date.now().toString(36)}${(n++).toString(36)}`;

for (const dialect of DIALECTS) {
  describe(`@all and @here in the notification centre on ${dialect}`, () => {
    let ts: TestServer;
    beforeAll(async () => {
      ts = await startTestServer(dialect);
    });
    afterAll(async () => {
      await ts.close();
    });

    const mentionsOf = async (person: Awaited<ReturnType<typeof signUp>>, messageId: string) =>
      (await person.client.notificationCentre.list({ limit: 50 })).items.filter(
        (item) => item.kind === 'mention' && item.messageId === messageId,
      );

    it('tells every member of @all, only those online of @here, once each, and nobody who blocked the sender', async () => {
      const [sender, online, offline, named, blocker] = await Promise.all(
        ['sender', 'online', 'offline', 'named', 'blocker'].map((name) => signUp(ts, name)),
      );
      if (!sender || !online || !offline || !named || !blocker) throw new Error('sign-up failed');
      const group = await sender.client.chats.create({
        kind: 'group',
        name: 'Standup',
        memberIds: [online.user.id, offline.user.id, named.user.id, blocker.user.id],
      });
      await blocker.client.contacts.block(sender.user.id);
      const device = await connectDevice(ts.url, online.token);
      const namedDevice = await connectDevice(ts.url, named.token);

      const all = await sender.client.messages.send(group.id, {
        clientId: cid(),
        text: `@all standup in 5, @${named.user.username} leads`,
      });
      const live = await device.waitFor(
        (f) => f.event === 'notification.created' && (f.data as { notification: CentreNotification }).notification.messageId === all.id,
      );
      expect((live.data as { notification: CentreNotification }).notification).toMatchObject({
        kind: 'mention',
        chatId: group.id,
        actor: { id: sender.user.id },
        data: { everyone: 'all', excerpt: expect.stringContaining('standup in 5') },
      });
      expect(await mentionsOf(offline, all.id)).toHaveLength(1);
      const namedOnce = await mentionsOf(named, all.id);
      expect(namedOnce).toHaveLength(1);
      expect(namedOnce[0]?.data.everyone).toBeUndefined();
      expect(await mentionsOf(blocker, all.id)).toHaveLength(0);
      expect(await mentionsOf(sender, all.id)).toHaveLength(0);

      const here = await sender.client.messages.send(group.id, { clientId: cid(), text: 'quick question @here' });
      await device.waitFor(
        (f) => f.event === 'notification.created' && (f.data as { notification: CentreNotification }).notification.messageId === here.id,
      );
      expect((await mentionsOf(online, here.id)).map((m) => m.data.everyone)).toEqual(['here']);
      expect((await mentionsOf(named, here.id)).map((m) => m.data.everyone)).toEqual(['here']);
      expect(await mentionsOf(offline, here.id)).toHaveLength(0);
      expect(await mentionsOf(blocker, here.id)).toHaveLength(0);

      // A private message's @all means its one recipient.
      const secret = await sender.client.messages.send(group.id, { clientId: cid(), text: '@all just you', privateTo: offline.user.id });
      expect(await mentionsOf(offline, secret.id)).toHaveLength(1);
      expect(await mentionsOf(online, secret.id)).toHaveLength(0);
      device.close();
      namedDevice.close();
    });
  });
}
