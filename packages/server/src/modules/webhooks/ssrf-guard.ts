/**
 * Where outgoing webhooks may connect (J8): not to loopback, private, link-local, CGNAT,
 * multicast or unspecified addresses — the server's own network — unless the operator
 * allows it (WEBHOOK_ALLOW_PRIVATE_TARGETS). Checked on the resolved addresses, and the
 * connection is made to the very address that was checked (a `lookup` for http.request),
 * so a name that resolves elsewhere the second time (DNS rebinding) gets nowhere. Which
 * addresses are public is net/public-address.ts's rule, shared with link previews.
 */
import dns from 'node:dns/promises';
import net from 'node:net';
import { AppError } from '../../errors.js';
import { isPublicAddress } from '../../net/public-address.js';

export const targetRefused = (why: string) =>
  new AppError('webhook_target_refused', why, { location: 'body', field: 'url', rule: 'target' });

export interface ResolvedTarget {
  address: string;
  family: 4 | 6;
}

/** The address to connect to for `hostname`, or webhook_target_refused. */
export async function resolveTarget(hostname: string, allowPrivate: boolean): Promise<ResolvedTarget> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const addresses = net.isIP(host)
    ? [{ address: host, family: net.isIP(host) }]
    : await dns.lookup(host, { all: true }).catch(() => {
        throw targetRefused(`${hostname} does not resolve`);
      });
  const first = addresses[0];
  if (!first) throw targetRefused(`${hostname} does not resolve`);
  // Every address the name has must be allowed: a client may be given any of them.
  const refused = addresses.find((a) => !isPublicAddress(a.address));
  if (refused && !allowPrivate)
    throw targetRefused(`${hostname} resolves to ${refused.address}, a loopback, private or link-local address`);
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}

type LookupCallback = (error: Error | null, address: string | Array<{ address: string; family: number }>, family?: number) => void;

/** A `lookup` for http.request that answers only with the address already checked. */
export const pinnedLookup =
  (target: ResolvedTarget) =>
  (_hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
