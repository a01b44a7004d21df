/**
 * Presence (B3): a user is online while any socket of theirs is open; after the last one
 * closes they stay online for a short grace (a reload or a network blip is not "left"),
 * then go offline with "last seen" stored. Changes are told to everyone sharing a chat.
 */
import type { Kysely } from 'kysely';
import { now, toIso } from '../clock.js';
import type { Database } from '../storage/schema.js';
import type { EventBus } from './bus.js';

export interface PresenceTracker {
  isOnline(userId: string): boolean;
  connected(userId: string): void;
  disconnected(userId: string): void;
  close(): void;
}

export function createPresenceTracker(db: Kysely<Database>, bus: EventBus, graceMs: number): PresenceTracker {
  const sockets = new Map<string, number>();
  const pendingOffline = new Map<string, NodeJS.Timeout>();

  async function announce(userId: string, online: boolean, lastSeenAt: number | null) {
    const rows = await db
      .selectFrom('chat_members')
      .select('user_id')
      .distinct()
      .where('chat_id', 'in', db.selectFrom('chat_members').select('chat_id').where('user_id', '=', userId))
      .execute();
    bus.publish({
      kind: 'ephemeral',
      name: 'presence',
      chatId: null,
      userIds: rows.map((r) => r.user_id),
      exceptUserId: userId,
      data: { userId, online, lastSeenAt: lastSeenAt === null ? null : toIso(lastSeenAt) },
    });
  }

  const ignoreFailure = (promise: Promise<unknown>) => promise.catch(() => undefined);

  return {
    isOnline: (userId) => (sockets.get(userId) ?? 0) > 0 || pendingOffline.has(userId),
    connected(userId) {
      const count = (sockets.get(userId) ?? 0) + 1;
      sockets.set(userId, count);
      const pending = pendingOffline.get(userId);
      if (pending) {
        clearTimeout(pending);
        pendingOffline.delete(userId);
        return;
      }
      if (count === 1) void ignoreFailure(announce(userId, true, null));
    },
    disconnected(userId) {
      const count = (sockets.get(userId) ?? 1) - 1;
      if (count > 0) {
        sockets.set(userId, count);
        return;
      }
      sockets.delete(userId);
      const timer = setTimeout(() => {
        pendingOffline.delete(userId);
        const at = now();
        void ignoreFailure(
          db
            .updateTable('users')
            .set({ last_seen_at: at })
            .where('id', '=', userId)
            .execute()
            .then(() => announce(userId, false, at)),
        );
      }, graceMs);
      timer.unref();
      pendingOffline.set(userId, timer);
    },
    close() {
      for (const timer of pendingOffline.values()) clearTimeout(timer);
      pendingOffline.clear();
    },
  };
}
