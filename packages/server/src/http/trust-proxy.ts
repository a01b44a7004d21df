/**
 * Which proxies are believed about the client (TRUST_PROXY), as one predicate shared by
 * Fastify (request.ip, request.protocol) and the WebSocket upgrade, so both see the same
 * client. X-Forwarded-For is read from the right: each trusted hop vouches for the entry
 * it appended, and the first untrusted one is the client. Whatever a client wrote to the
 * left of that is never believed, so a proxy that appends cannot be used to pick an address.
 */
import type { IncomingMessage } from 'node:http';
import net from 'node:net';
import type { TrustProxy } from '../config.js';

/** `(address, hop) → trusted?`, hop 0 being the socket's peer; the shape Fastify's trustProxy takes. */
export type TrustFunction = (address: string, hop: number) => boolean;

export function trustFunction(trust: TrustProxy): TrustFunction {
  if ('hops' in trust) {
    const { hops } = trust;
    return (_address, hop) => hop < hops;
  }
  const list = new net.BlockList();
  for (const entry of trust.addresses) {
    const [address = '', prefix] = entry.split('/');
    const family = net.isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  // BlockList matches an IPv4-mapped IPv6 peer (::ffff:10.0.0.1) against IPv4 ranges too.
  return (address) => {
    const family = net.isIP(address);
    return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
}

export const trustsAnyone = (trust: TrustProxy) => !('hops' in trust) || trust.hops > 0;

/** The client's address as Fastify's request.ip computes it, for a raw (upgrade) request. */
export function clientAddress(request: IncomingMessage, trusted: TrustFunction): string {
  const peer = request.socket.remoteAddress ?? '';
  const header = request.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .reverse();
  let address = peer;
  for (let hop = 0; hop < forwarded.length; hop += 1) {
    if (!trusted(address, hop)) break;
    address = forwarded[hop] ?? address;
  }
  return address;
}

const lastEntry = (value: string | string[] | undefined): string | undefined => {
  const text = Array.isArray(value) ? value.join(',') : value;
  const entry = text?.split(',').pop()?.trim();
  return entry || undefined;
};

/**
 * The origin this request was made to (`https://chat.example.org`), as the browser saw
 * it: scheme and host from X-Forwarded-Proto/-Host when the peer is a trusted proxy.
 */
export function requestOrigin(request: IncomingMessage, trusted: TrustFunction): string | null {
  const viaProxy = trusted(request.socket.remoteAddress ?? '', 0);
  const encrypted = 'encrypted' in request.socket && request.socket.encrypted === true;
  const scheme = (viaProxy && lastEntry(request.headers['x-forwarded-proto'])?.toLowerCase()) || (encrypted ? 'https' : 'http');
  const host = (viaProxy && lastEntry(request.headers['x-forwarded-host'])) || request.headers.host;
  if (!host || (scheme !== 'http' && scheme !== 'https')) return null;
  try {
    return new URL(`${scheme}://${host}`).origin;
  } catch {
    return null;
  }
}
