/**
 * Privacy settings and blocks, enforced by the server on every route and command: a DM
 * or an add-to-group refused with `privacy_restricted` (the same for a block, so a block
 * cannot be told apart), search not finding a hidden email, last seen and presence absent
 * from every response and event for someone not allowed (reciprocally), requests from a
 * blocked person silenced, no notifications from them; away presence heard live by those
 * allowed only.
 */
import type { EventFrame } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { expectApiError } from '../../test/expect-error.js';
import { connectDevice, type Device, settle } from '../../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';

type Person = Awaited<ReturnType<typeof signUp>>;
const presenceOf = (userId: string) => (f: EventFrame) => f.event === 'presence' && (f.data as { userId: string }).userId === userId;
let n = 0;
const cid = () => `pv${Date.now().toString(36)}${(n++).toString(36)}`;

for (const dialect of DIALECTS) {
  describe(`privacy and blocking on ${dialect}`, () => {
    let ts: TestServer;
    const devices: Device[] = [];
    beforeAll(async () => {
      ts = await startTestServer(dialect, { ACTION_BURST: '10000', ACTION_RATE_PER_SECOND: '10000', PRESENCE_GRACE_MS: '50' });
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
    const befriend = async (a: Person, b: Person) => {
      const sent = await a.client.contacts.request(b.user.id);
      await b.client.contacts.accept(sent.requestId ?? '');
    };

    it('refuses a direct chat by "who may message me" (nobody, contacts) over REST and the socket, with a clear code', async () => {
      const ann = await signUp(ts, 'dmann');
      const friend = await signUp(ts, 'dmfriend');
      const stranger = await signUp(ts, 'dmstranger');
      await befriend(ann, friend);
      expect(await ann.client.people.updatePrivacy({ directMessages: 'contacts' })).toMatchObject({ directMessages: 'contacts' });
      const refused = await expectApiError(stranger.client.chats.openDirect(ann.user.id), 'privacy_restricted', 403);
      expect(refused.details).toMatchObject({ field: 'userId' });
      expect((await stranger.client.people.profile(ann.user.id)).canMessage).toBe(false);
      const ws = await device(stranger);
      expect(await ws.rt.call('chat.openDirect', { userId: ann.user.id }).catch((e: unknown) => e)).toMatchObject({
        code: 'privacy_restricted',
      });
      const chat = await friend.client.chats.openDirect(ann.user.id);
      await ann.client.people.updatePrivacy({ directMessages: 'nobody' });
      await expectApiError((await signUp(ts, 'dmlate')).client.chats.openDirect(ann.user.id), 'privacy_restricted', 403);
      // An existing direct chat stays open.
      expect((await friend.client.chats.openDirect(ann.user.id)).id).toBe(chat.id);
      await friend.client.messages.send(chat.id, { clientId: cid(), text: 'still here' });
    });

    it('refuses adding someone to a group by "who may add me" (contacts), when creating and when adding', async () => {
      const bea = await signUp(ts, 'grpbea');
      const friend = await signUp(ts, 'grpfriend');
      const stranger = await signUp(ts, 'grpstranger');
      await befriend(bea, friend);
      await bea.client.people.updatePrivacy({ groupInvites: 'contacts' });
      const refused = await expectApiError(
        stranger.client.chats.create({ kind: 'group', name: 'Nope', memberIds: [bea.user.id] }),
        'privacy_restricted',
        403,
      );
      expect(refused.details).toMatchObject({ field: 'userIds', userIds: [bea.user.id] });
      const group = await stranger.client.chats.create({ kind: 'group', name: 'Later', memberIds: [friend.user.id] });
      await expectApiError(stranger.client.chats.addMembers(group.id, [bea.user.id]), 'privacy_restricted', 403);
      const ws = await device(stranger);
      expect(await ws.rt.call('member.add', { chatId: group.id, userIds: [bea.user.id] }).catch((e: unknown) => e)).toMatchObject({
        code: 'privacy_restricted',
      });
      // A contact may.
      expect((await friend.client.chats.create({ kind: 'group', name: 'Fine', memberIds: [bea.user.id] })).memberCount).toBe(2);
    });

    it('finds a hidden email by nothing but username and name', async () => {
      const me = await signUp(ts, 'searcher');
      const cleo = await signUp(ts, 'hidecleo');
      const email = `hidecleo${cleo.user.username.slice(8)}@example.org`;
      expect((await me.client.users.search(email)).items.map((u) => u.id)).toEqual([cleo.user.id]);
      await cleo.client.people.updatePrivacy({ hideEmail: true });
      expect((await me.client.users.search(email)).items).toEqual([]);
      expect((await me.client.users.search(cleo.user.username)).items.map((u) => u.id)).toEqual([cleo.user.id]);
      expect(await cleo.client.people.privacy()).toMatchObject({ hideEmail: true });
    });

    it('keeps last seen and online status from everyone the setting excludes, reciprocally, in every response and event', async () => {
      const dee = await signUp(ts, 'seendee');
      const friend = await signUp(ts, 'seenfriend');
      const other = await signUp(ts, 'seenother');
      await befriend(dee, friend);
      const group = await dee.client.chats.create({ kind: 'group', name: 'Seen', memberIds: [friend.user.id, other.user.id] });
      await other.client.chats.openDirect(dee.user.id);
      await dee.client.people.updatePrivacy({ lastSeen: 'contacts' });
      const [friendWs, otherWs] = [await device(friend), await device(other)];
      // Dee comes online, then goes offline: only the contact hears it.
      const deeWs = await connectDevice(ts.url, dee.token);
      await friendWs.waitFor(presenceOf(dee.user.id));
      deeWs.close();
      const offline = await friendWs.waitFor((f) => presenceOf(dee.user.id)(f) && !(f.data as { online: boolean }).online);
      expect((offline.data as { lastSeenAt: string | null }).lastSeenAt).not.toBeNull();
      await settle(200);
      expect(otherWs.events.filter(presenceOf(dee.user.id))).toEqual([]);

      const seenBy = async (viewer: Person) => {
        const members = await viewer.client.chats.members(group.id);
        const member = members.items.find((m) => m.user.id === dee.user.id);
        const direct = (await viewer.client.chats.list()).items.find((c) => c.peer?.id === dee.user.id);
        return {
          profile: (await viewer.client.users.get(dee.user.id)).lastSeenAt !== null,
          richProfile: (await viewer.client.people.profile(dee.user.id)).presence !== null,
          search: (await viewer.client.users.search(dee.user.username)).items[0]?.lastSeenAt !== null,
          member: member?.user.lastSeenAt !== null,
          directPeer: direct ? direct.peer?.lastSeenAt !== null : 'no direct chat',
        };
      };
      expect(await seenBy(friend)).toEqual({ profile: true, richProfile: true, search: true, member: true, directPeer: 'no direct chat' });
      expect(await seenBy(other)).toEqual({ profile: false, richProfile: false, search: false, member: false, directPeer: false });

      // Reciprocal: hiding your own from everyone hides everyone's from you.
      await friend.client.people.updatePrivacy({ lastSeen: 'nobody' });
      expect((await friend.client.users.get(dee.user.id)).lastSeenAt).toBeNull();
      expect((await friend.client.people.profile(dee.user.id)).presence).toBeNull();
      // Events carry nobody's presence: who may see it differs per reader.
      await dee.client.chats.create({ kind: 'group', name: 'Later', memberIds: [friend.user.id, other.user.id] });
      const joined = await otherWs.waitFor((f) => f.event === 'chat.created');
      for (const m of (joined.data as { members: Array<{ online: boolean; user: { lastSeenAt: string | null } }> }).members)
        expect([m.online, m.user.lastSeenAt]).toEqual([false, null]);
    });

    it('blocks silently: no DM, no adding, requests stay with the sender, no presence, no notifications; unblocking restores', async () => {
      const eve = await signUp(ts, 'blockeve');
      const troll = await signUp(ts, 'blocktroll');
      const host = await signUp(ts, 'blockhost');
      const [eveWs, trollWs] = [await device(eve), await device(troll)];
      const group = await host.client.chats.create({ kind: 'group', name: 'Shared', memberIds: [eve.user.id, troll.user.id] });
      const direct = await troll.client.chats.openDirect(eve.user.id);
      const blocked = await eve.client.contacts.block(troll.user.id);
      expect(blocked).toMatchObject({ blocked: true });
      expect(await ts.server.services.contacts.isBlocked(eve.user.id, troll.user.id)).toBe(true);
      expect(await ts.server.services.contacts.isBlocked(troll.user.id, eve.user.id)).toBe(false);
      await settle(100);
      // Silent: the blocked person hears nothing and sees no change.
      expect(trollWs.events.filter((f) => f.event === 'contact.updated')).toEqual([]);
      expect((await troll.client.contacts.get(eve.user.id)).blocked).toBe(false);

      await expectApiError(troll.client.messages.send(direct.id, { clientId: cid(), text: 'let me in' }), 'privacy_restricted', 403);
      await expectApiError(troll.client.chats.create({ kind: 'group', name: 'Trap', memberIds: [eve.user.id] }), 'privacy_restricted', 403);
      // A request is "sent" for the troll, and nothing at all for Eve.
      const request = await troll.client.contacts.request(eve.user.id, 'please');
      expect(request.state).toBe('sent');
      expect((await eve.client.contacts.list()).pendingCount).toBe(0);
      expect((await eve.client.contacts.get(troll.user.id)).state).toBe('none');
      await expectApiError(eve.client.contacts.accept(request.requestId ?? ''), 'request_not_found', 404);
      // A mention of her in the shared group notifies nothing; the message itself is there for her client to collapse.
      await troll.client.messages.send(group.id, { clientId: cid(), text: `hey @${eve.user.username}` });
      const history = await eve.client.messages.history(group.id);
      expect(history.items.at(-1)).toMatchObject({ senderId: troll.user.id });
      expect((await eve.client.notificationCentre.list()).items.filter((i) => i.actor?.id === troll.user.id)).toEqual([]);
      await settle(100);
      const fromTroll = (f: EventFrame) =>
        f.event === 'notification.created' &&
        (f.data as { notification: { actor: { id: string } | null } }).notification.actor?.id === troll.user.id;
      expect(eveWs.events.filter(fromTroll)).toEqual([]);
      // No presence for the troll: Eve's online status is hidden from them.
      expect((await troll.client.people.profile(eve.user.id)).presence).toBeNull();
      expect((await troll.client.chats.members(group.id)).items.find((m) => m.user.id === eve.user.id)?.online).toBe(false);
      const second = await connectDevice(ts.url, eve.token);
      second.close();
      await settle(200);
      expect(trollWs.events.filter(presenceOf(eve.user.id))).toEqual([]);

      await eve.client.contacts.unblock(troll.user.id);
      expect((await troll.client.messages.send(direct.id, { clientId: cid(), text: 'sorry' })).text).toBe('sorry');
      expect((await troll.client.people.profile(eve.user.id)).presence).toBe('online');
    });

    it('tells away and back live, to those allowed only', async () => {
      const fin = await signUp(ts, 'awayfin');
      const pal = await signUp(ts, 'awaypal');
      const hidden = await signUp(ts, 'awayhidden');
      await fin.client.chats.create({ kind: 'group', name: 'Away', memberIds: [pal.user.id, hidden.user.id] });
      await hidden.client.people.updatePrivacy({ lastSeen: 'nobody' });
      const [finWs, palWs, hiddenWs] = [await device(fin), await device(pal), await device(hidden)];
      expect(await finWs.rt.call('presence.set', { status: 'away' })).toEqual({ status: 'away' });
      const away = await palWs.waitFor((f) => presenceOf(fin.user.id)(f) && (f.data as { away: boolean }).away);
      expect(away.data).toMatchObject({ online: true, away: true });
      expect((await pal.client.people.profile(fin.user.id)).presence).toBe('away');
      expect(await fin.client.people.setPresence('online')).toEqual({ status: 'online' });
      await palWs.waitFor((f) => presenceOf(fin.user.id)(f) && !(f.data as { away: boolean }).away);
      await settle(100);
      expect(hiddenWs.events.filter(presenceOf(fin.user.id))).toEqual([]);
    });

    it('keeps away set by hand when another device comes back from idle, until back by hand', async () => {
      const gus = await signUp(ts, 'awaygus');
      const pal = await signUp(ts, 'awaygpal');
      await gus.client.chats.create({ kind: 'group', name: 'By hand', memberIds: [pal.user.id] });
      const [laptop, phone, palWs] = [await device(gus), await device(gus), await device(pal)];
      const awayOf = (f: EventFrame) => (f.data as { away: boolean }).away;
      // The phone idles first, then the person sets themself away on the laptop.
      expect(await phone.rt.call('presence.set', { status: 'away' })).toEqual({ status: 'away' });
      await palWs.waitFor((f) => presenceOf(gus.user.id)(f) && awayOf(f));
      expect(await laptop.rt.call('presence.set', { status: 'away', byHand: true })).toEqual({ status: 'away' });
      // The phone is touched again: its idle ends, the choice made by hand does not.
      expect(await phone.rt.call('presence.set', { status: 'online' })).toEqual({ status: 'away' });
      await settle(200);
      expect(palWs.events.filter((f) => presenceOf(gus.user.id)(f) && !awayOf(f))).toEqual([]);
      expect((await pal.client.people.profile(gus.user.id)).presence).toBe('away');
      // Back by hand, from any device, ends it.
      expect(await phone.rt.call('presence.set', { status: 'online', byHand: true })).toEqual({ status: 'online' });
      await palWs.waitFor((f) => presenceOf(gus.user.id)(f) && !awayOf(f));
      expect((await pal.client.people.profile(gus.user.id)).presence).toBe('online');
    });
  });
}
