/**
 * PostgreSQL connections can be cut from the server side (restart, failover, an admin's
 * pg_terminate_backend). The process must survive that, and the next query must work on
 * a fresh connection.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { DIALECTS, PG_ADMIN_URL } from '../test/dialects.js';
import { createTestDatabase } from '../test/test-server.js';
import { migrate, openStorage } from './database.js';

describe.skipIf(!DIALECTS.includes('postgres'))('losing PostgreSQL connections', () => {
  it('survives the server terminating idle pooled connections, and the next query reconnects', async () => {
    const database = await createTestDatabase('postgres');
    const storage = await openStorage({ DATABASE_URL: database.env.DATABASE_URL, sqlitePath: '' });
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      await migrate(storage.db);
      await storage.ping();
      const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
      await admin.connect();
      const dbName = new URL(database.env.DATABASE_URL ?? '').pathname.slice(1);
      const killed = await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [dbName],
      );
      await admin.end();
      expect(killed.rowCount).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await storage.ping();
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await storage.close();
      await database.drop();
    }
  });
});
