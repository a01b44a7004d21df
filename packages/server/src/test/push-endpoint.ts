/**
 * A Web Push service for tests: an HTTP endpoint that takes the server's push requests,
 * and a browser-side subscription (P-256 keys and an auth secret made here with
 * node:crypto) that decrypts them (RFC 8291 aes128gcm, with http_ece) — what a browser's
 * push service and service worker would do, without a browser.
 */
import { createECDH, type ECDH, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
// @ts-expect-error http_ece ships no types
import ece from 'http_ece';

export interface ReceivedPush {
  device: string;
  headers: http.IncomingHttpHeaders;
  payload: unknown;
}

export interface TestSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface PushEndpoint {
  url: string;
  /** A subscription whose pushes land here, as `device`. */
  subscribe(device: string): TestSubscription;
  /** The status answered for `device` from now on (e.g. 410: the browser unsubscribed). */
  answer(device: string, status: number): void;
  received: ReceivedPush[];
  /** The next push that arrived for `device` (already or within `timeoutMs`), removed from the list. */
  next(device: string, timeoutMs?: number): Promise<ReceivedPush>;
  close(): Promise<void>;
}

export async function startPushEndpoint(): Promise<PushEndpoint> {
  const keys = new Map<string, { ecdh: ECDH; auth: string }>();
  const statuses = new Map<string, number>();
  const received: ReceivedPush[] = [];
  const waiters = new Set<() => void>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const device = decodeURIComponent((req.url ?? '').replace(/^\/push\//, ''));
      const key = keys.get(device);
      const status = statuses.get(device) ?? 201;
      if (key && status === 201) {
        const plain: Buffer = ece.decrypt(Buffer.concat(chunks), { version: 'aes128gcm', privateKey: key.ecdh, authSecret: key.auth });
        received.push({ device, headers: req.headers, payload: JSON.parse(plain.toString('utf8')) as unknown });
        for (const wake of waiters) wake();
      }
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const take = (device: string) => {
    const i = received.findIndex((p) => p.device === device);
    return i === -1 ? undefined : received.splice(i, 1)[0];
  };

  return {
    url,
    received,
    subscribe(device) {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16).toString('base64url');
      keys.set(device, { ecdh, auth });
      return { endpoint: `${url}/push/${encodeURIComponent(device)}`, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth } };
    },
    answer: (device, status) => void statuses.set(device, status),
    next(device, timeoutMs = 8000) {
      return new Promise((resolve, reject) => {
        const found = take(device);
        if (found) return resolve(found);
        const wake = () => {
          const push = take(device);
          if (!push) return;
          waiters.delete(wake);
          clearTimeout(timer);
          resolve(push);
        };
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`no push for ${device} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(wake);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
