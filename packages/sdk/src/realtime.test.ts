import { HELLO_MAX_STREAMS } from '@parley/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ParleyRealtime, type SocketLike, type StateDetail } from './realtime.js';

interface SentFrame {
  id: string;
  cmd: string;
  params?: { streams?: Record<string, number>; token?: string };
}

/** A socket the test drives by hand: it records what the client sends. */
class FakeSocket implements SocketLike {
  readyState = 0;
  sent: SentFrame[] = [];
  closedWith: number | null = null;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  send(data: string) {
    this.sent.push(JSON.parse(data) as SentFrame);
  }
  close(code = 1000, reason = '') {
    this.closedWith = code;
    this.onclose?.({ code, reason });
  }
  get hello(): SentFrame | undefined {
    return this.sent.find((frame) => frame.cmd === 'hello');
  }
  /** Opens: the client says hello. */
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  /** Opens if not yet and answers the client's hello; then the given frames follow in the same tick. */
  accept(result: Record<string, unknown> = {}, ...frames: object[]) {
    if (this.readyState === 0) this.open();
    const reply = {
      user: { id: 'u1' },
      sessionId: 's1',
      replay: 'live',
      replayedCount: 0,
      streams: { 'u:u1': 2, 'c:a': 7 },
      reload: [],
      gone: [],
      heartbeatSeconds: 25,
      ...result,
    };
    this.push({ type: 'result', id: this.hello?.id, result: reply }, ...frames);
  }
  push(...frames: object[]) {
    for (const frame of frames) this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

const message = (stream: string, seq: number, text = `${stream}#${seq}`) => ({
  type: 'event',
  event: 'message.created',
  stream,
  seq,
  data: { text },
});

/** A client on fake sockets that records every event it passes on and every state change. */
function fakeClient(streams?: Record<string, number>) {
  const sockets: FakeSocket[] = [];
  const realtime = new ParleyRealtime({
    baseUrl: 'http://localhost',
    ...(streams && { streams }),
    createSocket: () => {
      const socket = new FakeSocket();
      sockets.push(socket);
      return socket;
    },
  });
  const received: string[] = [];
  realtime.on('*', (data) => received.push((data as { text?: string }).text ?? JSON.stringify(data)));
  const opened: StateDetail[] = [];
  realtime.onState((state, detail) => {
    if (state === 'open' && detail) opened.push(detail);
  });
  return { realtime, sockets, received, opened };
}

describe('ParleyRealtime.reconnectNow', () => {
  afterEach(() => vi.useRealTimers());

  it('skips the rest of the backoff wait, and does nothing while connected', async () => {
    vi.useFakeTimers();
    const { realtime, sockets } = fakeClient();
    const connected = realtime.connect();
    sockets[0]?.accept();
    await connected;
    realtime.reconnectNow();
    expect(sockets).toHaveLength(1);

    sockets[0]?.close(1012, 'restarting');
    expect(realtime.state).toBe('reconnecting');
    expect(sockets).toHaveLength(1);
    realtime.reconnectNow();
    expect(sockets).toHaveLength(2);
    // A second press while that attempt is under way opens nothing more.
    realtime.reconnectNow();
    expect(sockets).toHaveLength(2);
    sockets[1]?.accept({ replay: 'replayed' });
    await vi.waitFor(() => expect(realtime.state).toBe('open'));
    expect(sockets[1]?.hello?.params).toEqual({ streams: { 'u:u1': 2, 'c:a': 7 } });
    realtime.close();
  });
});

describe('ParleyRealtime stream positions', () => {
  afterEach(() => vi.useRealTimers());

  it('says a first hello without positions, and takes the heads of a live reply as its positions', async () => {
    const { realtime, sockets, opened } = fakeClient();
    const connected = realtime.connect();
    sockets[0]?.accept();
    await connected;
    expect(sockets[0]?.hello?.params).toEqual({});
    expect(realtime.positions).toEqual({ 'u:u1': 2, 'c:a': 7 });
    expect(opened).toEqual([{ replay: 'live', reload: [], gone: [] }]);
    realtime.close();
  });

  it('sends the positions it was started with in its hello', async () => {
    const { realtime, sockets } = fakeClient({ 'u:u1': 1, 'c:a': 5 });
    const connected = realtime.connect();
    sockets[0]?.accept({ replay: 'replayed' });
    await connected;
    expect(sockets[0]?.hello?.params).toEqual({ streams: { 'u:u1': 1, 'c:a': 5 } });
    realtime.close();
  });

  it('advances positions as replayed events arrive, not to the head at once', async () => {
    const { realtime, sockets, received } = fakeClient({ 'u:u1': 2, 'c:a': 5 });
    const connected = realtime.connect();
    sockets[0]?.accept({ replay: 'replayed', replayedCount: 2 }, message('c:a', 6));
    await connected;
    // The head is 7, but only what arrived counts: a drop now must resume from 6.
    expect(realtime.positions).toEqual({ 'u:u1': 2, 'c:a': 6 });
    sockets[0]?.push(message('c:a', 7));
    expect(realtime.positions['c:a']).toBe(7);
    expect(received).toEqual(['c:a#6', 'c:a#7']);
    realtime.close();
  });

  it('moves a stream to be reloaded to its head, and reports it with the open state', async () => {
    const { realtime, sockets, received, opened } = fakeClient({ 'u:u1': 2, 'c:a': 1 });
    const connected = realtime.connect();
    // The next live event right behind the reply, in the same tick, already fits the head.
    sockets[0]?.accept({ replay: 'replayed', streams: { 'u:u1': 2, 'c:a': 40 }, reload: ['c:a'] }, message('c:a', 41));
    await connected;
    expect(opened).toEqual([{ replay: 'replayed', reload: ['c:a'], gone: [] }]);
    expect(realtime.positions).toEqual({ 'u:u1': 2, 'c:a': 41 });
    expect(received).toEqual(['c:a#41']);
    expect(sockets[0]?.closedWith).toBeNull();
    realtime.close();
  });

  it('drops the position of a stream that is gone, or that the reply does not name', async () => {
    // c:c stands for a chat a hello over HELLO_MAX_STREAMS left out: the server can't call it gone.
    const { realtime, sockets, opened } = fakeClient({ 'u:u1': 2, 'c:a': 7, 'c:b': 3, 'c:c': 1 });
    const connected = realtime.connect();
    sockets[0]?.accept({ replay: 'replayed', gone: ['c:b'] });
    await connected;
    expect(opened).toEqual([{ replay: 'replayed', reload: [], gone: ['c:b'] }]);
    expect(realtime.positions).toEqual({ 'u:u1': 2, 'c:a': 7 });
    realtime.close();
  });

  it('ignores an event it has already processed', async () => {
    const { realtime, sockets, received } = fakeClient();
    const connected = realtime.connect();
    sockets[0]?.accept();
    await connected;
    sockets[0]?.push(message('c:a', 7, 'old'), message('c:a', 8), message('c:a', 8, 'again'), message('c:a', 3, 'older'));
    expect(received).toEqual(['c:a#8']);
    expect(realtime.positions['c:a']).toBe(8);
    realtime.close();
  });

  it('starts a stream it has no position for at its first event', async () => {
    const { realtime, sockets, received } = fakeClient();
    const connected = realtime.connect();
    sockets[0]?.accept();
    await connected;
    // Added to a chat live: its stream is already at 12 for the members before us.
    sockets[0]?.push(message('c:new', 12, 'joined'), message('c:new', 13));
    expect(received).toEqual(['joined', 'c:new#13']);
    expect(realtime.positions['c:new']).toBe(13);
    realtime.close();
  });

  it('advances on a skip without passing anything on, and lets ephemeral events through', async () => {
    const { realtime, sockets, received } = fakeClient();
    const connected = realtime.connect();
    sockets[0]?.accept();
    await connected;
    sockets[0]?.push(
      { type: 'skip', stream: 'c:a', seq: 8 },
      { type: 'event', event: 'typing', data: { text: 'typing' } },
      message('c:a', 9),
    );
    expect(received).toEqual(['typing', 'c:a#9']);
    expect(realtime.positions['c:a']).toBe(9);
    realtime.close();
  });

  it('reconnects from its positions when a stream jumps ahead, reading nothing more from that socket', async () => {
    vi.useFakeTimers();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { realtime, sockets, received } = fakeClient();
    const connected = realtime.connect();
    sockets[0]?.accept();
    await connected;
    sockets[0]?.push(message('c:a', 8), message('c:a', 10), message('c:a', 11));
    expect(received).toEqual(['c:a#8']);
    expect(warn).toHaveBeenCalledOnce();
    expect(sockets[0]?.closedWith).toBe(4000);
    expect(realtime.state).toBe('reconnecting');
    await vi.runOnlyPendingTimersAsync();
    sockets[1]?.accept({ replay: 'replayed' }, message('c:a', 9), message('c:a', 10));
    expect(sockets[1]?.hello?.params).toEqual({ streams: { 'u:u1': 2, 'c:a': 8 } });
    expect(received).toEqual(['c:a#8', 'c:a#9', 'c:a#10']);
    warn.mockRestore();
    realtime.close();
  });

  it('keeps a hello within HELLO_MAX_STREAMS: user streams and the chats that moved last', async () => {
    const heads: Record<string, number> = { 'u:u1': 2 };
    for (let i = 0; i <= HELLO_MAX_STREAMS; i++) heads[`c:chat${i}`] = 1;
    const { realtime, sockets } = fakeClient({ ...heads });
    const connected = realtime.connect();
    sockets[0]?.open();
    const first = sockets[0]?.hello?.params?.streams ?? {};
    expect(Object.keys(first)).toHaveLength(HELLO_MAX_STREAMS);
    expect(first['u:u1']).toBe(2);
    expect(first['c:chat0']).toBeUndefined();
    expect(first['c:chat1']).toBeUndefined();
    // The server reloads the two left out; then chat2 moves.
    sockets[0]?.accept({ replay: 'replayed', streams: heads, reload: ['c:chat0', 'c:chat1'] }, message('c:chat2', 2));
    await connected;

    sockets[0]?.close(1012);
    realtime.reconnectNow();
    sockets[1]?.open();
    const second = sockets[1]?.hello?.params?.streams ?? {};
    expect(Object.keys(second)).toHaveLength(HELLO_MAX_STREAMS);
    expect(second).toMatchObject({ 'u:u1': 2, 'c:chat0': 1, 'c:chat1': 1, 'c:chat2': 2 });
    expect(second['c:chat3']).toBeUndefined();
    expect(second['c:chat4']).toBeUndefined();
    realtime.close();
  });
});

describe('ParleyRealtime heartbeat and delivery receipts', () => {
  afterEach(() => vi.useRealTimers());

  function heartbeatClient() {
    const sockets: FakeSocket[] = [];
    const realtime = new ParleyRealtime({
      baseUrl: 'http://localhost',
      heartbeat: { idleMs: 4000, timeoutMs: 3000 },
      createSocket: () => {
        const socket = new FakeSocket();
        sockets.push(socket);
        return socket;
      },
    });
    return { realtime, sockets };
  }

  it('pings a quiet connection, stays open while pongs come back, and gives the socket up when none does', async () => {
    vi.useFakeTimers();
    const { realtime, sockets } = heartbeatClient();
    const connected = realtime.connect();
    sockets[0]?.accept();
    await connected;
    const pings = () => sockets[0]?.sent.filter((frame) => frame.cmd === 'ping') ?? [];
    vi.advanceTimersByTime(3900);
    expect(pings()).toHaveLength(0);
    vi.advanceTimersByTime(200);
    expect(pings()).toHaveLength(1);
    sockets[0]?.push({ type: 'result', id: pings()[0]?.id, result: { pong: true } });
    vi.advanceTimersByTime(3500);
    expect(realtime.state).toBe('open');
    // The network goes silent: the next ping is never answered.
    vi.advanceTimersByTime(1000);
    expect(pings()).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(3100);
    expect(realtime.state).toBe('reconnecting');
    expect(sockets[0]?.closedWith).toBe(4000);
    realtime.close();
  });

  it('dropConnection gives the socket up at once and reconnects with backoff', async () => {
    vi.useFakeTimers();
    const { realtime, sockets } = heartbeatClient();
    const connected = realtime.connect();
    sockets[0]?.accept();
    await connected;
    realtime.dropConnection();
    expect(realtime.state).toBe('reconnecting');
    vi.advanceTimersByTime(1000);
    expect(sockets).toHaveLength(2);
    realtime.close();
  });

  it('confirms others’ arriving messages once per chat with the newest seq, and never its own', async () => {
    vi.useFakeTimers();
    const { realtime, sockets } = heartbeatClient();
    const connected = realtime.connect();
    sockets[0]?.accept();
    await connected;
    const created = (chatId: string, seq: number, senderId: string) => ({
      type: 'event',
      event: 'message.created',
      stream: `c:${chatId}`,
      seq: seq + 6,
      data: { message: { chatId, seq, senderId } },
    });
    sockets[0]?.push(created('a', 1, 'u2'), created('a', 2, 'u2'), created('a', 3, 'u1'));
    vi.advanceTimersByTime(300);
    expect(sockets[0]?.sent.filter((frame) => frame.cmd === 'delivered.mark').map((frame) => frame.params)).toEqual([
      { chatId: 'a', seq: 2 },
    ]);
    realtime.close();
  });
});
