/**
 * A Parley server for a scenario: a fresh SQLite data directory or a freshly created
 * PostgreSQL database (dropped afterwards), the bench's configuration, and the setup
 * every scenario does over the real REST API — registering users, making rooms and
 * direct chats, seeding history.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createParleyClient } from '@parley/sdk';
import pg from 'pg';
import { forEachLimited } from './context.js';
import { messageText } from './message-text.js';
import { type ServerProcess, startServerProcess } from './server-process.js';

export type Dialect = 'sqlite' | 'postgres';

export const PG_ADMIN_URL = process.env.PARLEY_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Limits raised so the load, not a guard, is what is measured: one sender may send at
 * full speed, and a receiver that falls a few seconds behind is not cut off as a slow
 * consumer. The presence grace is cut to 200 ms so that the "went offline" work after a
 * room disconnects happens right away — where the bench waits for it — instead of five
 * seconds later, in the middle of another target's measurement. Everything else
 * (heartbeats, event retention) keeps its default.
 */
export const PARLEY_BENCH_ENV: Record<string, string> = {
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: 'silent',
  WS_SEND_RATE_PER_SECOND: '100000',
  WS_SEND_BURST: '1000000',
  // Set-up adds thousands of members and marks reads as fast as the generator can.
  ACTION_RATE_PER_SECOND: '100000',
  ACTION_BURST: '1000000',
  READ_TYPING_RATE_PER_SECOND: '100000',
  READ_TYPING_BURST: '1000000',
  WS_MAX_BUFFERED_BYTES: String(256 * 1024 * 1024),
  PRESENCE_GRACE_MS: '200',
  // Scenarios sign up thousands of users and open thousands of sockets from one address.
  REGISTER_IP_MAX_ACCOUNTS: '1000000',
  // Set-up registers thousands of users; no scenario measures password hashing.
  PASSWORD_HASH_MEMORY_KIB: '256',
  PASSWORD_HASH_PASSES: '1',
  HTTP_MAX_CONNECTIONS_PER_IP: '1000000',
  WS_MAX_UNAUTHENTICATED_PER_IP: '1000000',
};

export interface BenchUser {
  id: string;
  username: string;
  token: string;
}

export interface ParleyDeployment {
  dialect: Dialect;
  env: Record<string, string>;
  /** Starts a server process on this deployment's database (again, if need be), with `env` added (e.g. INSTANCE_ID). */
  start(env?: Record<string, string>): Promise<ServerProcess>;
  /** Process ids of the PostgreSQL backends serving this deployment's servers now (none on SQLite), to read their CPU. */
  backendPids(): Promise<number[]>;
  dispose(): Promise<void>;
}

async function adminQuery(sql: string, values: unknown[] = []): Promise<Array<Record<string, unknown>>> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  await admin.connect();
  try {
    return (await admin.query(sql, values)).rows;
  } finally {
    await admin.end();
  }
}

export async function postgresAvailable(): Promise<boolean> {
  try {
    await adminQuery('select 1');
    return true;
  } catch {
    return false;
  }
}

/**
 * A database nobody else uses, and a way to start Parley servers on it; `extraEnv` goes
 * to every server of the deployment (DATABASE_POOL_MAX, REDIS_URL…).
 */
export async function createParleyDeployment(dialect: Dialect, extraEnv: Record<string, string> = {}): Promise<ParleyDeployment> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-'));
  const env: Record<string, string> = { ...PARLEY_BENCH_ENV, ...extraEnv, DATA_DIR: dataDir };
  let databaseName: string | null = null;
  if (dialect === 'postgres') {
    databaseName = `parley_bench_${randomBytes(6).toString('hex')}`;
    await adminQuery(`create database ${databaseName}`);
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${databaseName}`;
    env.DATABASE_URL = url.toString();
  }
  return {
    dialect,
    env,
    start: (more = {}) => startServerProcess('parley', { env: { ...env, ...more } }),
    async backendPids() {
      if (!databaseName) return [];
      const rows = await adminQuery('select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [databaseName]);
      return rows.map((row) => Number(row.pid));
    },
    async dispose() {
      if (databaseName) await adminQuery(`drop database if exists ${databaseName} with (force)`);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Registers users over the API. Each registration runs argon2 (tens of ms), so this is
 * the slow part of setting up a scenario; a handful in parallel keeps both cores busy.
 */
export async function registerUsers(baseUrl: string, count: number, concurrency = 8, prefix = 'bench'): Promise<BenchUser[]> {
  const tag = randomBytes(3).toString('hex');
  const users: BenchUser[] = new Array(count);
  await forEachLimited(count, concurrency, async (i) => {
    const username = `${prefix}${tag}${i}`.slice(0, 32);
    const result = await createParleyClient({ baseUrl }).auth.register({
      email: `${username}@bench.example.org`,
      username,
      password: `Bench-${randomBytes(12).toString('hex')}`,
      displayName: `Bench ${i}`,
    });
    users[i] = { id: result.user.id, username, token: result.token };
  });
  return users;
}

/** A room owned by `owner` with `members` added (in batches of the API's 500 maximum); returns its id. */
export async function createRoom(baseUrl: string, owner: BenchUser, members: BenchUser[], name: string): Promise<string> {
  const client = createParleyClient({ baseUrl, token: owner.token });
  const chat = await client.chats.create({ kind: 'room', name, handle: `${name}-${randomBytes(3).toString('hex')}`.slice(0, 32) });
  const others = members.filter((m) => m.id !== owner.id).map((m) => m.id);
  for (let i = 0; i < others.length; i += 500) await client.chats.addMembers(chat.id, others.slice(i, i + 500));
  return chat.id;
}

export async function openDirect(baseUrl: string, a: BenchUser, b: BenchUser): Promise<string> {
  const chat = await createParleyClient({ baseUrl, token: a.token }).chats.openDirect(b.id);
  return chat.id;
}

/** Sends `count` messages into a chat over REST, so history has something to page through. */
export async function seedMessages(baseUrl: string, sender: BenchUser, chatId: string, count: number): Promise<void> {
  const client = createParleyClient({ baseUrl, token: sender.token });
  const tag = randomBytes(3).toString('hex');
  await forEachLimited(count, 4, async (i) => {
    await client.messages.send(chatId, { clientId: `seed-${tag}-${i}`, text: messageText(i, 0) });
  });
}

/**
 * The SQLite deployment a run's scenarios share. Each scenario starts its own server
 * process on it and makes its own rooms and chats, so none sees another's traffic; the
 * users, whose registration (argon2) is the slow part of any setup, are registered once
 * per pool and reused.
 */
export interface SharedParley {
  deployment: ParleyDeployment;
  /** Users 0…count-1 of a pool, registering the missing ones through the server at `baseUrl`. */
  users(baseUrl: string, count: number, pool?: string): Promise<BenchUser[]>;
}

export async function createSharedParley(concurrency: number): Promise<SharedParley> {
  const deployment = await createParleyDeployment('sqlite');
  const pools = new Map<string, BenchUser[]>();
  return {
    deployment,
    async users(baseUrl, count, pool = 'member') {
      const users = pools.get(pool) ?? [];
      pools.set(pool, users);
      if (users.length < count) users.push(...(await registerUsers(baseUrl, count - users.length, concurrency, pool)));
      return users.slice(0, count);
    },
  };
}
