/**
 * The fan-out bus: every stored event and every ephemeral signal passes through it, so
 * each server instance can deliver to the sockets it holds. Two backends behind this
 * interface: in-process (one instance) and Redis Streams (several instances, see
 * redis-bus.ts). The bus carries no ordering promise across publishers: the hub orders
 * each stream by its `seq` and fills gaps from the event log.
 */
import type { EventName, StreamKey } from '@parley/protocol';

/** A committed state change, as stored in the event log. */
export interface StoredEvent {
  kind: 'stored';
  /** `c:<chatId>` (seen by the chat's members) or `u:<userId>` (seen by that user). */
  stream: StreamKey;
  /** Position in the stream: 1, 2, 3… without gaps, in commit order. */
  seq: number;
  name: EventName;
  /** For private messages: only these two users see it; other members get a skip marker. */
  privateTo: [string, string] | null;
  data: unknown;
  /** When the transaction that holds it committed (ms); absent on events read back from the log. */
  committedAt?: number;
}

/** Typing and presence: delivered live, never stored, never replayed. */
export interface EphemeralEvent {
  kind: 'ephemeral';
  /** `user.updated`: a profile change told live to the people who see that person (users.service). */
  /** `emoji.updated`: the server's custom emoji changed (modules/custom-emoji), told to everyone signed in. */
  name: 'typing' | 'presence' | 'user.updated' | 'emoji.updated';
  chatId: string | null;
  /** Explicit audience when not the chat's members. */
  userIds: string[] | null;
  /** Every signed-in user on every instance (server-wide news); `chatId` and `userIds` are then null. */
  everyone?: true;
  /** A user who must not receive it (the typer). */
  exceptUserId: string | null;
  data: unknown;
}

/** Instructions between instances that are not client events. */
export interface ControlMessage {
  kind: 'control';
  type: 'sessions.ended';
  userId: string;
  sessionIds: string[];
}

export type BusMessage = StoredEvent | EphemeralEvent | ControlMessage;

/** What a message is about, known without parsing it: enough for a subscriber to pass on it. */
export interface BusRoute {
  kind: BusMessage['kind'];
  /** Stored events only. */
  stream: StreamKey | null;
  /** The event name, or a control message's type. */
  name: string;
}

/** Whether a subscriber wants a message; messages no subscriber wants are not even parsed. */
export type BusInterest = (route: BusRoute) => boolean;

export const routeOf = (message: BusMessage): BusRoute => ({
  kind: message.kind,
  stream: message.kind === 'stored' ? message.stream : null,
  name: message.kind === 'control' ? message.type : message.name,
});

export interface EventBus {
  /**
   * Hands a message to every subscriber of every instance, this one included. Subscribers
   * on this instance get it synchronously, before `publish` returns.
   */
  publish(message: BusMessage): void;
  /** `interest`: only messages it accepts reach `handler` (all, without one). */
  subscribe(handler: (message: BusMessage) => void, interest?: BusInterest): () => void;
  close(): Promise<void>;
}

/** The subscribers a message goes to. */
export function interested<H>(subscribers: Map<H, BusInterest | undefined>, route: () => BusRoute): H[] {
  let known: BusRoute | null = null;
  const chosen: H[] = [];
  for (const [handler, interest] of subscribers) {
    if (interest) known ??= route();
    if (!interest || interest(known as BusRoute)) chosen.push(handler);
  }
  return chosen;
}

/** Delivers synchronously, in publish order, to this process's subscribers. */
export function createLocalBus(): EventBus {
  const handlers = new Map<(message: BusMessage) => void, BusInterest | undefined>();
  return {
    publish(message) {
      for (const handler of interested(handlers, () => routeOf(message))) handler(message);
    },
    subscribe(handler, interest) {
      handlers.set(handler, interest);
      return () => handlers.delete(handler);
    },
    async close() {
      handlers.clear();
    },
  };
}
