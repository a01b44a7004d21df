/**
 * Starts a real Parley server for a test on a fresh database: a temporary SQLite file,
 * or a newly created PostgreSQL database (dropped afterwards) so runs never collide.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createParleyClient, type ParleyClient } from '@parley/sdk';
import pg from 'pg';
import { loadConfig } from '../config.js';
import { createParleyServer, type ParleyServer, type ServerOptions } from '../server.js';
import { PG_ADMIN_URL, type TestDialect } from './dialects.js';

/**
 * Password hashing at a fraction of production's cost: tests sign up thousands of people,
 * and argon2id at 19 MiB would be most of the suite's CPU. The hashing tests use the real cost.
 */
export const CHEAP_PASSWORD_HASHING = { PASSWORD_HASH_MEMORY_KIB: '256', PASSWORD_HASH_PASSES: '1' };

export interface TestServer {
  url: string;
  dialect: TestDialect;
  server: ParleyServer;
  env: Record<string, string>;
  /** A fresh, signed-out SDK client. */
  client(): ParleyClient;
  close(): Promise<void>;
}

export interface TestDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

async function adminQuery(sql: string) {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** A database nobody else uses: its environment, and how to remove it. */
export async function createTestDatabase(dialect: TestDialect): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-test-'));
  if (dialect === 'sqlite') {
    return { env: { DATA_DIR: dataDir }, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `parley_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    env: { DATA_DIR: dataDir, DATABASE_URL: url.toString() },
    drop: async () => {
      await adminQuery(`drop database if exists ${name} with (force)`);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startTestServer(
  dialect: TestDialect,
  env: Record<string, string> = {},
  options: ServerOptions = {},
): Promise<TestServer> {
  const database = await createTestDatabase(dialect);
  // Tests sign up many users from one address; the sign-up limit has its own tests.
  const fullEnv = {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    REGISTER_IP_MAX_ACCOUNTS: '1000000',
    ...CHEAP_PASSWORD_HASHING,
    ...database.env,
    ...env,
  };
  const server = await createParleyServer(loadConfig(fullEnv), options);
  const url = await server.listen();
  return {
    url,
    dialect,
    server,
    env: fullEnv,
    client: () => createParleyClient({ baseUrl: url }),
    close: async () => {
      await server.close();
      await database.drop();
    },
  };
}

let counter = 0;
/** Registers a new user with unique names; returns a signed-in client. */
export async function signUp(ts: TestServer, name = 'user') {
  counter += 1;
  const suffix = `${counter}${randomBytes(3).toString('hex')}`;
  const client = ts.client();
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const result = await client.auth.register({
    email: `${name}${suffix}@example.org`,
    username: `${name}${suffix}`.slice(0, 32),
    password,
    displayName: `${name[0]?.toUpperCase()}${name.slice(1)} ${suffix}`,
  });
  return { client, user: result.user, token: result.token, password };
}

export interface SecondInstance {
  url: string;
  close(): Promise<void>;
}

/**
 * Another instance of `first`'s deployment: the same database (and bus, when `first` has
 * REDIS_URL), a DATA_DIR of its own so nothing on local disk is shared. Closed before `first`.
 */
export async function startSecondInstance(first: TestServer): Promise<SecondInstance> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-second-'));
  const server = await createParleyServer(loadConfig({ ...first.env, DATA_DIR: dataDir, INSTANCE_ID: 'second' }));
  const url = await server.listen();
  return {
    url,
    close: async () => {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
