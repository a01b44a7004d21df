/**
 * The event log and the one way to change state: `transact` runs a unit of work in a
 * transaction; every event it emits takes the next position of its stream (the chat's
 * or the user's, under that row's lock) and is stored in the same transaction, then
 * published on the bus after the commit — so what users see live and what is stored
 * cannot drift apart, and an event is never seen for a change that rolled back.
 *
 * Stored rows of message events hold no message: reading the log back rebuilds them
 * from the message's current row, so a replay never shows deleted or pre-edit text.
 */
import { chatStream, type EventName, type StreamKey, userStream } from '@parley/protocol';
import type { Kysely, Transaction } from 'kysely';
import { now } from '../clock.js';
import { presentMessages } from '../modules/messages/messages.present.js';
import type { Database } from '../storage/schema.js';
import type { EventBus, StoredEvent } from './bus.js';
import { type EventRow, eventLogRepo } from './event-log.repo.js';

export interface NewEvent {
  name: EventName;
  /** Members of this chat see it (stream `c:<chatId>`)… */
  chatId?: string;
  /** …or it is about this user alone (stream `u:<userId>`). */
  userId?: string;
  privateTo?: [string, string] | null;
  /** Message events: the message whose current row a replay presents. */
  messageId?: string;
  data: unknown;
}

export interface UnitOfWork {
  db: Transaction<Database>;
  /** Stores the event at the next position of its stream; resolves with that position. */
  emit(event: NewEvent): Promise<number>;
}

export type Transact = <T>(work: (uow: UnitOfWork) => Promise<T>) => Promise<T>;

/** Events whose payload is rebuilt from the message's current row when read back. */
const REBUILT: ReadonlySet<EventName> = new Set(['message.created', 'message.updated', 'reaction.changed']);

/** What is stored of a payload: message events keep only ids. */
function storedData(event: NewEvent): unknown {
  if (!REBUILT.has(event.name)) return event.data;
  if (event.name === 'reaction.changed') {
    const { chatId, messageId } = event.data as { chatId: string; messageId: string };
    return { chatId, messageId };
  }
  return {};
}

export const streamOf = (event: NewEvent): StreamKey => {
  if (event.chatId) return chatStream(event.chatId);
  if (event.userId) return userStream(event.userId);
  throw new Error(`event ${event.name} names neither a chat nor a user`);
};

export function createTransact(db: Kysely<Database>, bus: EventBus): Transact {
  return async (work) => {
    const emitted: StoredEvent[] = [];
    const result = await db.transaction().execute(async (trx) => {
      const log = eventLogRepo(trx);
      return work({
        db: trx,
        async emit(event) {
          const stream = streamOf(event);
          const seq = await log.nextSeq(stream);
          if (seq === null) throw new Error(`event ${event.name} for a missing stream ${stream}`);
          const privateTo = event.privateTo ?? null;
          await log.insert({
            stream,
            seq,
            name: event.name,
            private_a: privateTo?.[0] ?? null,
            private_b: privateTo?.[1] ?? null,
            message_id: event.messageId ?? null,
            data: JSON.stringify(storedData(event)),
            created_at: now(),
          });
          emitted.push({ kind: 'stored', stream, seq, name: event.name, privateTo, data: event.data });
          return seq;
        },
      });
    });
    const committedAt = Date.now();
    for (const event of emitted) {
      event.committedAt = committedAt;
      bus.publish(event);
    }
    return result;
  };
}

/** Turns stored rows back into events, message payloads from the messages' current rows. */
export async function rebuildEvents(db: Kysely<Database>, rows: EventRow[]): Promise<StoredEvent[]> {
  const messageIds = [...new Set(rows.flatMap((r) => (r.message_id ? [r.message_id] : [])))];
  const messageRows = messageIds.length ? await db.selectFrom('messages').selectAll().where('id', 'in', messageIds).execute() : [];
  const presented = new Map((await presentMessages(db, messageRows)).map((m) => [m.id, m]));
  return rows.map((row) => {
    let data = JSON.parse(row.data) as Record<string, unknown>;
    const message = row.message_id ? presented.get(row.message_id) : undefined;
    if (message && row.name === 'reaction.changed') data = { ...data, reactions: message.reactions };
    else if (message) data = { message };
    return {
      kind: 'stored',
      stream: row.stream as StreamKey,
      seq: Number(row.seq),
      name: row.name as EventName,
      privateTo: row.private_a && row.private_b ? [row.private_a, row.private_b] : null,
      data,
    };
  });
}

/** Up to `limit` events of a stream after `afterSeq`, oldest first, with current payloads. */
export async function readStream(db: Kysely<Database>, stream: StreamKey, afterSeq: number, limit: number): Promise<StoredEvent[]> {
  return rebuildEvents(db, await eventLogRepo(db).read(stream, afterSeq, limit));
}

/** Deletes events older than `maxAgeMs`; a position before a stream's floor is then reloaded. */
export async function pruneEvents(db: Kysely<Database>, maxAgeMs: number): Promise<void> {
  await eventLogRepo(db).pruneOlderThan(now() - maxAgeMs);
}
