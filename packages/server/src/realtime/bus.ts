/**
 * The fan-out bus: every stored event and every ephemeral signal passes through it, so
 * each server instance can deliver to the sockets it holds. In-process now; a Redis
 * implementation plugs in behind the same interface for several instances.
 */
import type { EventName } from '@parley/protocol';

/** A committed state change, as stored in the event log. */
export interface StoredEvent {
  kind: 'stored';
  id: number;
  name: EventName;
  /** Members of this chat see the event… */
  chatId: string | null;
  /** …and/or this user (e.g. the member who was just removed). */
  targetUserId: string | null;
  /** For private messages: only these two users see it. */
  privateTo: [string, string] | null;
  data: unknown;
}

/** Typing and presence: delivered live, never stored, never replayed. */
export interface EphemeralEvent {
  kind: 'ephemeral';
  name: 'typing' | 'presence';
  chatId: string | null;
  /** Explicit audience when not the chat's members. */
  userIds: string[] | null;
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

export interface EventBus {
  publish(message: BusMessage): void;
  subscribe(handler: (message: BusMessage) => void): () => void;
  close(): Promise<void>;
}

/** Delivers synchronously, in publish order, to this process's subscribers. */
export function createLocalBus(): EventBus {
  const handlers = new Set<(message: BusMessage) => void>();
  return {
    publish(message) {
      for (const handler of handlers) handler(message);
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    async close() {
      handlers.clear();
    },
  };
}
