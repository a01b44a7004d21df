/**
 * The sender of a freshly sent message, as the message presents them (id, username,
 * display name, bot), remembered per database so the send path does not read the same
 * user row for every message. Read through on a miss, forgotten when the person's profile
 * changes (`user.updated` on the bus, so every instance forgets: realtime/ws-server.ts) and
 * after a few seconds in any case — a bound on staleness should a change ever not be
 * announced. It presents; it admits nothing (who may send is checked in the database).
 * History pages and replays read users as before.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';

export interface SenderRow {
  id: string;
  username: string;
  display_name: string;
  bot_owner_id: string | null;
}

const MAX_AGE_MS = 5_000;
const MAX_ENTRIES = 20_000;

interface Entry {
  row: SenderRow;
  at: number;
}

/**
 * Keyed by the Kysely instance's adapter: a transaction shares its root's, so the send's
 * unit of work and the bus subscriber find the same cache; another server in the same
 * process (tests) has its own.
 */
const caches = new WeakMap<object, Map<string, Entry>>();

const cacheOf = (db: Pick<Kysely<Database>, 'getExecutor'>): Map<string, Entry> => {
  const key = db.getExecutor().adapter as object;
  let cache = caches.get(key);
  if (!cache) {
    cache = new Map();
    caches.set(key, cache);
  }
  return cache;
};

export async function cachedSender(db: Kysely<Database>, userId: string, load: () => Promise<SenderRow[]>): Promise<SenderRow[]> {
  const cache = cacheOf(db);
  const hit = cache.get(userId);
  const at = Date.now();
  if (hit && at - hit.at < MAX_AGE_MS) return [hit.row];
  const rows = await load();
  const [row] = rows;
  if (row) {
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(userId, { row, at });
  }
  return rows;
}

/** The person's name or username changed: the next message they send reads them again. */
export function forgetSender(db: Pick<Kysely<Database>, 'getExecutor'>, userId: string): void {
  cacheOf(db).delete(userId);
}
