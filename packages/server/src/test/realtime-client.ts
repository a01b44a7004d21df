/** Test helpers for the WebSocket protocol: SDK connections and raw sockets that record events. */
import { type EventFrame, type HelloResult, WS_PATH } from '@parley/protocol';
import { ParleyRealtime, type SocketLike } from '@parley/sdk';
import WebSocket from 'ws';

export const wsFactory = (url: string) => new WebSocket(url) as unknown as SocketLike;

export interface Device {
  rt: ParleyRealtime;
  /** The reply to the first hello. */
  hello: HelloResult;
  events: EventFrame[];
  /** Resolves when an event matching `predicate` has arrived (or already had). */
  waitFor(predicate: (frame: EventFrame) => boolean, timeoutMs?: number): Promise<EventFrame>;
  close(): void;
}

export async function connectDevice(
  baseUrl: string,
  token: string,
  /**
   * `streams`: resume from these positions (e.g. another device's `rt.positions`).
   * `confirmDelivery`: confirm arriving messages as apps do (off by default, so suites that
   * count events see only the ones their own actions cause).
   */
  options: { streams?: Record<string, number>; reconnect?: boolean; confirmDelivery?: boolean } = {},
): Promise<Device> {
  const rt = new ParleyRealtime({
    baseUrl,
    token,
    createSocket: wsFactory,
    reconnect: options.reconnect ?? false,
    confirmDelivery: options.confirmDelivery ?? false,
    ...(options.streams && { streams: options.streams }),
  });
  const events: EventFrame[] = [];
  const waiters = new Set<() => void>();
  rt.on('*', (_data, frame) => {
    events.push(frame);
    for (const wake of waiters) wake();
  });
  const hello = await rt.connect();
  return {
    rt,
    hello,
    events,
    waitFor(predicate, timeoutMs = 5000) {
      const found = events.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for an event; saw: ${events.map((e) => e.event).join(', ')}`));
        }, timeoutMs);
        const check = () => {
          const hit = events.find(predicate);
          if (!hit) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(hit);
        };
        waiters.add(check);
      });
    },
    close: () => rt.close(),
  };
}

/** A raw socket for protocol-level tests: sends text, collects parsed frames. */
export async function rawSocket(baseUrl: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}${WS_PATH}`, { headers });
  const frames: Array<Record<string, unknown>> = [];
  let closed: { code: number; reason: string } | null = null;
  ws.on('message', (data) => {
    try {
      frames.push(JSON.parse(String(data)) as Record<string, unknown>);
    } catch {
      frames.push({ unparsable: String(data) });
    }
  });
  const closedPromise = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => {
      closed = { code, reason: String(reason) };
      resolve(closed);
    }),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    frames,
    closed: () => closed,
    whenClosed: closedPromise,
    send: (data: string | Buffer) => ws.send(data),
    async reply(id: string, timeoutMs = 5000) {
      const started = Date.now();
      for (;;) {
        const frame = frames.find((f) => f.id === id && (f.type === 'result' || f.type === 'error'));
        if (frame) return frame;
        if (Date.now() - started > timeoutMs) throw new Error(`no reply to ${id}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits a little for stray deliveries, then asserts nothing matching arrived. */
export async function settle(ms = 300) {
  await sleep(ms);
}
