/**
 * Contact requests through the real server, over REST and the WebSocket: none → sent /
 * received → accepted / declined, cancel, remove — every change heard on every device of
 * both people as `contact.updated` with that person's own view and pending count; a
 * stranger gets 404 for someone else's request. Alias and star belong to the one who set
 * them. The notification centre holds requests, group invitations and mentions.
 */
import type { EventFrame, Relationship } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { expectApiError } from '../../test/expect-error.js';
import { connectDevice, type Device, settle } from '../../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';

type Person = Awaited<ReturnType<typeof signUp>>;

const contactEvent = (otherId: string, state: string) => (f: EventFrame) =>
  f.event === 'contact.updated' &&
  (f.data as { relationship: Relationship }).relationship.user.id === otherId &&
  (f.data as { relationship: Relationship }).relationship.state === state;

for (const dialect of DIALECTS) {
  describe(`contacts on ${dialect}`, () => {
    let ts: TestServer;
    const devices: Device[] = [];
    beforeAll(async () => {
      ts = await startTestServer(dialect, { ACTION_BURST: '10000', ACTION_RATE_PER_SECOND: '10000' });
    });
    afterAll(async () => {
      for (const d of devices) d.close();
      await ts.close();
    });
    const device = async (p: Person) => {
      const d = await connectDevice(ts.url, p.token);
      devices.push(d);
      return d;
    };

    it('runs a request from sent to accepted over REST, heard on every device of both people, then removes the contact', async () => {
      const ann = await signUp(ts, 'reqann');
      const bob = await signUp(ts, 'reqbob');
      const [ann1, ann2, bob1, bob2] = [await device(ann), await device(ann), await device(bob), await device(bob)];

      const sent = await ann.client.contacts.request(bob.user.id, 'We met at the meetup');
      expect(sent).toMatchObject({ state: 'sent', note: 'We met at the meetup', user: { id: bob.user.id } });
      for (const d of [ann1, ann2]) await d.waitFor(contactEvent(bob.user.id, 'sent'));
      for (const d of [bob1, bob2]) {
        const frame = await d.waitFor(contactEvent(ann.user.id, 'received'));
        expect(frame.data).toMatchObject({ pendingCount: 1, relationship: { note: 'We met at the meetup' } });
      }
      const bobsList = await bob.client.contacts.list();
      expect(bobsList.pendingCount).toBe(1);
      expect(bobsList.items.map((r) => [r.user.id, r.state])).toEqual([[ann.user.id, 'received']]);
      // A second request while one is pending returns it, and creates nothing new.
      expect((await ann.client.contacts.request(bob.user.id)).requestId).toBe(sent.requestId);

      await expectApiError(ann.client.contacts.accept(sent.requestId ?? ''), 'forbidden', 403);
      const accepted = await bob.client.contacts.accept(sent.requestId ?? '');
      expect(accepted.state).toBe('accepted');
      for (const d of [ann1, ann2]) await d.waitFor(contactEvent(bob.user.id, 'accepted'));
      for (const d of [bob1, bob2]) {
        const frame = await d.waitFor(contactEvent(ann.user.id, 'accepted'));
        expect(frame.data).toMatchObject({ pendingCount: 0 });
      }
      expect(await ts.server.services.contacts.isContact(ann.user.id, bob.user.id)).toBe(true);
      await expectApiError(ann.client.contacts.request(bob.user.id), 'already_contact', 409);
      await expectApiError(bob.client.contacts.accept(sent.requestId ?? ''), 'conflict', 409);

      expect((await bob.client.contacts.remove(ann.user.id)).state).toBe('none');
      for (const d of [ann1, ann2]) await d.waitFor(contactEvent(bob.user.id, 'none'));
      expect(await ts.server.services.contacts.isContact(bob.user.id, ann.user.id)).toBe(false);
      expect((await ann.client.contacts.list()).items).toEqual([]);
    });

    it('declines and cancels over the WebSocket, and asking someone who asked you accepts theirs', async () => {
      const cat = await signUp(ts, 'wscat');
      const dan = await signUp(ts, 'wsdan');
      const [cat1, dan1, dan2] = [await device(cat), await device(dan), await device(dan)];

      const sent = await cat1.rt.call<Relationship>('contact.request', { userId: dan.user.id, note: 'hi' });
      await dan2.waitFor(contactEvent(cat.user.id, 'received'));
      const declined = await dan1.rt.call<Relationship>('contact.decline', { requestId: sent.requestId });
      expect(declined.state).toBe('none');
      await cat1.waitFor(contactEvent(dan.user.id, 'declined'));
      await dan2.waitFor(contactEvent(cat.user.id, 'none'));
      expect((await cat.client.contacts.get(dan.user.id)).state).toBe('declined');

      // Asking again after a decline is a new request; its sender may cancel it.
      const again = await cat1.rt.call<Relationship>('contact.request', { userId: dan.user.id });
      expect(again.requestId).not.toBe(sent.requestId);
      await dan1.waitFor((f) => contactEvent(cat.user.id, 'received')(f) && f.seq !== undefined && f.seq > 2);
      const refused = await dan1.rt.call('contact.cancel', { requestId: again.requestId }).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'forbidden' });
      expect((await cat1.rt.call<Relationship>('contact.cancel', { requestId: again.requestId })).state).toBe('none');
      expect((await dan.client.contacts.list()).pendingCount).toBe(0);

      // Crossed requests: the second one accepts the first.
      await dan1.rt.call('contact.request', { userId: cat.user.id });
      const crossed = await cat1.rt.call<Relationship>('contact.request', { userId: dan.user.id });
      expect(crossed.state).toBe('accepted');
      await dan2.waitFor(contactEvent(cat.user.id, 'accepted'));
    });

    it("answers 404 to a stranger for someone else's request, over REST and the socket", async () => {
      const eve = await signUp(ts, 'reqeve');
      const fay = await signUp(ts, 'reqfay');
      const stranger = await signUp(ts, 'reqstranger');
      const sent = await eve.client.contacts.request(fay.user.id);
      const id = sent.requestId ?? '';
      // One at a time: a refusal that arrived before it was awaited would be an unhandled rejection.
      for (const call of [
        () => stranger.client.contacts.accept(id),
        () => stranger.client.contacts.decline(id),
        () => stranger.client.contacts.cancel(id),
      ])
        await expectApiError(call(), 'request_not_found', 404);
      const missing = await expectApiError(
        stranger.client.contacts.accept('01900000-0000-7000-8000-000000000000'),
        'request_not_found',
        404,
      );
      const strangerDevice = await device(stranger);
      const ws = await strangerDevice.rt.call('contact.accept', { requestId: id }).catch((e: unknown) => e);
      expect(ws).toMatchObject({ code: 'request_not_found', message: missing.message });
    });

    it('keeps alias and star to the one who set them: starred first, heard only on their devices', async () => {
      const gus = await signUp(ts, 'aliasgus');
      const hal = await signUp(ts, 'aliashal');
      const ivy = await signUp(ts, 'aliasivy');
      const [gus1, hal1] = [await device(gus), await device(hal)];
      await gus.client.contacts.update(hal.user.id, { alias: 'Hal from work' });
      const starred = await gus1.rt.call<Relationship>('contact.update', { userId: ivy.user.id, starred: true });
      expect(starred).toMatchObject({ starred: true, alias: null, state: 'none' });
      await gus1.waitFor((f) => f.event === 'contact.updated' && (f.data as { relationship: Relationship }).relationship.starred);
      const list = await gus.client.contacts.list();
      expect(list.items.map((r) => [r.user.id, r.alias, r.starred])).toEqual([
        [ivy.user.id, null, true],
        [hal.user.id, 'Hal from work', false],
      ]);
      expect(await ts.server.services.contacts.isStarred(gus.user.id, ivy.user.id)).toBe(true);
      expect(await ts.server.services.contacts.isStarred(ivy.user.id, gus.user.id)).toBe(false);
      await settle(200);
      expect(hal1.events.filter((f) => f.event === 'contact.updated')).toEqual([]);
      expect((await hal.client.contacts.get(gus.user.id)).alias).toBeNull();
      expect((await gus.client.contacts.update(hal.user.id, { alias: null })).alias).toBeNull();
    });

    it('tells profile changes live to contacts and people in shared chats, not to strangers', async () => {
      const lea = await signUp(ts, 'proflea');
      const pal = await signUp(ts, 'profpal');
      const mate = await signUp(ts, 'profmate');
      const stranger = await signUp(ts, 'profstranger');
      const sent = await lea.client.contacts.request(pal.user.id);
      await pal.client.contacts.accept(sent.requestId ?? '');
      await mate.client.chats.create({ kind: 'group', name: 'Mates', memberIds: [lea.user.id] });
      const [palWs, mateWs, strangerWs] = [await device(pal), await device(mate), await device(stranger)];
      await lea.client.users.updateMe({ statusText: 'On holiday' });
      for (const d of [palWs, mateWs]) {
        const frame = await d.waitFor((f) => f.event === 'user.updated');
        expect(frame.data).toMatchObject({ user: { id: lea.user.id, statusText: 'On holiday', lastSeenAt: null } });
      }
      await settle(150);
      expect(strangerWs.events.filter((f) => f.event === 'user.updated')).toEqual([]);
    });

    it('fills the notification centre with requests, acceptances, group invitations and mentions; read, unread and clear sync', async () => {
      const jo = await signUp(ts, 'centrejo');
      const kim = await signUp(ts, 'centrekim');
      const [kim1, kim2] = [await device(kim), await device(kim)];
      const request = await jo.client.contacts.request(kim.user.id, 'hello');
      const created = await kim2.waitFor((f) => f.event === 'notification.created');
      expect(created.data).toMatchObject({
        unreadCount: 1,
        notification: { kind: 'contact_request', actor: { id: jo.user.id }, data: { note: 'hello' } },
      });
      const group = await jo.client.chats.create({ kind: 'group', name: 'Book club', memberIds: [kim.user.id] });
      await jo.client.messages.send(group.id, { clientId: `m${Date.now()}`, text: `hi @${kim.user.username}` });
      await kim1.waitFor((f) => f.event === 'notification.created' && (f.data as { unreadCount: number }).unreadCount === 3);

      const page = await kim.client.notificationCentre.list();
      expect(page.unreadCount).toBe(3);
      expect(page.items.map((n) => n.kind).sort()).toEqual(['contact_request', 'group_invite', 'mention']);
      expect(page.items.find((n) => n.kind === 'group_invite')).toMatchObject({ chatId: group.id, data: { chatName: 'Book club' } });
      expect(page.items.find((n) => n.kind === 'mention')).toMatchObject({ chatId: group.id, read: false });

      // Accepting removes the request's notification and tells the sender.
      await kim.client.contacts.accept(request.requestId ?? '');
      const jos = await jo.client.notificationCentre.list();
      expect(jos.items.map((n) => n.kind)).toEqual(['contact_accepted']);
      await kim2.waitFor((f) => f.event === 'notification.removed');
      const mention = (await kim.client.notificationCentre.list()).items.find((n) => n.kind === 'mention');
      expect(await kim.client.notificationCentre.markRead([mention?.id ?? ''])).toEqual({ unreadCount: 1 });
      await kim2.waitFor((f) => f.event === 'notification.read' && (f.data as { unreadCount: number }).unreadCount === 1);
      expect((await kim1.rt.call<{ unreadCount: number }>('notification.read', {})).unreadCount).toBe(0);
      expect(await kim.client.notificationCentre.clear()).toEqual({ unreadCount: 0 });
      await kim2.waitFor((f) => f.event === 'notification.removed' && (f.data as { unreadCount: number }).unreadCount === 0);
      expect((await kim.client.notificationCentre.list()).items).toEqual([]);
      // Another feature adds its own kind through the service.
      const added = await ts.server.services.notificationCentre.add(kim.user.id, { kind: 'reminder', data: { text: 'call mum' } });
      expect(added).toMatchObject({ kind: 'reminder', actor: null, read: false });
      expect((await kim.client.notificationCentre.list()).unreadCount).toBe(1);
    });
  });
}
