/**
 * Web Push against a push service endpoint started here: the server's request arrives,
 * VAPID-signed, and decrypts with the subscription's keys (RFC 8291) to the expected
 * payload; nothing is pushed to someone active on a device (connected and not away), during quiet hours, for a muted chat,
 * a blocked sender or a chat set to nothing; a read elsewhere sends a close. Both dialects.
 */
import { randomUUID } from 'node:crypto';
import type { PushPayload } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { expectApiError } from '../../test/expect-error.js';
import { type PushEndpoint, startPushEndpoint } from '../../test/push-endpoint.js';
import { connectDevice, sleep } from '../../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';
import { pushRepo } from './push.repo.js';

type Person = Awaited<ReturnType<typeof signUp>>;
const send = (from: Person, chatId: string, text: string) => from.client.messages.send(chatId, { clientId: randomUUID(), text });

for (const dialect of DIALECTS) {
  describe(`Web Push on ${dialect}`, () => {
    let pushService: PushEndpoint;
    let ts: TestServer;
    let alice: Person;
    let bob: Person;
    let dmId: string;
    let groupId: string;

    /** The next push for bob's phone must be the one about `text` (anything held before it never came). */
    const nextPushIs = async (text: string) => {
      const push = await pushService.next('bob-phone');
      expect(push.payload).toMatchObject({ type: 'message', body: expect.stringContaining(text) });
      return push;
    };

    /** Waits until every push job has run, so a later settings change cannot reach an earlier message. */
    const drained = async () => {
      await ts.server.services.notify.push.flush();
      for (let i = 0; i < 200; i += 1) {
        const pending = await ts.server.storage.db
          .selectFrom('jobs')
          .select('id')
          .where('kind', 'in', ['push.message', 'push.deliver', 'push.close'])
          .where('status', '!=', 'failed')
          .execute();
        if (pending.length === 0) return;
        await sleep(25);
      }
      throw new Error('push jobs did not finish');
    };

    beforeAll(async () => {
      pushService = await startPushEndpoint();
      ts = await startTestServer(dialect, { JOBS_POLL_MS: '50', PRESENCE_GRACE_MS: '0', VAPID_SUBJECT: 'mailto:ops@example.org' });
      alice = await signUp(ts, 'alice');
      bob = await signUp(ts, 'bob');
      dmId = (await alice.client.chats.openDirect(bob.user.id)).id;
      groupId = (await alice.client.chats.create({ kind: 'group', name: 'Climbing club', memberIds: [bob.user.id] })).id;
      await bob.client.notifications.subscribePush({ ...pushService.subscribe('bob-phone'), deviceName: 'Bob’s phone' });
    });
    afterAll(async () => {
      await ts?.close();
      await pushService?.close();
    });

    it('delivers a VAPID-signed push that decrypts with the subscription’s keys', async () => {
      const vapidPublicKey = (await ts.client().notifications.serverInfo()).vapidPublicKey;
      expect(vapidPublicKey).toMatch(/^[A-Za-z0-9_-]{80,}$/);
      const message = await send(alice, dmId, 'Are you coming tonight?');
      const push = await pushService.next('bob-phone');
      expect(push.payload).toEqual({
        type: 'message',
        chatId: dmId,
        messageId: message.id,
        seq: message.seq,
        title: alice.user.displayName,
        body: 'Are you coming tonight?',
        url: expect.stringMatching(new RegExp(`/chats/${dmId}$`)),
      } satisfies PushPayload);
      expect(push.headers['content-encoding']).toBe('aes128gcm');
      expect(push.headers.authorization).toMatch(new RegExp(`^vapid t=[\\w-]+\\.[\\w-]+\\.[\\w-]+, k=${vapidPublicKey}$`));
      expect(Number(push.headers.ttl)).toBeGreaterThan(0);
      // Made once and kept in the database: what a restarted or second instance reads, never making its own.
      const stored = await ts.server.storage.db
        .selectFrom('server_keys')
        .select('value')
        .where('name', '=', 'vapid')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(stored.value)).toMatchObject({ publicKey: vapidPublicKey });
      expect(await pushRepo(ts.server.storage.db).serverKey('vapid', () => 'a key another instance made', Date.now())).toBe(stored.value);
    });

    it('sends a close push when the chat is read elsewhere', async () => {
      const message = await send(alice, dmId, 'Rope or no rope?');
      await nextPushIs('Rope or no rope?');
      await bob.client.chats.markRead(dmId, message.seq);
      const close = await pushService.next('bob-phone');
      expect(close.payload).toEqual({ type: 'close', chatId: dmId });
    });

    it('pushes nothing while the person is connected on some device', async () => {
      const device = await connectDevice(ts.url, bob.token);
      await send(alice, dmId, 'You are online, so no push');
      await device.waitFor((e) => e.event === 'message.created');
      await sleep(400);
      device.close();
      await sleep(200);
      await send(alice, dmId, 'Gone again: push');
      await nextPushIs('Gone again: push');
    });

    it('pushes to a person whose connected devices are all away: a tab left idle does not silence the phone', async () => {
      const laptop = await connectDevice(ts.url, bob.token);
      await bob.client.people.setPresence('away');
      await send(alice, dmId, 'The laptop is idle: push');
      await nextPushIs('The laptop is idle: push');
      // Back at the laptop: active again, so no push.
      await bob.client.people.setPresence('online');
      await send(alice, dmId, 'Back at the laptop, no push');
      await laptop.waitFor((e) => e.event === 'message.created' && JSON.stringify(e.data).includes('Back at the laptop'));
      await drained();
      laptop.close();
      await sleep(200);
      await send(alice, dmId, 'Laptop closed: push');
      await nextPushIs('Laptop closed: push');
    });

    it('pushes nothing for a muted chat', async () => {
      await bob.client.chats.mute(dmId, true);
      await send(alice, dmId, 'Muted, no push');
      await drained();
      await bob.client.chats.mute(dmId, false);
      await send(alice, dmId, 'Unmuted: push');
      await nextPushIs('Unmuted: push');
    });

    it('in groups pushes mentions by default, everything at "all", nothing at "nothing"', async () => {
      await send(alice, groupId, 'Plain group chatter');
      await drained();
      await send(alice, groupId, `@${bob.user.username} bring the chalk`);
      const mention = await nextPushIs('bring the chalk');
      expect(mention.payload).toMatchObject({
        title: 'Climbing club',
        body: `${alice.user.displayName}: @${bob.user.username} bring the chalk`,
      });

      expect(await bob.client.notifications.setChatLevel(groupId, 'all')).toMatchObject({ level: 'all', effective: 'all' });
      await send(alice, groupId, 'Everything now');
      await nextPushIs('Everything now');

      await bob.client.notifications.setChatLevel(groupId, 'nothing');
      await send(alice, groupId, `@${bob.user.username} not even mentions`);
      await drained();
      await bob.client.notifications.setChatLevel(groupId, 'default');
      await send(alice, groupId, `@${bob.user.username} default again`);
      await nextPushIs('default again');
      expect((await bob.client.notifications.chatLevels()).items).toEqual([]);
    });

    it('holds pushes during quiet hours and do-not-disturb', async () => {
      const all = [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: 0, end: 1440 }));
      const quiet = await bob.client.notifications.updateSettings({ quietHours: all, timeZone: 'Asia/Tokyo' });
      expect(quiet.quietNow).toBe(true);
      await send(alice, dmId, 'Quiet hours: no push');
      await drained();
      await bob.client.notifications.updateSettings({ quietHours: [], doNotDisturbUntil: new Date(Date.now() + 3_600_000).toISOString() });
      await send(alice, dmId, 'Do not disturb: no push');
      await drained();
      // A starred contact's direct messages may come through.
      await bob.client.contacts.update(alice.user.id, { starred: true });
      await bob.client.notifications.updateSettings({ quietAllowStarred: true });
      await send(alice, dmId, 'Starred: through quiet hours');
      await nextPushIs('Starred: through quiet hours');
      await bob.client.contacts.update(alice.user.id, { starred: false });
      await send(alice, dmId, 'Unstarred: held again');
      await drained();
      expect((await bob.client.notifications.updateSettings({ doNotDisturbUntil: null })).quietNow).toBe(false);
      await send(alice, dmId, 'Disturb me: push');
      await nextPushIs('Disturb me: push');
    });

    it('holds, not drops: when do-not-disturb ends, the chat’s newest unread message is pushed once', async () => {
      await bob.client.notifications.updateSettings({ doNotDisturbUntil: new Date(Date.now() + 1500).toISOString() });
      await send(alice, dmId, 'Held one');
      await send(alice, dmId, 'Held two');
      await drained();
      expect(pushService.received.filter((p) => p.device === 'bob-phone')).toEqual([]);
      const held = await pushService.next('bob-phone', 6000);
      expect(held.payload).toMatchObject({ type: 'message', chatId: dmId, body: 'Held two' });
      await sleep(300);
      expect(pushService.received.filter((p) => p.device === 'bob-phone')).toEqual([]);
    });

    it('pushes nothing from someone the person blocked', async () => {
      await bob.client.contacts.block(alice.user.id);
      await send(alice, groupId, `@${bob.user.username} blocked mention`);
      await drained();
      await bob.client.contacts.unblock(alice.user.id);
      await send(alice, groupId, `@${bob.user.username} unblocked mention`);
      await nextPushIs('unblocked mention');
    });

    it('lists devices, removes one (another person’s answers 404), and forgets one the push service dropped', async () => {
      const tablet = await bob.client.notifications.subscribePush(pushService.subscribe('bob-tablet'));
      const devices = await bob.client.notifications.pushDevices();
      expect(devices.items.map((d) => d.deviceName)).toContain('Bob’s phone');
      expect(devices.items).toHaveLength(2);
      expect(devices.items.every((d) => d.service === pushService.url)).toBe(true);
      await expectApiError(alice.client.notifications.removePushDevice(tablet.id), 'push_subscription_not_found', 404);
      await bob.client.notifications.removePushDevice(tablet.id);
      expect((await bob.client.notifications.pushDevices()).items).toHaveLength(1);

      pushService.answer('bob-phone', 410);
      await send(alice, dmId, 'To a dropped subscription');
      for (let i = 0; i < 50 && (await bob.client.notifications.pushDevices()).items.length > 0; i += 1) await sleep(100);
      expect((await bob.client.notifications.pushDevices()).items).toEqual([]);
    });
  });
}
