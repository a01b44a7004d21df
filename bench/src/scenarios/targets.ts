/**
 * The three servers a room scenario compares — the raw relay, Socket.IO and Parley on
 * SQLite — started side by side, with Parley's users and rooms created over its API.
 * Servers are pinned to the server core only once setup (argon2-heavy) is done.
 */
import { allOrCleanup, type BenchContext } from '../context.js';
import { createRoom } from '../parley-fixture.js';
import { type ServerProcess, startServerProcess } from '../server-process.js';
import type { WireKind } from '../wire/light.js';

export const ROOM_TARGETS: WireKind[] = ['relay', 'socketio', 'parley'];

export interface RoomTargets {
  servers: Record<WireKind, ServerProcess>;
  /** Parley chat id of the room with this many members. */
  parleyRooms: Map<number, string>;
  /** Session tokens of Parley users 0…n-1; user 0 owns the rooms and sends. */
  tokens: string[];
  close(): Promise<void>;
}

export async function startRoomTargets(ctx: BenchContext, scenario: string, roomSizes: number[]): Promise<RoomTargets> {
  const shared = await ctx.sqlite();
  const started: ServerProcess[] = [];
  const close = async () => {
    await Promise.all(started.map((s) => s.stop()));
  };
  try {
    const [relay, socketio, parley] = await allOrCleanup(
      [startServerProcess('relay'), startServerProcess('socketio'), shared.deployment.start()],
      (server) => server.stop(),
    );
    if (!relay || !socketio || !parley) throw new Error('a server did not start');
    started.push(relay, socketio, parley);
    const largest = Math.max(...roomSizes);
    ctx.log(`${scenario}: ${largest} Parley users (registered on first use) and rooms of ${roomSizes.join(', ')}`);
    const users = await shared.users(parley.url, largest);
    const owner = users[0];
    if (!owner) throw new Error('no users');
    const parleyRooms = new Map<number, string>();
    for (const size of roomSizes) parleyRooms.set(size, await createRoom(parley.url, owner, users.slice(0, size), `${scenario}-${size}`));
    for (const server of started) server.pin(ctx.placement.serverCore);
    return { servers: { relay, socketio, parley }, parleyRooms, tokens: users.map((u) => u.token), close };
  } catch (error) {
    await close();
    throw error;
  }
}
