/**
 * Fetching a URL someone else chose (a link in a message), for link previews: http and
 * https only, to public addresses only (net/public-address.ts) — an address literal is
 * checked directly, a name through `publicLookup`, so the connection goes to the very
 * address that was checked — and every redirect is a new request checked the same way,
 * at most MAX_REDIRECTS of them. One deadline covers all hops (and whatever the caller
 * fetches with the same signal); the body is read up to a byte limit (after
 * decompression, so a compressed bomb is cut off too).
 */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { isPublicAddress, type LookupFunction, NonPublicAddressError, publicLookup } from '../../net/public-address.js';

export const MAX_REDIRECTS = 5;
const USER_AGENT = 'ParleyLinkPreview/1 (+https://github.com/parley; link previews for a chat message)';

/** Where the fetcher may connect. Production passes nothing: public addresses only. */
export interface PreviewNetwork {
  /** Addresses allowed although not public — only tests, whose page servers listen on 127.0.0.1. */
  allow?: readonly string[];
  /** The resolver to ask (tests answer their own names); default dns.lookup. */
  resolve?: LookupFunction;
}

/** A fetch that could not give us a page; `reason` is stable (logged and kept on the cache row). */
export class FetchRefused extends Error {
  constructor(
    readonly reason: 'scheme' | 'address' | 'redirects' | 'status' | 'type' | 'size' | 'network',
    message: string,
  ) {
    super(message);
  }
}

export interface FetchedResponse {
  /** The URL that answered, after redirects. */
  url: URL;
  contentType: string;
  /** The decoded body, as it streams. */
  body: Readable;
  /** Stops reading: the connection is dropped. */
  close(): void;
}

export function createPublicFetcher(network: PreviewNetwork = {}) {
  const allowed = new Set(network.allow ?? []);
  const lookup = publicLookup({ ...(network.resolve && { resolve: network.resolve }), allow: [...allowed] });

  function request(url: URL, accept: string, signal: AbortSignal): Promise<http.IncomingMessage> {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchRefused('scheme', `${url.protocol} links are not fetched`);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    // Node connects to an address literal without asking `lookup`: check it here.
    if (isIP(host) && !allowed.has(host) && !isPublicAddress(host)) throw new FetchRefused('address', `${host} is not a public address`);
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = client.request(url, {
        method: 'GET',
        lookup: lookup as never,
        agent: false,
        signal,
        headers: { 'user-agent': USER_AGENT, accept, 'accept-encoding': 'gzip, deflate, br', 'accept-language': 'en, *;q=0.5' },
      });
      req.on('response', resolve);
      req.on('error', (error) =>
        reject(
          error instanceof NonPublicAddressError || (error as { code?: string }).code === 'ENONPUBLIC'
            ? new FetchRefused('address', error.message)
            : new FetchRefused('network', error.message),
        ),
      );
      req.end();
    });
  }

  function decoded(response: http.IncomingMessage, maxBytes: number): Pick<FetchedResponse, 'body' | 'close'> {
    const encoding = String(response.headers['content-encoding'] ?? 'identity').toLowerCase();
    const inflate =
      encoding === 'gzip' || encoding === 'x-gzip'
        ? zlib.createGunzip()
        : encoding === 'deflate'
          ? zlib.createInflate()
          : encoding === 'br'
            ? zlib.createBrotliDecompress()
            : null;
    const body: Readable = inflate ? response.pipe(inflate) : response;
    const close = () => {
      response.destroy();
      inflate?.destroy();
    };
    let seen = 0;
    body.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxBytes) {
        close();
        body.emit('error', new FetchRefused('size', `more than ${maxBytes} bytes`));
      }
    });
    return { body, close };
  }

  return {
    /**
     * GETs `target`, following redirects through the same checks. Resolves once a 2xx answer's
     * headers arrived; the caller reads (and stops reading) the body. Anything else is FetchRefused.
     */
    async open(target: string | URL, options: { accept: string; signal: AbortSignal; maxBytes: number }): Promise<FetchedResponse> {
      let url: URL;
      try {
        url = new URL(target);
      } catch {
        throw new FetchRefused('scheme', 'not a URL');
      }
      for (let hop = 0; ; hop += 1) {
        const response = await request(url, options.accept, options.signal);
        const status = response.statusCode ?? 0;
        const location = response.headers.location;
        if (status >= 300 && status < 400 && location) {
          response.destroy();
          if (hop >= MAX_REDIRECTS) throw new FetchRefused('redirects', `more than ${MAX_REDIRECTS} redirects`);
          try {
            url = new URL(location, url);
          } catch {
            throw new FetchRefused('status', 'a redirect to something that is not a URL');
          }
          continue;
        }
        if (status < 200 || status > 299) {
          response.destroy();
          throw new FetchRefused('status', `${url.host} answered ${status}`);
        }
        const declared = Number(response.headers['content-length']);
        if (Number.isFinite(declared) && declared > options.maxBytes) {
          response.destroy();
          throw new FetchRefused('size', `${declared} bytes is more than ${options.maxBytes}`);
        }
        return { url, contentType: String(response.headers['content-type'] ?? '').toLowerCase(), ...decoded(response, options.maxBytes) };
      }
    },
  };
}

export type PublicFetcher = ReturnType<typeof createPublicFetcher>;

/** Reads a whole (limited) body into memory: for preview images, which sharp needs whole. */
export function readAll(response: Pick<FetchedResponse, 'body' | 'close'>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let failed = false;
    response.body.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.body.on('end', () => resolve(Buffer.concat(chunks)));
    response.body.on('error', (error: Error) => {
      if (failed) return;
      failed = true;
      response.close();
      reject(error instanceof FetchRefused ? error : new FetchRefused('network', error.message));
    });
    response.body.on('close', () => reject(new FetchRefused('network', 'the connection closed early')));
  });
}
