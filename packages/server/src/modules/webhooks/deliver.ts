/**
 * One outgoing webhook delivery: the JSON body, signed — `X-Parley-Timestamp` (Unix
 * seconds) and `X-Parley-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">` — POSTed
 * to the address the SSRF guard resolved and checked. Anything but a 2xx answer throws, so
 * the jobs table retries it with backoff.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from '@parley/protocol';
import { pinnedLookup, resolveTarget } from './ssrf-guard.js';

export const signPayload = (secret: string, timestamp: number, body: string) =>
  `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

const TIMEOUT_MS = 10_000;

export async function deliverWebhook(url: string, secret: string, body: string, allowPrivate: boolean): Promise<void> {
  const target = new URL(url);
  const resolved = await resolveTarget(target.hostname, allowPrivate);
  const timestamp = Math.floor(Date.now() / 1000);
  const client = target.protocol === 'https:' ? https : http;
  const status = await new Promise<number>((resolve, reject) => {
    const request = client.request(
      target,
      {
        method: 'POST',
        lookup: pinnedLookup(resolved) as never,
        timeout: TIMEOUT_MS,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Parley-Webhook/1',
          [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
          [WEBHOOK_SIGNATURE_HEADER]: signPayload(secret, timestamp, body),
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer from ${target.host} in ${TIMEOUT_MS} ms`)));
    request.on('error', reject);
    request.end(body);
  });
  if (status < 200 || status > 299) throw new Error(`${target.host} answered ${status}`);
}
