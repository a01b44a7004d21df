/**
 * The SSRF guard shared by everything that fetches a URL someone else chose (link
 * previews, outgoing webhooks): only public addresses, checked after DNS resolution. Use
 * `publicLookup` as the `lookup` of the HTTP request, so the connection goes to the very
 * address that was checked (no second resolution an attacker's DNS could answer
 * differently), and check every redirect's URL again with a new request.
 *
 * Refused: loopback, private (RFC 1918, ULA), link-local (cloud metadata 169.254.169.254),
 * CGNAT, "this network", multicast, reserved and documentation ranges, and IPv6 forms
 * that embed such an IPv4 address (IPv4-mapped, NAT64, 6to4).
 */

import type { LookupAddress, LookupOptions } from 'node:dns';
import dns from 'node:dns';
import { BlockList, isIP } from 'node:net';

const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(network, prefix, 'ipv6');

/** The IPv4 address an IPv6 address carries (IPv4-mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16), if any. */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted?.[1]) return dotted[1];
  const groups = expandIpv6(lower);
  if (!groups) return null;
  const hexPair = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const [g0, g1, g2, g3, g4, g5, g6, g7] = groups as [number, number, number, number, number, number, number, number];
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff) return hexPair(g6, g7);
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return hexPair(g6, g7);
  if (g0 === 0x2002) return hexPair(g1, g2);
  return null;
}

/** The eight 16-bit groups of an IPv6 address written in hex (no dotted tail), or null. */
function expandIpv6(address: string): number[] | null {
  if (address.includes('.')) return null;
  const [head, tail] = address.split('::') as [string, string | undefined];
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => Number.parseInt(g, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const fill = 8 - left.length - right.length;
  if (fill < 0 || (tail === undefined && fill !== 0)) return null;
  const groups = [...left, ...new Array<number>(fill).fill(0), ...right];
  return groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

/** Whether a connection to this IP address reaches the public internet. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !blocked.check(address, 'ipv4');
  if (family !== 6) return false;
  const inner = embeddedIpv4(address);
  if (inner !== null) return isPublicAddress(inner);
  return !blocked.check(address, 'ipv6');
}

export class NonPublicAddressError extends Error {
  readonly code = 'ENONPUBLIC';
  constructor(
    readonly hostname: string,
    readonly address: string,
  ) {
    super(`${hostname} resolves to ${address}, which is not a public address`);
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
export type LookupFunction = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;

export interface PublicLookupOptions {
  /** The resolver to ask (tests pass one that answers what they need); default dns.lookup. */
  resolve?: LookupFunction;
  /** Addresses allowed although not public: only tests, which serve pages on 127.0.0.1. */
  allow?: readonly string[];
}

/**
 * A `lookup` for http.request / net.connect that resolves the name and refuses unless
 * every address it resolves to is public (or explicitly allowed).
 */
export function publicLookup(options: PublicLookupOptions = {}): LookupFunction {
  const resolve = options.resolve ?? (dns.lookup as unknown as LookupFunction);
  const allowed = new Set(options.allow ?? []);
  const acceptable = (address: string) => allowed.has(address) || isPublicAddress(address);
  return (hostname, lookupOptions, callback) => {
    resolve(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const list = typeof addresses === 'string' ? [{ address: addresses, family: isIP(addresses) }] : addresses;
      const refused = list.find((a) => !acceptable(a.address));
      if (refused || list.length === 0) return callback(new NonPublicAddressError(hostname, refused?.address ?? 'nothing'), '');
      if (lookupOptions.all) return callback(null, list);
      const first = list[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}
