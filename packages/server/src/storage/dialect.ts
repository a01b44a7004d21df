/** Which SQL dialect a Kysely instance speaks, for the few places the two differ. */
import { PostgresAdapter } from 'kysely';

interface HasExecutor {
  getExecutor(): { adapter: unknown };
}

export const isPostgres = (db: HasExecutor): boolean => db.getExecutor().adapter instanceof PostgresAdapter;
