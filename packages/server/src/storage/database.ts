/**
 * Opens the database the config selects — an embedded SQLite file (default) or
 * PostgreSQL when DATABASE_URL is set — and runs pending migrations.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import { MIGRATIONS } from './migrations/index.js';
import type { Database } from './schema.js';
import { withStatementCache } from './statement-cache.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Storage {
  db: Kysely<Database>;
  dialect: Dialect;
  /** PostgreSQL's connection pool (for metrics); undefined on SQLite. */
  pool?: { totalCount: number; idleCount: number; waitingCount: number };
  /** Resolves when the database answers a trivial query; used by /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

const PG_INT8 = 20;

function openSqlite(file: string): Kysely<Database> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // WAL + NORMAL is durable against process crashes (the case acks promise); only an
  // OS crash or power loss can drop the last transactions.
  sqlite.pragma('synchronous = NORMAL');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
}

function openPostgres(url: string, poolMax: number): { db: Kysely<Database>; pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    // bigint columns hold millisecond timestamps and counters that fit in a double.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === PG_INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle pooled connection that the server drops (restart, failover, admin kill)
  // emits 'error' on the pool; unhandled, that would crash the process. The pool discards
  // that client and opens a new one on the next query; /readyz shows if the database is down.
  pool.on('error', () => undefined);
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), pool };
}

export async function migrate(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function openStorage(config: Pick<Config, 'DATABASE_URL' | 'sqlitePath'> & { DATABASE_POOL_MAX?: number }): Promise<Storage> {
  const dialect: Dialect = config.DATABASE_URL ? 'postgres' : 'sqlite';
  const postgres = config.DATABASE_URL ? openPostgres(config.DATABASE_URL, config.DATABASE_POOL_MAX ?? 10) : null;
  const db = postgres ? postgres.db : openSqlite(config.sqlitePath);
  return {
    db,
    dialect,
    ...(postgres && { pool: postgres.pool }),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}
