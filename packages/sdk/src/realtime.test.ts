import { afterEach, describe, expect, it, vi } from 'vitest';
import { ParleyRealtime, type SocketLike } from './realtime.js';

/** A socket the test drives by hand: it records what the client sends. */
class FakeSocket implements SocketLike {
  readyState = 0;
  sent: { id: string; cmd: string }[] = [];
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  send(data: string) {
    this.sent.push(JSON.parse(data) as { id: string; cmd: string });
  }
  close(code = 1000, reason = '') {
    this.onclose?.({ code, reason });
  }
  /** Opens and answers the client's hello. */
  accept() {
    this.readyState = 1;
    this.onopen?.({});
    const hello = this.sent.find((frame) => frame.cmd === 'hello');
    const result = { user: { id: 'u1' }, sessionId: 's1', replay: 'live', replayedCount: 0, cursor: '7', heartbeatSeconds: 25 };
    this.onmessage?.({ data: JSON.stringify({ type: 'result', id: hello?.id, result }) });
  }
}

describe('ParleyRealtime.reconnectNow', () => {
  afterEach(() => vi.useRealTimers());

  it('skips the rest of the backoff wait, and does nothing while connected', async () => {
    vi.useFakeTimers();
    const sockets: FakeSocket[] = [];
    const realtime = new ParleyRealtime({
      baseUrl: 'http://localhost',
      createSocket: () => {
        const socket = new FakeSocket();
        sockets.push(socket);
        return socket;
      },
    });
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
    sockets[1]?.accept();
    await vi.waitFor(() => expect(realtime.state).toBe('open'));
    expect(sockets[1]?.sent.find((f) => f.cmd === 'hello')).toMatchObject({ params: { cursor: '7' } });
    realtime.close();
  });
});
