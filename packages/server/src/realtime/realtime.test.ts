import { CLOSE_CODES, type EventFrame, type Message } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../ids.js';
import { usersRepo } from '../modules/users/users.repo.js';
import { DIALECTS } from '../test/dialects.js';
import { connectDevice, rawSocket, settle, sleep } from '../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../test/test-server.js';
import { userRow } from '../test/user-row.js';
import { pruneEvents } from './event-log.js';
import { PRESENCE_MAX_CHAT_MEMBERS } from './presence.repo.js';

let counter = 0;
const cid = () => `rt${Date.now().toString(36)}${(counter++).toString(36)}`;
const stored = (events: EventFrame[]) => events.filter((e) => e.seq !== undefined);
const summary = (events: EventFrame[]) => stored(events).map((e) => `${e.stream}:${e.seq}:${e.event}`);
/** Events after the positions a device had. */
const after = (events: EventFrame[], positions: Readonly<Record<string, number>>) =>
  stored(events).filter((e) => (e.seq ?? 0) > (positions[e.stream ?? ''] ?? 0));

for (const dialect of DIALECTS) {
  describe(`real-time delivery on ${dialect}`, () => {
    let ts: TestServer;
    beforeAll(async () => {
      ts = await startTestServer(dialect, {
        WS_SEND_BURST: '100000',
        WS_SEND_RATE_PER_SECOND: '100000',
        WS_AUTH_TIMEOUT_MS: '400',
        RESUME_MAX_EVENTS: '30',
        PRESENCE_GRACE_MS: '100',
      });
    });
    afterAll(() => ts.close());

    it('delivers every event to every device of every member, and nothing to a stranger or a removed member after removal', async () => {
      const anna = await signUp(ts, 'anna');
      const bob = await signUp(ts, 'bob');
      const dave = await signUp(ts, 'dave');
      const carol = await signUp(ts, 'carol');
      const [anna1, anna2, bob1, dave1, carol1] = await Promise.all([
        connectDevice(ts.url, anna.token),
        connectDevice(ts.url, anna.token),
        connectDevice(ts.url, bob.token),
        connectDevice(ts.url, dave.token),
        connectDevice(ts.url, carol.token),
      ]);
      const group = await anna1.rt.call<{ id: string }>('chat.create', {
        kind: 'group',
        name: 'Fan-out',
        memberIds: [bob.user.id, dave.user.id],
      });
      const m = await anna1.rt.sendMessage({ chatId: group.id, clientId: cid(), text: 'hello all' });
      await anna2.rt.call('message.edit', { chatId: group.id, messageId: m.id, text: 'never mind' });
      await dave1.rt.call('reaction.add', { chatId: group.id, messageId: m.id, emoji: '🎉' });
      await bob1.rt.call('read.mark', { chatId: group.id, seq: m.seq });
      await anna1.rt.call('chat.update', { chatId: group.id, name: 'Fan-out 2' });
      await anna1.rt.call('member.remove', { chatId: group.id, userId: dave.user.id });
      const after = await bob1.rt.sendMessage({ chatId: group.id, clientId: cid(), text: 'dave is gone' });
      await anna1.rt.call('message.delete', { chatId: group.id, messageId: after.id });
      for (const device of [anna1, anna2, bob1]) await device.waitFor((e) => e.event === 'message.deleted');
      await settle();

      const expected = [
        'chat.created',
        'message.created',
        'message.created',
        'message.created',
        'message.updated',
        'reaction.changed',
        'read.updated',
        'chat.updated',
        'message.created',
        'member.left',
        'message.created',
        'message.created',
        'message.deleted',
      ];
      // The chat's own stream; each person's stream also carries their own notifications (an invitation, a mention).
      const inGroup = (events: EventFrame[]) => events.filter((e) => e.stream === `c:${group.id}`);
      for (const device of [anna1, anna2, bob1]) expect(inGroup(device.events).map((e) => e.event)).toEqual(expected);
      expect(summary(anna2.events)).toEqual(summary(anna1.events));
      // A reaction travels as a delta, not as the message's whole reaction list.
      expect(bob1.events.find((e) => e.event === 'reaction.changed')?.data).toEqual({
        chatId: group.id,
        messageId: m.id,
        emoji: '🎉',
        userId: dave.user.id,
        added: true,
      });
      expect(summary(inGroup(bob1.events))).toEqual(summary(inGroup(anna1.events)));
      // Dave saw everything up to and including his removal, and nothing after it.
      const daveEvents = inGroup(dave1.events).map((e) => e.event);
      expect(daveEvents).toEqual(expected.slice(0, expected.indexOf('member.left') + 1));
      expect(JSON.stringify(dave1.events)).not.toContain('dave is gone');
      expect(carol1.events).toEqual([]);
      for (const d of [anna1, anna2, bob1, dave1, carol1]) d.close();
    });

    it('gives 1,000 concurrent sends from 10 clients a gapless sequence that every client observes in the same order', {
      timeout: 120_000,
    }, async () => {
      const owner = await signUp(ts, 'seqowner');
      const people = await Promise.all(Array.from({ length: 9 }, (_, i) => signUp(ts, `seq${i}`)));
      const group = await owner.client.chats.create({ kind: 'group', name: 'Ordering', memberIds: people.map((p) => p.user.id) });
      const devices = await Promise.all([owner, ...people].map((p) => connectDevice(ts.url, p.token)));
      const acks = await Promise.all(
        devices.map((device, d) =>
          Promise.all(
            Array.from({ length: 100 }, (_, i) => device.rt.sendMessage({ chatId: group.id, clientId: cid(), text: `d${d}-${i}` })),
          ),
        ),
      );
      const seqs = acks
        .flat()
        .map((m: Message) => m.seq)
        .sort((a, b) => a - b);
      const first = seqs[0] ?? 0;
      expect(seqs).toEqual(Array.from({ length: 1000 }, (_, i) => first + i));
      await Promise.all(
        devices.map((d) => d.waitFor(() => stored(d.events).filter((e) => e.event === 'message.created').length >= 1000, 90_000)),
      );
      const orders = devices.map((d) =>
        stored(d.events)
          .filter((e) => e.event === 'message.created')
          .map((e) => (e.data as { message: Message }).message.seq),
      );
      for (const order of orders) expect(order).toEqual(seqs);
      // Each client's own sends keep the order it sent them in.
      for (const [d, list] of acks.entries()) expect(list.map((m) => m.text)).toEqual(Array.from({ length: 100 }, (_, i) => `d${d}-${i}`));
      for (const d of devices) d.close();
    });

    it('creates one message when a send is retried with the same client id after the socket dropped', async () => {
      const a = await signUp(ts, 'retrya');
      const b = await signUp(ts, 'retryb');
      const chat = await a.client.chats.openDirect(b.user.id);
      const clientId = cid();
      const raw = await rawSocket(ts.url);
      raw.send(JSON.stringify({ id: 'h', cmd: 'hello', params: { token: a.token } }));
      await raw.reply('h');
      raw.send(JSON.stringify({ id: 's', cmd: 'message.send', params: { chatId: chat.id, clientId, text: 'maybe lost' } }));
      raw.ws.terminate();
      const device = await connectDevice(ts.url, a.token);
      const retried = await device.rt.sendMessage({ chatId: chat.id, clientId, text: 'maybe lost' });
      const again = await device.rt.sendMessage({ chatId: chat.id, clientId, text: 'maybe lost' });
      expect(again.id).toBe(retried.id);
      const history = await b.client.messages.history(chat.id);
      expect(history.items.filter((m) => m.kind === 'text')).toHaveLength(1);
      device.close();
    });

    it('replays exactly the missed events of each stream in order after a drop, and reloads only a chat too far behind or pruned', async () => {
      const a = await signUp(ts, 'resumea');
      const b = await signUp(ts, 'resumeb');
      const chat = await a.client.chats.openDirect(b.user.id);
      const watcher = await connectDevice(ts.url, b.token);
      const flaky = await connectDevice(ts.url, b.token);
      await a.client.messages.send(chat.id, { clientId: cid(), text: 'before drop' });
      await flaky.waitFor((e) => e.event === 'message.created');
      const positions = { ...flaky.rt.positions };
      flaky.close();
      const sent = [];
      for (let i = 0; i < 5; i += 1) sent.push(await a.client.messages.send(chat.id, { clientId: cid(), text: `missed ${i}` }));
      await a.client.messages.react(chat.id, sent[1]?.id ?? '', '👍');
      await watcher.waitFor((e) => e.event === 'reaction.changed');
      const resumed = await connectDevice(ts.url, b.token, { streams: positions });
      expect(resumed.hello).toMatchObject({ replay: 'replayed', reload: [], gone: [] });
      const missedByWatcher = after(watcher.events, positions);
      expect(resumed.hello.replayedCount).toBe(missedByWatcher.length);
      await resumed.waitFor(() => stored(resumed.events).length >= missedByWatcher.length);
      await a.client.messages.send(chat.id, { clientId: cid(), text: 'live again' });
      await resumed.waitFor((e) => e.event === 'message.created' && JSON.stringify(e.data).includes('live again'));
      await watcher.waitFor((e) => e.event === 'message.created' && JSON.stringify(e.data).includes('live again'));
      expect(summary(resumed.events)).toEqual(summary(after(watcher.events, positions)));

      // Far behind in this chat: more missed events than RESUME_MAX_EVENTS (30) — this chat
      // is reloaded, the rest of the streams are not.
      const other = await a.client.chats.create({ kind: 'group', name: 'Quiet', memberIds: [b.user.id] });
      await resumed.waitFor((e) => e.event === 'message.created' && (e.data as { message: Message }).message.chatId === other.id);
      await settle(100);
      const old = { ...resumed.rt.positions };
      resumed.close();
      for (let i = 0; i < 31; i += 1) await a.client.messages.send(chat.id, { clientId: cid(), text: `flood ${i}` });
      const behind = await connectDevice(ts.url, b.token, { streams: old });
      expect(behind.hello.reload).toEqual([`c:${chat.id}`]);
      expect(behind.hello.replayedCount).toBe(0);
      expect(behind.rt.positions[`c:${chat.id}`]).toBe(behind.hello.streams[`c:${chat.id}`]);
      await settle(100);
      expect(stored(behind.events)).toEqual([]);
      // Pruned: a position older than the stream's retained history is reloaded too.
      const pos = { ...behind.rt.positions };
      behind.close();
      await a.client.messages.send(chat.id, { clientId: cid(), text: 'after prune' });
      await pruneEvents(ts.server.storage.db, -60_000);
      const pruned = await connectDevice(ts.url, b.token, { streams: pos });
      expect(pruned.hello.reload).toEqual([`c:${chat.id}`]);
      pruned.close();
      watcher.close();
    });

    it('keeps unread counts, mention counts and "seen by" in agreement across devices', async () => {
      const a = await signUp(ts, 'counta');
      const b = await signUp(ts, 'countb');
      const group = await a.client.chats.create({ kind: 'group', name: 'Counts', memberIds: [b.user.id] });
      const [phone, laptop] = await Promise.all([connectDevice(ts.url, b.token), connectDevice(ts.url, b.token)]);
      const senderDevice = await connectDevice(ts.url, a.token);
      const first = await a.client.messages.send(group.id, { clientId: cid(), text: `hi @${b.user.username}` });
      const second = await a.client.messages.send(group.id, { clientId: cid(), text: 'second' });
      const view = async (device: typeof phone) => {
        const list = await device.rt.call<{ items: Array<{ id: string; unreadCount: number; mentionCount: number }> }>('chat.list');
        const chat = list.items.find((c) => c.id === group.id);
        return [chat?.unreadCount, chat?.mentionCount];
      };
      expect(await view(phone)).toEqual([2, 1]);
      expect(await view(laptop)).toEqual([2, 1]);
      await phone.rt.call('read.mark', { chatId: group.id, seq: second.seq });
      const readOnLaptop = await laptop.waitFor((e) => e.event === 'read.updated');
      expect(readOnLaptop.data).toMatchObject({ chatId: group.id, userId: b.user.id, lastReadSeq: second.seq });
      await senderDevice.waitFor((e) => e.event === 'read.updated');
      expect(await view(laptop)).toEqual([0, 0]);
      expect(await view(phone)).toEqual([0, 0]);
      const seen = await senderDevice.rt.call<{ items: Array<{ userId: string }> }>('message.seenBy', {
        chatId: group.id,
        messageId: first.id,
      });
      expect(seen.items.map((s) => s.userId)).toEqual([b.user.id]);
      for (const d of [phone, laptop, senderDevice]) d.close();
    });

    it('sends private messages, their edits and reactions to the two people only', async () => {
      const owner = await signUp(ts, 'pmowner');
      const alice = await signUp(ts, 'pmalice');
      const bob = await signUp(ts, 'pmbob');
      const group = await owner.client.chats.create({ kind: 'group', name: 'Whispers', memberIds: [alice.user.id, bob.user.id] });
      const [o, a, b] = await Promise.all([
        connectDevice(ts.url, owner.token),
        connectDevice(ts.url, alice.token),
        connectDevice(ts.url, bob.token),
      ]);
      const secret = await a.rt.sendMessage({ chatId: group.id, clientId: cid(), text: 'psst bob', privateTo: bob.user.id });
      await b.rt.call('reaction.add', { chatId: group.id, messageId: secret.id, emoji: '🤐' });
      await a.rt.call('message.edit', { chatId: group.id, messageId: secret.id, text: 'psst bob!' });
      await a.rt.call('message.delete', { chatId: group.id, messageId: secret.id });
      await a.rt.sendMessage({ chatId: group.id, clientId: cid(), text: 'public again' });
      for (const d of [o, a, b]) await d.waitFor((e) => JSON.stringify(e.data).includes('public again'));
      const names = (d: typeof o) =>
        stored(d.events)
          .filter((e) => JSON.stringify(e.data).includes(secret.id))
          .map((e) => e.event);
      expect(names(a)).toEqual(['message.created', 'reaction.changed', 'message.updated', 'message.deleted']);
      expect(names(b)).toEqual(names(a));
      expect(names(o)).toEqual([]);
      expect(JSON.stringify(o.events)).not.toContain('psst');
      for (const d of [o, a, b]) d.close();
    });

    it('shows typing to the other members only, and presence to people who share a chat', async () => {
      const a = await signUp(ts, 'typea');
      const b = await signUp(ts, 'typeb');
      const stranger = await signUp(ts, 'typec');
      const chat = await a.client.chats.openDirect(b.user.id);
      const [da, db, ds] = await Promise.all([
        connectDevice(ts.url, a.token),
        connectDevice(ts.url, b.token),
        connectDevice(ts.url, stranger.token),
      ]);
      await da.rt.call('typing.start', { chatId: chat.id });
      const typing = await db.waitFor((e) => e.event === 'typing');
      expect(typing).toMatchObject({ data: { chatId: chat.id, userId: a.user.id } });
      expect(typing.seq).toBeUndefined();
      expect(typing.stream).toBeUndefined();
      da.close();
      const offline = await db.waitFor((e) => e.event === 'presence' && (e.data as { online: boolean }).online === false, 3000);
      expect((offline.data as { userId: string; lastSeenAt: string | null }).lastSeenAt).not.toBeNull();
      expect(da.events.filter((e) => e.event === 'typing')).toEqual([]);
      await settle(200);
      expect(ds.events).toEqual([]);
      const members = await db.rt.call<{ items: Array<{ user: { id: string }; online: boolean }> }>('member.list', { chatId: chat.id });
      expect(members.items.find((m) => m.user.id === a.user.id)?.online).toBe(false);
      for (const d of [db, ds]) d.close();
    });

    it(`tells presence through chats of up to ${PRESENCE_MAX_CHAT_MEMBERS} members, not through bigger rooms`, async () => {
      const watcher = await signUp(ts, 'pwatch');
      const walker = await signUp(ts, 'pwalk');
      const room = await watcher.client.chats.create({ kind: 'room', name: 'Big', handle: `big${cid()}`.toLowerCase().slice(0, 30) });
      await walker.client.chats.join(room.id);
      const watching = await connectDevice(ts.url, watcher.token);
      const seen = () => watching.events.filter((e) => e.event === 'presence' && (e.data as { userId: string }).userId === walker.user.id);
      const blip = async () => {
        const before = seen().length;
        const device = await connectDevice(ts.url, walker.token);
        await settle(200);
        device.close();
        await settle(300);
        return seen().length - before;
      };
      expect(await blip()).toBeGreaterThan(0);
      // Fill the room past the bound (accounts made directly: only their membership matters).
      const users = usersRepo(ts.server.storage.db);
      const fillers = Array.from({ length: PRESENCE_MAX_CHAT_MEMBERS }, () => newId());
      for (const id of fillers) {
        await users.insert(
          userRow({ id, username: `f${id.slice(0, 8)}`, email: null, display_name: 'Filler', display_name_search: 'filler' }),
        );
      }
      await watcher.client.chats.addMembers(room.id, fillers);
      expect(await blip()).toBe(0);
      watching.close();
    });

    it('closes the sockets of a revoked session and of sessions ended by a password change (4003), and never reconnects them', async () => {
      const a = await signUp(ts, 'closer');
      const other = ts.client();
      const second = await other.auth.login({ login: a.user.username, password: a.password });
      const third = await ts.client().auth.login({ login: a.user.username, password: a.password });
      const s2 = await rawSocket(ts.url);
      s2.send(JSON.stringify({ id: 'h', cmd: 'hello', params: { token: second.token } }));
      await s2.reply('h');
      const s3 = await rawSocket(ts.url);
      s3.send(JSON.stringify({ id: 'h', cmd: 'hello', params: { token: third.token } }));
      await s3.reply('h');
      const sessions = await a.client.auth.sessions();
      const secondId = sessions.items.find(
        (s) => !s.current && s.id === (s2.frames[0] as { result: { sessionId: string } }).result.sessionId,
      )?.id;
      await a.client.auth.revokeSession(secondId ?? '');
      expect((await s2.whenClosed).code).toBe(CLOSE_CODES.sessionEnded);
      await a.client.auth.changePassword({ oldPassword: a.password, newPassword: 'brand new passphrase 9' });
      expect((await s3.whenClosed).code).toBe(CLOSE_CODES.sessionEnded);
    });

    it('closes a socket that does not say hello in time (4001) and refuses commands before hello', async () => {
      const raw = await rawSocket(ts.url);
      raw.send(JSON.stringify({ id: '1', cmd: 'chat.list' }));
      expect(await raw.reply('1')).toMatchObject({ type: 'error', error: { code: 'not_authenticated_yet' } });
      raw.send(JSON.stringify({ id: '2', cmd: 'hello', params: { token: 'not-a-token' } }));
      expect(await raw.reply('2')).toMatchObject({ type: 'error', error: { code: 'unauthenticated' } });
      expect((await raw.whenClosed).code).toBe(CLOSE_CODES.authTimeout);
    });

    it('authenticates by session cookie from an allowed Origin, and refuses the cookie from a foreign Origin', async () => {
      const a = await signUp(ts, 'cookiews');
      const login = await fetch(`${ts.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: a.user.username, password: a.password }),
      });
      const cookie = login.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const host = new URL(ts.url).host;
      const ok = await rawSocket(ts.url, { cookie, origin: `http://${host}` });
      ok.send(JSON.stringify({ id: 'h', cmd: 'hello' }));
      expect(await ok.reply('h')).toMatchObject({ type: 'result', result: { user: { id: a.user.id } } });
      ok.ws.close();
      await expect(rawSocket(ts.url, { cookie, origin: 'https://evil.example' })).rejects.toThrow(/403/);
    });

    it('cuts off a client that stops reading once its buffer passes the bound, and it can resume', { timeout: 90_000 }, async () => {
      const slow = await startTestServer(dialect, {
        WS_MAX_BUFFERED_BYTES: '65536',
        WS_SEND_BURST: '100000',
        WS_SEND_RATE_PER_SECOND: '100000',
      });
      try {
        const a = await signUp(slow, 'flooder');
        const b = await signUp(slow, 'sleeper');
        const chat = await a.client.chats.openDirect(b.user.id);
        const raw = await rawSocket(slow.url);
        raw.send(JSON.stringify({ id: 'h', cmd: 'hello', params: { token: b.token } }));
        const hello = (await raw.reply('h')) as { result: { streams: Record<string, number> } };
        (raw.ws as unknown as { _socket: { pause(): void } })._socket.pause();
        // 4-byte characters: 40 KB per event, so the kernel's socket buffers fill quickly.
        const big = '😀'.repeat(9990);
        const hub = slow.server.realtime.hub;
        for (let i = 0; i < 600 && hub.connectionCount > 0; i += 1)
          await a.client.messages.send(chat.id, { clientId: cid(), text: `${i} ${big}` });
        expect(hub.connectionCount).toBe(0);
        expect(slow.server.realtime.stats.slowConsumerCutoffs).toBe(1);
        (raw.ws as unknown as { _socket: { resume(): void } })._socket.resume();
        // Reading again, the client gets the documented close code, not a bare TCP reset.
        expect((await raw.whenClosed).code).toBe(CLOSE_CODES.slowConsumer);
        const back = await connectDevice(slow.url, b.token, { streams: hello.result.streams });
        expect(back.rt.state).toBe('open');
        back.close();
      } finally {
        await slow.close();
      }
    });

    it("limits each user's send rate, answering rate_limited with a retry time, over the socket and REST alike", async () => {
      const limited = await startTestServer(dialect, { WS_SEND_BURST: '3', WS_SEND_RATE_PER_SECOND: '1' });
      try {
        const a = await signUp(limited, 'hasty');
        const b = await signUp(limited, 'patient');
        const chat = await a.client.chats.openDirect(b.user.id);
        const device = await connectDevice(limited.url, a.token);
        for (let i = 0; i < 3; i += 1) await device.rt.call('message.send', { chatId: chat.id, clientId: cid(), text: `ok ${i}` });
        const error = await device.rt.call('message.send', { chatId: chat.id, clientId: cid(), text: 'too fast' }).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'rate_limited' });
        expect((error as { details: { retryAfterMs: number } }).details.retryAfterMs).toBeGreaterThan(0);
        const rest = await a.client.messages.send(chat.id, { clientId: cid(), text: 'too fast' }).catch((e: unknown) => e);
        expect(rest).toMatchObject({ code: 'rate_limited', status: 429 });
        // Others are not slowed down by one user's flood.
        await b.client.messages.send(chat.id, { clientId: cid(), text: 'my turn' });
        device.close();
      } finally {
        await limited.close();
      }
    });

    it('terminates a socket that stops answering heartbeats', async () => {
      const beat = await startTestServer(dialect, { WS_HEARTBEAT_SECONDS: '1' });
      try {
        const a = await signUp(beat, 'sleepy');
        const raw = await rawSocket(beat.url);
        raw.send(JSON.stringify({ id: 'h', cmd: 'hello', params: { token: a.token } }));
        await raw.reply('h');
        await sleep(1500);
        expect(raw.closed()).toBeNull();
        (raw.ws as unknown as { _socket: { pause(): void } })._socket.pause();
        const started = Date.now();
        while (beat.server.realtime.hub.connectionCount > 0 && Date.now() - started < 5000) await sleep(50);
        expect(beat.server.realtime.hub.connectionCount).toBe(0);
        expect(beat.server.realtime.stats.heartbeatTimeouts).toBe(1);
        raw.ws.terminate();
      } finally {
        await beat.close();
      }
    });
  });
}
