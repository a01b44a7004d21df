/**
 * Live sessions by token hash, so that a request on SQLite need not read its session row:
 * the session lookup was one of the five statements of every history page.
 *
 * A session that ends is forgotten at once: every way a session ends (sign-out, revoking
 * one, a password change or reset, ending all of them, suspension, deletion, a bot's new
 * token) tells the bus `sessions.ended`, which reaches this instance's subscribers before
 * the ending request answers (services.ts). What another process changes in the database
 * without a bus (parley-admin on a server without Redis) is seen by SQLite's
 * `data_version`, which the service reads before trusting the cache: any commit by another
 * connection empties it. Expiry is checked on every hit, and every entry is read again
 * after a few seconds in any case.
 *
 * PostgreSQL has no such cheap "someone else wrote" signal, and another instance's
 * `sessions.ended` arrives over Redis a moment after its request answered; there the
 * session is read on every request (one precompiled statement), so an ended session is
 * refused at once on every instance.
 */

export interface CachedSession {
  userId: string;
  sessionId: string;
  expiresAt: number;
  lastSeenAt: number;
}

interface Entry extends CachedSession {
  cachedAt: number;
}

const MAX_AGE_MS = 5_000;
const MAX_ENTRIES = 50_000;

export type SessionCache = ReturnType<typeof createSessionCache>;

export function createSessionCache() {
  const byTokenHash = new Map<string, Entry>();
  const tokenHashOf = new Map<string, string>();
  /** Moves on every forget, so a session read while it ended is not kept. */
  let generation = 0;
  let othersVersion: number | null = null;

  const clear = () => {
    generation++;
    byTokenHash.clear();
    tokenHashOf.clear();
  };

  return {
    generation: () => generation,

    /** Another process's commits, as counted now: when the count moved, nothing kept is trusted. */
    othersWrote(version: number): void {
      if (version === othersVersion) return;
      othersVersion = version;
      clear();
    },

    get(tokenHash: string, at: number): CachedSession | undefined {
      const entry = byTokenHash.get(tokenHash);
      if (!entry) return undefined;
      if (at - entry.cachedAt >= MAX_AGE_MS || entry.expiresAt < at) {
        byTokenHash.delete(tokenHash);
        tokenHashOf.delete(entry.sessionId);
        return undefined;
      }
      return entry;
    },

    /** Keeps a session read from the database, unless a session ended since `readAt` (a generation). */
    set(tokenHash: string, session: CachedSession, readAt: number, at: number): void {
      if (readAt !== generation) return;
      if (byTokenHash.size >= MAX_ENTRIES) clear();
      byTokenHash.set(tokenHash, { ...session, cachedAt: at });
      tokenHashOf.set(session.sessionId, tokenHash);
    },

    /** These sessions ended (on any instance). */
    forget(sessionIds: string[]): void {
      generation++;
      for (const id of sessionIds) {
        const tokenHash = tokenHashOf.get(id);
        if (tokenHash === undefined) continue;
        byTokenHash.delete(tokenHash);
        tokenHashOf.delete(id);
      }
    },
  };
}
