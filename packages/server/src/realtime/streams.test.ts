/**
 * The guarantees of the per-stream core: each socket gets each stream in order and
 * without gaps whatever order commits publish in; a quiet stream resumes with nothing to
 * do however busy others are; replays carry current state and never reach before a
 * member's join; private events leave skip markers; a long backlog is paced, not cut off.
 */
import type { EventFrame, Message } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../test/dialects.js';
import { connectDevice, rawSocket, settle } from '../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../test/test-server.js';
import type { BusMessage, EventBus } from './bus.js';

let counter = 0;
const cid = () => `st${Date.now().toString(36)}${(counter++).toString(36)}`;
const textOf = (e: EventFrame) => (e.data as { message?: Message }).message?.text;
const created = (events: EventFrame[], chatId: string) =>
  events.filter((e) => e.event === 'message.created' && (e.data as { message: Message }).message.chatId === chatId);

/**
 * A bus that holds back the publication of the message whose text is `held` until the
 * next stored event has been published — or, with `drop`, never publishes it at all.
 */
function reorderingBus(control: { held: string | null; drop: boolean }) {
  return (bus: EventBus): EventBus => {
    let waiting: BusMessage | null = null;
    return {
      publish(message) {
        if (message.kind === 'stored' && control.held && JSON.stringify(message.data).includes(control.held)) {
          control.held = null;
          waiting = message;
          return;
        }
        bus.publish(message);
        if (waiting && message.kind === 'stored') {
          const late = waiting;
          waiting = null;
          if (!control.drop) bus.publish(late);
        }
      },
      subscribe: (handler, interest) => bus.subscribe(handler, interest),
      close: () => bus.close(),
    };
  };
}

for (const dialect of DIALECTS) {
  describe(`per-stream delivery on ${dialect}`, () => {
    const control = { held: null as string | null, drop: false };
    let ts: TestServer;
    beforeAll(async () => {
      ts = await startTestServer(
        dialect,
        { WS_SEND_BURST: '100000', WS_SEND_RATE_PER_SECOND: '100000', RESUME_MAX_EVENTS: '1000', WS_MAX_BUFFERED_BYTES: '65536' },
        { wrapBus: reorderingBus(control) },
      );
    });
    afterAll(() => ts.close());

    for (const drop of [false, true]) {
      it(`delivers two commits to every socket in seq order when the later one publishes first${drop ? ' and the earlier never does' : ''}`, async () => {
        const a = await signUp(ts, 'order');
        const b = await signUp(ts, 'orderb');
        const c = await signUp(ts, 'orderc');
        const group = await a.client.chats.create({ kind: 'group', name: 'Reorder', memberIds: [b.user.id, c.user.id] });
        const devices = await Promise.all([a, b, c].map((p) => connectDevice(ts.url, p.token)));
        control.drop = drop;
        control.held = `first ${drop}`;
        const first = await a.client.messages.send(group.id, { clientId: cid(), text: `first ${drop}` });
        const second = await b.client.messages.send(group.id, { clientId: cid(), text: `second ${drop}` });
        expect(second.seq).toBe(first.seq + 1);
        for (const device of devices) {
          await device.waitFor(() => created(device.events, group.id).length >= 2);
          expect(created(device.events, group.id).map(textOf)).toEqual([`first ${drop}`, `second ${drop}`]);
          const seqs = device.events.filter((e) => e.stream === `c:${group.id}`).map((e) => e.seq);
          expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] ?? 0) + i));
        }
        for (const device of devices) device.close();
      });
    }

    it('resumes a user quiet in chat A with nothing to replay and nothing to reload while 50,000 events happen in chat B', {
      timeout: 120_000,
    }, async () => {
      const quiet = await signUp(ts, 'quiet');
      const friend = await signUp(ts, 'friend');
      const busy = await signUp(ts, 'busy');
      const chatA = await quiet.client.chats.openDirect(friend.user.id);
      const chatB = await busy.client.chats.create({ kind: 'group', name: 'Busy', memberIds: [friend.user.id] });
      const device = await connectDevice(ts.url, quiet.token);
      const positions = { ...device.rt.positions };
      device.close();
      for (let batch = 0; batch < 50; batch += 1) {
        await ts.server.services.transact(async (uow) => {
          for (let i = 0; i < 1000; i += 1) {
            await uow.emit({
              name: 'read.updated',
              chatId: chatB.id,
              data: { chatId: chatB.id, userId: busy.user.id, lastReadSeq: batch * 1000 + i },
            });
          }
        });
      }
      const back = await connectDevice(ts.url, quiet.token, { streams: positions });
      expect(back.hello).toMatchObject({ replay: 'replayed', replayedCount: 0, reload: [], gone: [] });
      expect(back.hello.streams[`c:${chatA.id}`]).toBe(positions[`c:${chatA.id}`]);
      await settle(100);
      expect(back.events).toEqual([]);
      back.close();
    });

    it('replays current state only: no deleted or pre-edit text for an old member, nothing from before the join for a new one', async () => {
      const owner = await signUp(ts, 'current');
      const old = await signUp(ts, 'oldmember');
      const late = await signUp(ts, 'latemember');
      const group = await owner.client.chats.create({ kind: 'group', name: 'Current', memberIds: [old.user.id] });
      const oldDevice = await connectDevice(ts.url, old.token);
      const lateDevice = await connectDevice(ts.url, late.token);
      const positions = { ...oldDevice.rt.positions };
      oldDevice.close();
      const edited = await owner.client.messages.send(group.id, { clientId: cid(), text: 'original wording' });
      await owner.client.messages.edit(group.id, edited.id, 'better wording');
      const gone = await owner.client.messages.send(group.id, { clientId: cid(), text: 'regrettable words' });
      await owner.client.messages.delete(group.id, gone.id);
      await owner.client.chats.addMembers(group.id, [late.user.id]);
      await owner.client.messages.send(group.id, { clientId: cid(), text: 'welcome' });

      const resumed = await connectDevice(ts.url, old.token, { streams: positions });
      await resumed.waitFor((e) => textOf(e) === 'welcome');
      const replayed = JSON.stringify(resumed.events);
      expect(replayed).not.toContain('original wording');
      expect(replayed).not.toContain('regrettable words');
      const createdTexts = created(resumed.events, group.id).map(textOf);
      expect(createdTexts).toContain('better wording');
      const tombstone = created(resumed.events, group.id).find((e) => (e.data as { message: Message }).message.id === gone.id);
      expect((tombstone?.data as { message?: Message } | undefined)?.message).toMatchObject({ text: '', deletedAt: expect.any(String) });

      // The newcomer, live: their first event in the chat is their own join.
      await lateDevice.waitFor((e) => textOf(e) === 'welcome');
      const lateFrames = lateDevice.events.filter((e) => e.stream === `c:${group.id}`);
      expect(lateFrames[0]?.event).toBe('member.joined');
      expect(JSON.stringify(lateDevice.events)).not.toMatch(/original wording|better wording|regrettable/);
      // …and a newcomer claiming an older position is told to reload, not sent the past.
      const raw = await rawSocket(ts.url);
      raw.send(JSON.stringify({ id: 'h', cmd: 'hello', params: { token: late.token, streams: { [`c:${group.id}`]: 0 } } }));
      const hello = (await raw.reply('h')) as { result: { reload: string[] } };
      expect(hello.result.reload).toContain(`c:${group.id}`);
      await settle(150);
      expect(raw.frames.filter((f) => f.type === 'event')).toEqual([]);
      raw.ws.close();
      for (const d of [resumed, lateDevice]) d.close();
    });

    it('marks the positions of private events with skips for the other members, live and replayed', async () => {
      const owner = await signUp(ts, 'skipowner');
      const alice = await signUp(ts, 'skipalice');
      const bob = await signUp(ts, 'skipbob');
      const group = await owner.client.chats.create({ kind: 'group', name: 'Skips', memberIds: [alice.user.id, bob.user.id] });
      const live = await rawSocket(ts.url);
      live.send(JSON.stringify({ id: 'h', cmd: 'hello', params: { token: owner.token } }));
      const hello = (await live.reply('h')) as { result: { streams: Record<string, number> } };
      const stream = `c:${group.id}`;
      const from = hello.result.streams[stream] ?? 0;
      const secret = await alice.client.messages.send(group.id, { clientId: cid(), text: 'just us', privateTo: bob.user.id });
      await bob.client.messages.react(group.id, secret.id, '🤫');
      await alice.client.messages.send(group.id, { clientId: cid(), text: 'hello everyone' });
      const started = Date.now();
      while (!live.frames.some((f) => JSON.stringify(f).includes('hello everyone')) && Date.now() - started < 5000) await settle(20);
      const mine = (frames: Array<Record<string, unknown>>) =>
        frames.filter((f) => f.stream === stream).map((f) => `${f.seq}:${f.type === 'skip' ? 'skip' : f.event}`);
      expect(mine(live.frames)).toEqual([`${from + 1}:skip`, `${from + 2}:skip`, `${from + 3}:message.created`]);
      expect(JSON.stringify(live.frames)).not.toContain('just us');
      live.ws.close();

      const replay = await rawSocket(ts.url);
      replay.send(JSON.stringify({ id: 'h', cmd: 'hello', params: { token: owner.token, streams: hello.result.streams } }));
      await replay.reply('h');
      while (!replay.frames.some((f) => JSON.stringify(f).includes('hello everyone')) && Date.now() - started < 10_000) await settle(20);
      expect(mine(replay.frames)).toEqual(mine(live.frames));
      replay.ws.close();
    });

    it('deletes a chat with one event, the last of its stream, that every member hears; a resume then calls the chat gone', async () => {
      const owner = await signUp(ts, 'delowner');
      const member = await signUp(ts, 'delmember');
      const group = await owner.client.chats.create({ kind: 'group', name: 'Doomed', memberIds: [member.user.id] });
      await owner.client.messages.send(group.id, { clientId: cid(), text: 'last words' });
      const devices = await Promise.all([owner, member, member].map((p) => connectDevice(ts.url, p.token)));
      const before = { ...devices[2]?.rt.positions };
      devices[2]?.close();
      await owner.client.chats.delete(group.id);
      const stream = `c:${group.id}`;
      for (const device of devices.slice(0, 2)) {
        const deleted = await device.waitFor((e) => e.event === 'chat.deleted');
        expect(deleted).toMatchObject({ stream, seq: (before[stream] ?? 0) + 1, data: { chatId: group.id, by: owner.user.id } });
      }
      const rows = await ts.server.storage.db.selectFrom('events').select(['name']).where('stream', '=', stream).execute();
      expect(rows).toEqual([{ name: 'chat.deleted' }]);
      const back = await connectDevice(ts.url, member.token, { streams: before });
      expect(back.hello.gone).toEqual([stream]);
      for (const device of [...devices.slice(0, 2), back]) device.close();
    });

    it('follows a member who is removed and added again live from their new join, on the same socket', async () => {
      const owner = await signUp(ts, 'readdowner');
      const member = await signUp(ts, 'readded');
      const group = await owner.client.chats.create({ kind: 'group', name: 'Again', memberIds: [member.user.id] });
      const device = await connectDevice(ts.url, member.token);
      await owner.client.chats.removeMember(group.id, member.user.id);
      await device.waitFor((e) => e.event === 'member.left');
      await owner.client.messages.send(group.id, { clientId: cid(), text: 'while you were out' });
      await owner.client.chats.addMembers(group.id, [member.user.id]);
      await owner.client.messages.send(group.id, { clientId: cid(), text: 'welcome back' });
      await device.waitFor((e) => textOf(e) === 'welcome back');
      expect(device.rt.state).toBe('open');
      expect(device.events.map(textOf)).not.toContain('while you were out');
      const rejoin = device.events.filter((e) => e.stream === `c:${group.id}`).findLast((e) => e.event === 'member.joined');
      expect(device.rt.positions[`c:${group.id}`]).toBeGreaterThan(rejoin?.seq ?? Number.POSITIVE_INFINITY);
      device.close();
    });

    it('refuses a hello whose stream positions are malformed with validation_failed naming the field', async () => {
      const user = await signUp(ts, 'badhello');
      for (const streams of [{ 'x:1': 1 }, { 'c:abc': -1 }, { 'c:abc': 1e20 }, { 'c:abc': 1.5 }, 'c:abc']) {
        const raw = await rawSocket(ts.url);
        raw.send(JSON.stringify({ id: 'h', cmd: 'hello', params: { token: user.token, streams } }));
        expect(await raw.reply('h')).toMatchObject({
          type: 'error',
          error: { code: 'validation_failed', details: { location: 'params', field: expect.stringMatching(/^streams/) } },
        });
        raw.ws.close();
      }
    });

    it('paces a long replay by the socket drain: a client that keeps reading gets it all and is not cut off', {
      timeout: 60_000,
    }, async () => {
      const a = await signUp(ts, 'backlog');
      const b = await signUp(ts, 'reader');
      const chat = await a.client.chats.openDirect(b.user.id);
      const device = await connectDevice(ts.url, b.token);
      const positions = { ...device.rt.positions };
      device.close();
      // 400 events of ~4 KB: 25 times the 64 KiB bound on this server's outgoing buffer.
      const text = 'ж'.repeat(2000);
      for (let i = 0; i < 400; i += 1) await a.client.messages.send(chat.id, { clientId: cid(), text: `${i} ${text}` });
      const cutoffsBefore = ts.server.realtime.stats.slowConsumerCutoffs;
      const back = await connectDevice(ts.url, b.token, { streams: positions });
      expect(back.hello.replayedCount).toBe(400);
      await back.waitFor(() => created(back.events, chat.id).length >= 400, 30_000);
      expect(created(back.events, chat.id).map((e) => (e.data as { message: Message }).message.seq)).toEqual(
        Array.from({ length: 400 }, (_, i) => i + 1),
      );
      expect(ts.server.realtime.stats.slowConsumerCutoffs).toBe(cutoffsBefore);
      expect(back.rt.state).toBe('open');
      back.close();
    });
  });
}
