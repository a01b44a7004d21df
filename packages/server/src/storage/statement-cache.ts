/**
 * Kysely's SQLite driver prepares every statement anew; with a schema of a dozen tables
 * preparing costs more than running. This wrapper keeps the most recent prepared
 * statements by SQL text (queries are parameterised, so the set of texts is small).
 */
import type { Database as SqliteDatabase } from 'better-sqlite3';

type Prepared = ReturnType<SqliteDatabase['prepare']>;

const MAX_STATEMENTS = 500;

export function withStatementCache(database: SqliteDatabase): { close(): void; prepare(sql: string): Prepared } {
  const cache = new Map<string, Prepared>();
  return {
    close: () => {
      database.close();
    },
    prepare(sql: string): Prepared {
      const cached = cache.get(sql);
      if (cached) return cached;
      const statement = database.prepare(sql);
      if (cache.size >= MAX_STATEMENTS) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}
