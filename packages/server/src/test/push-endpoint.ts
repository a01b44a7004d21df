/**
 * A Web Push service for tests: an HTTP endpoint that takes the server's push requests,
 * and a browser-side subscription (P-256 keys and an auth secret made here with
 * node:crypto) that decrypts them — what a browser's push service and service worker
 * would do, without a browser. The decryption is written here from RFC 8291 (message
 * encryption for Web Push) and RFC 8188 (the aes128gcm content coding) with node:crypto
 * alone, not with the library the server encrypts through, so a push that arrives here
 * is one a browser could read.
 */
import { createDecipheriv, createECDH, type ECDH, hkdfSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** RFC 8188 §2.1: salt (16), record size (4), key id length (1), key id — here the push server's ECDH public key (65). */
const HEADER_FIXED = 21;
const TAG_LENGTH = 16;

const hkdf = (salt: Buffer, ikm: Buffer, info: Buffer, length: number) => Buffer.from(hkdfSync('sha256', ikm, salt, info, length));

/**
 * Decrypts an `aes128gcm` Web Push body for the subscription whose private key is `receiver`
 * and auth secret `authSecret` (RFC 8291 §3.3–3.4, RFC 8188 §2); throws on anything malformed.
 */
export function decryptPush(body: Buffer, receiver: ECDH, authSecret: Buffer): Buffer {
  if (body.length < HEADER_FIXED) throw new Error('push body shorter than its header');
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const keyIdLength = body.readUInt8(20);
  if (keyIdLength !== 65) throw new Error(`key id is ${keyIdLength} bytes, not an uncompressed P-256 point`);
  const senderPublic = body.subarray(HEADER_FIXED, HEADER_FIXED + keyIdLength);
  if (recordSize < TAG_LENGTH + 2) throw new Error(`record size ${recordSize} too small`);
  // RFC 8291 §3.3–3.4: the input keying material from the ECDH secret and the auth secret.
  const ecdhSecret = receiver.computeSecret(senderPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), receiver.getPublicKey(), senderPublic]);
  const ikm = hkdf(authSecret, ecdhSecret, keyInfo, 32);
  // RFC 8188 §2.2–2.3: the content-encryption key and the nonce base.
  const key = hkdf(salt, ikm, Buffer.from('Content-Encoding: aes128gcm\0'), 16);
  const nonceBase = hkdf(salt, ikm, Buffer.from('Content-Encoding: nonce\0'), 12);
  const records = body.subarray(HEADER_FIXED + keyIdLength);
  const plain: Buffer[] = [];
  for (let offset = 0, seq = 0; offset < records.length; offset += recordSize, seq += 1) {
    const record = records.subarray(offset, offset + recordSize);
    const nonce = Buffer.from(nonceBase);
    // The record's sequence number XORed into the nonce's low end (its last 32 bits are plenty here).
    nonce.writeUInt32BE((nonceBase.readUInt32BE(8) ^ seq) >>> 0, 8);
    const decipher = createDecipheriv('aes-128-gcm', key, nonce);
    decipher.setAuthTag(record.subarray(record.length - TAG_LENGTH));
    const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - TAG_LENGTH)), decipher.final()]);
    // Padding: the content, a delimiter (2 in the last record, 1 before), then zeros.
    let end = padded.length - 1;
    while (end >= 0 && padded[end] === 0) end -= 1;
    const last = offset + recordSize >= records.length;
    if (padded[end] !== (last ? 2 : 1)) throw new Error(`record ${seq} has no valid padding delimiter`);
    plain.push(padded.subarray(0, end));
  }
  return Buffer.concat(plain);
}

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
  const keys = new Map<string, { ecdh: ECDH; auth: Buffer }>();
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
        let payload: unknown;
        try {
          payload = JSON.parse(decryptPush(Buffer.concat(chunks), key.ecdh, key.auth).toString('utf8'));
        } catch (error) {
          // Kept as what arrived, so the test expecting a payload fails naming why.
          payload = { undecryptable: String(error) };
        }
        received.push({ device, headers: req.headers, payload });
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
      const auth = randomBytes(16);
      keys.set(device, { ecdh, auth });
      return {
        endpoint: `${url}/push/${encodeURIComponent(device)}`,
        keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
      };
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
