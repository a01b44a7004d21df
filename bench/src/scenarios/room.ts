/**
 * A room full of connections for one target: the sender (a full client), light
 * receivers, and — connected last, so they are last in every broadcast loop — the
 * full clients that parse and time each message.
 */
import { randomBytes } from 'node:crypto';
import { forEachLimited } from '../context.js';
import type { ServerProcess } from '../server-process.js';
import { connectFullClient, connectRoomSender, type FullClient, type RoomSender } from '../wire/full.js';
import { LightReceiver, type Member, type WireKind } from '../wire/light.js';

export interface ConnectedRoom {
  sender: RoomSender;
  lights: LightReceiver[];
  fulls: FullClient[];
  /** Deliveries to everyone but the sender: light receivers' counts plus the full clients'. */
  deliveries(): number;
  /** Average payload size of a delivery, in bytes (from the light receivers). */
  bytesPerDelivery(): number;
  close(): void;
}

export type FullTextListener = (fullIndex: number, text: string) => void;

/**
 * Where a room's connections go and whose CPU a measurement reads: one server, or the
 * instances of a cluster with the members spread over them.
 */
export interface RoomVenue {
  senderPort: number;
  /** Port of light receiver i (members 1…, in order). */
  lightPort(i: number): number;
  /** Port of full client i. */
  fullPort(i: number): number;
  /** Server processes whose CPU is summed. */
  pids: number[];
  /** Cores those processes may run on (1 when pinned). */
  cores: number;
  /** Other processes whose CPU share is sampled too, by sample key (Redis for a cluster). */
  side?: Record<string, number | readonly number[]>;
}

export function serverVenue(server: ServerProcess): RoomVenue {
  return { senderPort: server.port, lightPort: () => server.port, fullPort: () => server.port, pids: [server.pid], cores: 1 };
}

/** Members 0…size-1 of a room: the same room name for the baselines, the chat and a user's token for Parley. */
export function roomMembers(kind: WireKind, size: number, room: string, tokens: string[]): Member[] {
  const run = randomBytes(3).toString('hex');
  return Array.from({ length: size }, (_, i) => ({
    room,
    token: kind === 'parley' ? (tokens[i] ?? null) : null,
    tag: `${run}m${i}`,
  }));
}

export async function connectRoom(
  kind: WireKind,
  venue: RoomVenue,
  members: Member[],
  fullCount: number,
  onFullText: FullTextListener,
): Promise<ConnectedRoom> {
  const [first, ...rest] = members;
  if (!first) throw new Error('a room needs at least a sender');
  const lightMembers = rest.slice(0, rest.length - fullCount);
  const fullMembers = rest.slice(rest.length - fullCount);
  const lights: LightReceiver[] = [];
  const fulls: FullClient[] = [];
  let fullDeliveries = 0;
  const sender = await connectRoomSender(kind, venue.senderPort, first);
  const close = () => {
    sender.close();
    for (const light of lights) light.close();
    for (const full of fulls) full.close();
  };
  try {
    await forEachLimited(lightMembers.length, 100, async (i) => {
      const member = lightMembers[i];
      if (member) lights.push(await LightReceiver.connect(kind, venue.lightPort(i), member));
    });
    for (const [i, member] of fullMembers.entries()) {
      fulls.push(
        await connectFullClient(kind, venue.fullPort(i), member, (text) => {
          fullDeliveries++;
          onFullText(i, text);
        }),
      );
    }
  } catch (error) {
    close();
    throw error;
  }
  return {
    sender,
    lights,
    fulls,
    deliveries: () => {
      let total = fullDeliveries;
      for (const light of lights) total += light.deliveries;
      return total;
    },
    bytesPerDelivery: () => {
      let bytes = 0;
      let count = 0;
      for (const light of lights) {
        bytes += light.bytes;
        count += light.deliveries;
      }
      return count > 0 ? bytes / count : Number.NaN;
    },
    close,
  };
}
