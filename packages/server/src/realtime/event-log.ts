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
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import { now } from '../clock.js';
import { presentMessages } from '../modules/messages/messages.present.js';
import type { Database } from '../storage/schema.js';
import type { EventBus, StoredEvent } from './bus.js';
import { type EventRow, eventLogRepo } from './event-log.repo.js';

/** The savepoint of each unit in a shared commit: the same three statements every time, compiled once. */
const SAVEPOINT = CompiledQuery.raw('savepoint unit_of_work');
const RELEASE = CompiledQuery.raw('release savepoint unit_of_work');
const ROLLBACK_TO = CompiledQuery.raw('rollback to savepoint unit_of_work');

export interface NewEvent {
  name: EventName;
  /** Members of this chat see it (stream `c:<chatId>`)… */
  chatId?: string;
  /** …or it is about this user alone (stream `u:<userId>`). */
  userId?: string;
  privateTo?: [string, string] | null;
  /** Message events: the message whose current row a replay presents. */
  messageId?: string;
  /**
   * A position of the stream already taken in this transaction (by an UPDATE that bumped
   * `event_seq` together with other columns, saving a statement); normally omitted.
   */
  seq?: number;
  data: unknown;
}

export interface UnitOfWork {
  db: Transaction<Database>;
  /** Stores the event at the next position of its stream; resolves with that position. */
  emit(event: NewEvent): Promise<number>;
  /**
   * A write whose newest value is all that matters (a sender's own read position): it runs
   * once the unit's work is done, still in its transaction, and in a group commit once per
   * `key` for all the units that succeeded — the last one's `write`. Nobody outside the
   * transaction can tell: it is seen at the commit, as if each unit had written it.
   */
  coalesce(key: string, write: (db: Transaction<Database>) => Promise<unknown>): void;
}

type Coalesced = Map<string, (db: Transaction<Database>) => Promise<unknown>>;

async function runCoalesced(trx: Transaction<Database>, writes: Coalesced): Promise<void> {
  for (const write of writes.values()) await write(trx);
}

/** A unit of work on `trx`; its events go to `emitted`, its coalesced writes to `writes`. */
const unitOn = (trx: Transaction<Database>, emitted: StoredEvent[], writes: Coalesced): UnitOfWork => ({
  db: trx,
  emit: emitterFor(trx, emitted),
  coalesce(key, write) {
    // Deleted first, so the newest write also runs last (a Map keeps insertion order).
    writes.delete(key);
    writes.set(key, write);
  },
});

export type Transact = <T>(work: (uow: UnitOfWork) => Promise<T>) => Promise<T>;

/**
 * A place in one socket's line of pipelined sends (socket-session.ts): wait for `turn`
 * (the previous send entered its commit, or gave up), hand the unit of work to `transact`,
 * then call `admitted()` — so a client's sends commit in the order it sent them while
 * several of them share one group commit.
 */
export interface CommitTurn {
  turn: Promise<void>;
  admitted(): void;
}

/** Events whose payload is rebuilt from the message's current row when read back. */
const REBUILT: ReadonlySet<EventName> = new Set(['message.created', 'message.updated']);

/** What is stored of a payload: message events keep only ids. */
function storedData(event: NewEvent): unknown {
  return REBUILT.has(event.name) ? {} : event.data;
}

const streamOf = (event: NewEvent): StreamKey => {
  if (event.chatId) return chatStream(event.chatId);
  if (event.userId) return userStream(event.userId);
  throw new Error(`event ${event.name} names neither a chat nor a user`);
};

/** The emitter of one unit of work: each event at the next position of its stream. */
function emitterFor(trx: Transaction<Database>, emitted: StoredEvent[]): UnitOfWork['emit'] {
  const log = eventLogRepo(trx);
  return async (event) => {
    const stream = streamOf(event);
    const seq = event.seq ?? (await log.nextSeq(stream));
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
  };
}

function publishCommitted(bus: EventBus, events: StoredEvent[], committedAt: number): void {
  for (const event of events) {
    event.committedAt = committedAt;
    bus.publish(event);
  }
}

/**
 * `groupCommit` (SQLite, which has one writer anyway): units of work that arrive while a
 * commit is under way wait and then share one transaction, each inside its own savepoint —
 * a unit that fails rolls back alone — and all of them are answered after the one commit.
 * A commit writes every page the batch touched once, instead of once per unit. PostgreSQL
 * runs each unit in its own transaction: its connections work in parallel, and one long
 * transaction would hold every chat's row lock it touched until the last unit is done.
 */
export function createTransact(db: Kysely<Database>, bus: EventBus, options: { groupCommit?: boolean } = {}): Transact {
  if (options.groupCommit) return createGroupCommit(db, bus);
  return async (work) => {
    const emitted: StoredEvent[] = [];
    const result = await db.transaction().execute(async (trx) => {
      const writes: Coalesced = new Map();
      const done = await work(unitOn(trx, emitted, writes));
      await runCoalesced(trx, writes);
      return done;
    });
    publishCommitted(bus, emitted, Date.now());
    return result;
  };
}

interface QueuedUnit {
  work: (uow: UnitOfWork) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Units in one commit at most, so a long queue still gets answers in steady steps. */
const MAX_UNITS_PER_COMMIT = 256;

function createGroupCommit(db: Kysely<Database>, bus: EventBus): Transact {
  let queue: QueuedUnit[] = [];
  let running = false;

  async function runBatch(batch: QueuedUnit[]): Promise<void> {
    const trx = await db.startTransaction().execute();
    const done: Array<{ unit: QueuedUnit; result: unknown; events: StoredEvent[] }> = [];
    const failed: Array<{ unit: QueuedUnit; error: unknown }> = [];
    // The coalesced writes of the units that succeeded, the newest per key, run before the commit.
    const batchWrites: Coalesced = new Map();
    try {
      for (const unit of batch) {
        const events: StoredEvent[] = [];
        const writes: Coalesced = new Map();
        await trx.executeQuery(SAVEPOINT);
        try {
          const result = await unit.work(unitOn(trx, events, writes));
          await trx.executeQuery(RELEASE);
          done.push({ unit, result, events });
          for (const [key, write] of writes) {
            batchWrites.delete(key);
            batchWrites.set(key, write);
          }
        } catch (error) {
          await trx.executeQuery(ROLLBACK_TO);
          await trx.executeQuery(RELEASE);
          failed.push({ unit, error });
        }
      }
      await runCoalesced(trx, batchWrites);
      await trx.commit().execute();
    } catch (error) {
      // The transaction itself failed (I/O, a broken savepoint): nothing of the batch holds.
      await trx
        .rollback()
        .execute()
        .catch(() => undefined);
      for (const unit of batch) unit.reject(error);
      return;
    }
    const committedAt = Date.now();
    for (const { events } of done) publishCommitted(bus, events, committedAt);
    for (const { unit, result } of done) unit.resolve(result);
    for (const { unit, error } of failed) unit.reject(error);
  }

  /** One commit, then the next after a turn of the event loop (so waiting reads can submit). */
  async function drain(): Promise<void> {
    const batch = queue.slice(0, MAX_UNITS_PER_COMMIT);
    queue = queue.slice(batch.length);
    await runBatch(batch).catch((error: unknown) => {
      for (const unit of batch) unit.reject(error);
    });
    if (queue.length > 0) setImmediate(() => void drain());
    else running = false;
  }

  return <T>(work: (uow: UnitOfWork) => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (running) return;
      running = true;
      // Started after the current turn of the event loop: the units that the reads just
      // finished are about to submit (waiting for the same connection) join this commit.
      setImmediate(() => void drain());
    });
}

/** Turns stored rows back into events, message payloads from the messages' current rows. */
export async function rebuildEvents(db: Kysely<Database>, rows: EventRow[]): Promise<StoredEvent[]> {
  const messageIds = [...new Set(rows.flatMap((r) => (r.message_id ? [r.message_id] : [])))];
  const messageRows = messageIds.length ? await db.selectFrom('messages').selectAll().where('id', 'in', messageIds).execute() : [];
  const presented = new Map((await presentMessages(db, messageRows)).map((m) => [m.id, m]));
  return rows.map((row) => {
    let data = JSON.parse(row.data) as Record<string, unknown>;
    const message = row.message_id ? presented.get(row.message_id) : undefined;
    if (message) data = { message };
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
