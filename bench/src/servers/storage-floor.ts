/**
 * The storage floor of the dm scenario, in a process of its own: the rows one direct
 * message costs Parley — the sender's membership read, the chat's sequence bump, the
 * message, the sender's own read position, the sender's name, the stored event — written
 * into the very database and chats Parley just used, with the raw driver and nothing
 * else: no HTTP, no sockets, no query builder. SQLite commits `batch` messages per
 * transaction (what group commit at that many messages in flight can reach at best);
 * PostgreSQL runs `inFlight` one-message transactions over `connections` connections
 * (what Parley's pool does). It reports how many messages it stored in the window and
 * the CPU it spent, so the report can say how close Parley is to the database alone.
 */
import { randomUUID } from 'node:crypto';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { messageText } from '../message-text.js';

export interface FloorChat {
  id: string;
  members: [string, string];
}

export interface FloorJob {
  dialect: 'sqlite' | 'postgres';
  /** SQLite file, or PostgreSQL URL. */
  target: string;
  chats: FloorChat[];
  warmupMs: number;
  durationMs: number;
  /** SQLite: messages per transaction. */
  batch: number;
  /** PostgreSQL: transactions in flight, and connections. */
  inFlight: number;
  connections: number;
}

export interface FloorResult {
  messages: number;
  wallMs: number;
  cpuMicros: number;
}

const ACCESS = `select chat_members.role from chat_members inner join chats on chats.id = chat_members.chat_id
  where chat_members.chat_id = $1 and chat_members.user_id = $2`;
const BUMP = `update chats set last_seq = last_seq + 1, event_seq = event_seq + 1, last_activity_at = $1 where id = $2
  returning last_seq, event_seq`;
const INSERT_MESSAGE = `insert into messages (id, chat_id, seq, kind, sender_id, client_id, text, reply_to_id,
  forwarded_from, private_to, system, mentions, mentions_all, created_at, edited_at, deleted_at)
  values ($1, $2, $3, 'text', $4, $5, $6, null, null, null, null, '[]', 0, $7, null, null)`;
const OWN_READ = 'update chat_members set last_read_seq = $1 where chat_id = $2 and user_id = $3';
const SENDER = 'select id, username, display_name, deleted_at from users where id = $1';
const INSERT_EVENT = `insert into events (stream, seq, name, private_a, private_b, message_id, data, created_at)
  values ($1, $2, 'message.created', null, null, $3, $4, $5)`;

/** `$1` placeholders for PostgreSQL, `?` for SQLite (they bind in the same order here). */
const forSqlite = (statement: string) => statement.replace(/\$\d+/g, '?');

interface Writer {
  /** Appends one message per call of `next`, `count` at a time; resolves when they committed. */
  write(count: number, next: () => { chat: FloorChat; sender: string; text: string }): Promise<void>;
  close(): Promise<void>;
}

function sqliteWriter(file: string): Writer {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  const [access, bump, insertMessage, ownRead, sender, insertEvent] = [ACCESS, BUMP, INSERT_MESSAGE, OWN_READ, SENDER, INSERT_EVENT].map(
    (statement) => db.prepare(forSqlite(statement)),
  );
  const append = db.transaction((count: number, next: () => { chat: FloorChat; sender: string; text: string }) => {
    for (let i = 0; i < count; i++) {
      const { chat, sender: from, text } = next();
      const at = Date.now();
      if (!access?.get(chat.id, from)) throw new Error('not a member');
      const seqs = bump?.get(at, chat.id) as { last_seq: number; event_seq: number };
      const id = randomUUID();
      insertMessage?.run(id, chat.id, seqs.last_seq, from, randomUUID(), text, at);
      ownRead?.run(seqs.last_seq, chat.id, from);
      sender?.get(from);
      insertEvent?.run(`c:${chat.id}`, seqs.event_seq, id, `{"chatId":"${chat.id}","messageId":"${id}"}`, at);
    }
  });
  return {
    write: async (count, next) => append(count, next),
    close: async () => {
      db.close();
    },
  };
}

function postgresWriter(url: string, connections: number): Writer {
  const pool = new pg.Pool({ connectionString: url, max: connections });
  const named = (name: string, text: string, values: unknown[]) => ({ name, text, values });
  const one = async (next: () => { chat: FloorChat; sender: string; text: string }) => {
    const { chat, sender, text } = next();
    const client = await pool.connect();
    try {
      await client.query('begin');
      const at = Date.now();
      const member = await client.query(named('access', ACCESS, [chat.id, sender]));
      if (member.rowCount === 0) throw new Error('not a member');
      const seqs = (await client.query(named('bump', BUMP, [at, chat.id]))).rows[0] as { last_seq: string; event_seq: string };
      const id = randomUUID();
      await client.query(named('message', INSERT_MESSAGE, [id, chat.id, seqs.last_seq, sender, randomUUID(), text, at]));
      await client.query(named('own-read', OWN_READ, [seqs.last_seq, chat.id, sender]));
      await client.query(named('sender', SENDER, [sender]));
      await client.query(
        named('event', INSERT_EVENT, [`c:${chat.id}`, seqs.event_seq, id, `{"chatId":"${chat.id}","messageId":"${id}"}`, at]),
      );
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };
  return {
    write: async (count, next) => {
      await Promise.all(Array.from({ length: count }, () => one(next)));
    },
    close: () => pool.end(),
  };
}

const cpuMicros = () => {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
};

export async function runFloor(job: FloorJob): Promise<FloorResult> {
  const writer = job.dialect === 'sqlite' ? sqliteWriter(job.target) : postgresWriter(job.target, job.connections);
  let index = 0;
  const next = () => {
    const chat = job.chats[index % job.chats.length] as FloorChat;
    const sender = chat.members[Math.floor(index / job.chats.length) % 2] as string;
    const text = messageText(index, performance.now());
    index += 1;
    return { chat, sender, text };
  };
  const perRound = job.dialect === 'sqlite' ? job.batch : job.inFlight;
  try {
    const warmupEnd = performance.now() + job.warmupMs;
    while (performance.now() < warmupEnd) {
      await writer.write(perRound, next);
      // Let the event loop breathe, as a server would between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const start = performance.now();
    const cpu0 = cpuMicros();
    const index0 = index;
    const end = start + job.durationMs;
    while (performance.now() < end) {
      await writer.write(perRound, next);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return { messages: index - index0, wallMs: performance.now() - start, cpuMicros: cpuMicros() - cpu0 };
  } finally {
    await writer.close();
  }
}

// Run as a child: the job comes in the environment, the result goes back over IPC.
if (process.env.PARLEY_FLOOR_JOB) {
  const job = JSON.parse(process.env.PARLEY_FLOOR_JOB) as FloorJob;
  runFloor(job).then(
    (result) => process.send?.({ type: 'floor', result }, () => process.exit(0)),
    (error: unknown) => {
      process.send?.({ type: 'floor-failed', message: String(error) }, () => process.exit(1));
    },
  );
}
