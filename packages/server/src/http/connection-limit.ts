/**
 * Caps on what one client address may hold open: TCP connections that reach the server
 * directly, and (used by the WebSocket upgrade) sockets that have not said hello yet.
 *
 * A direct connection over the cap is marked; its requests answer rate_limited and close
 * it, and it is cut after a short grace if it sends nothing. Connections from a trusted
 * proxy are not counted here: they carry many clients, and the proxy caps its own
 * (limit_conn in deploy/nginx.conf), while the upgrade counts the client behind it.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { addressKey } from '../modules/auth/address-key.js';
import type { TrustFunction } from './trust-proxy.js';

/** Counts what each address holds, up to `max`. */
export class AddressCounter {
  private readonly held = new Map<string, number>();
  constructor(private readonly max: number) {}

  /** Takes one place for `address`; returns its release (safe to call twice), or null when the address is at the cap. */
  hold(address: string): (() => void) | null {
    const count = this.held.get(address) ?? 0;
    if (count >= this.max) return null;
    this.held.set(address, count + 1);
    let holding = true;
    return () => {
      if (!holding) return;
      holding = false;
      const left = (this.held.get(address) ?? 1) - 1;
      if (left > 0) this.held.set(address, left);
      else this.held.delete(address);
    };
  }
}

/** An over-cap connection that sends no request is cut after this. */
const OVER_LIMIT_GRACE_MS = 2000;

const overLimit = new WeakSet<Socket>();

export const overConnectionLimit = (socket: Socket): boolean => overLimit.has(socket);

export function limitConnectionsPerAddress(server: Server, max: number, trusted: TrustFunction): void {
  const open = new AddressCounter(max);
  server.on('connection', (socket: Socket) => {
    const peer = socket.remoteAddress ?? '';
    if (trusted(peer, 0)) return;
    const release = open.hold(addressKey(peer));
    if (release) {
      socket.once('close', release);
      return;
    }
    overLimit.add(socket);
    socket.setTimeout(OVER_LIMIT_GRACE_MS, () => socket.destroy());
  });
}
