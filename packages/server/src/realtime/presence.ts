/**
 * Presence (B3): a user is online while any socket of theirs is open on any instance;
 * after the last one closes they stay online for a short grace (a reload or a network blip
 * is not "left"), then go offline with "last seen" stored. Changes are told to everyone
 * sharing a chat. The store (presence-store.ts) decides who came online or went offline
 * everywhere; this tracker counts this instance's sockets, stores "last seen", announces,
 * and keeps a cache of who is online anywhere so `isOnline` answers without a round trip.
 */
import type { Kysely } from 'kysely';
import { now, toIso } from '../clock.js';
import type { Database } from '../storage/schema.js';
import type { EventBus } from './bus.js';
import { presenceRepo } from './presence.repo.js';
import { createLocalPresenceStore, type PresenceStore } from './presence-store.js';

export interface PresenceTracker {
  /** Online on any instance, as far as this one knows. Synchronous: members are presented with it. */
  isOnline(userId: string): boolean;
  /** Online, away (idle or set by hand while connected), or offline. */
  status(userId: string): 'online' | 'away' | 'offline';
  /**
   * Away or back; heard by those who may see the user's presence. No effect while offline.
   * Away `byHand` is ended only by back `byHand`: another device returning from idle leaves it.
   */
  setAway(userId: string, away: boolean, byHand?: boolean): Promise<void>;
  connected(userId: string): void;
  disconnected(userId: string): void;
  /** Resolves once the cache holds who the store had online at start (a failed read is retried in the background). */
  readonly ready: Promise<void>;
  /**
   * Takes this instance's users offline the normal way, at once (no grace: the server is
   * leaving): each one nobody else holds gets "last seen" stored and is announced offline.
   * Then closes the store. Idempotent; later `connected`/`disconnected` calls are ignored.
   */
  close(): Promise<void>;
}

/** Other instances' presence events fix the cache as they come; a full read also mends anything missed or reordered on the bus. */
const REREAD_ONLINE_MS = 30_000;

interface PresenceChange {
  userId: string;
  online: boolean;
  away: boolean;
  byHand: boolean;
}

/** Of a user's peers, those who may hear their presence (privacy settings, blocks: access/people-access.ts). */
export type PresenceAudience = (userId: string, peerIds: string[]) => Promise<string[]>;

function presenceChange(data: unknown): PresenceChange | null {
  if (typeof data !== 'object' || data === null) return null;
  if (!('userId' in data) || typeof data.userId !== 'string') return null;
  if (!('online' in data) || typeof data.online !== 'boolean') return null;
  return {
    userId: data.userId,
    online: data.online,
    away: 'away' in data && data.away === true,
    byHand: 'byHand' in data && data.byHand === true,
  };
}

/**
 * The factory is synchronous and the tracker owns `store` from here on (its `close` closes
 * the store). It subscribes to the bus at once, because every instance's presence events
 * reach every instance, then fills the cache from the store (`ready`).
 */
export function createPresenceTracker(
  db: Kysely<Database>,
  bus: EventBus,
  graceMs: number,
  store: PresenceStore = createLocalPresenceStore(),
  audience: PresenceAudience = async (_userId, peerIds) => peerIds,
): PresenceTracker {
  const repo = presenceRepo(db);
  const sockets = new Map<string, number>();
  const pendingOffline = new Map<string, NodeJS.Timeout>();
  const onlineAnywhere = new Set<string>();
  const awayAnywhere = new Set<string>();
  /** Of those away, who chose it (kept across instances through the presence events' `byHand`). */
  const awayByHand = new Set<string>();
  let closing: Promise<void> | null = null;

  const socketsHere = (userId: string) => sockets.get(userId) ?? 0;
  const heldHere = (userId: string) => socketsHere(userId) > 0 || pendingOffline.has(userId);

  // One user's steps run one after another, so the store sees this instance's connects and
  // disconnects in the order they happened and announcements leave in that order. A failed
  // step (database or Redis down) is dropped: presence is best effort.
  const steps = new Map<string, Promise<void>>();
  function inOrder(userId: string, step: () => Promise<void>): Promise<void> {
    const next = (steps.get(userId) ?? Promise.resolve()).then(step).catch(() => undefined);
    steps.set(userId, next);
    void next.then(() => {
      if (steps.get(userId) === next) steps.delete(userId);
    });
    return next;
  }

  async function announce(userId: string, online: boolean, lastSeenAt: number | null, away = false, byHand = false) {
    bus.publish({
      kind: 'ephemeral',
      name: 'presence',
      chatId: null,
      userIds: await audience(userId, await repo.peersOf(userId)),
      exceptUserId: userId,
      data: { userId, online, away, ...(away && byHand && { byHand }), lastSeenAt: lastSeenAt === null ? null : toIso(lastSeenAt) },
    });
  }

  async function announceGone(userId: string) {
    const at = now();
    await repo.storeLastSeen(userId, at);
    await announce(userId, false, at);
  }

  const comeOnline = (userId: string) =>
    inOrder(userId, async () => {
      if (await store.markOnline(userId)) await announce(userId, true, null);
    });

  const goOffline = (userId: string) =>
    inOrder(userId, async () => {
      if (await store.markOffline(userId)) await announceGone(userId);
    });

  // Events seen while the store is being read win over what the read returns.
  let changedWhileReading: Set<string> | null = null;

  function heard(change: PresenceChange) {
    changedWhileReading?.add(change.userId);
    if (change.online && change.away) awayAnywhere.add(change.userId);
    else awayAnywhere.delete(change.userId);
    if (change.online && change.away && change.byHand) awayByHand.add(change.userId);
    else awayByHand.delete(change.userId);
    if (change.online) {
      onlineAnywhere.add(change.userId);
      return;
    }
    onlineAnywhere.delete(change.userId);
    // Offline everywhere while a socket is open here: this instance was reaped while alive
    // (paused or cut off past the TTL). Being counted again makes the user online again.
    if (closing || socketsHere(change.userId) === 0) return;
    void comeOnline(change.userId);
  }

  const unsubscribe = bus.subscribe(
    (message) => {
      if (message.kind !== 'ephemeral' || message.name !== 'presence') return;
      const change = presenceChange(message.data);
      if (change) heard(change);
    },
    (route) => route.kind === 'ephemeral' && route.name === 'presence',
  );

  let lastRead = Number.NEGATIVE_INFINITY;
  async function readOnlineUsers() {
    const changed = new Set<string>();
    changedWhileReading = changed;
    try {
      const online = new Set(await store.onlineUserIds());
      for (const userId of onlineAnywhere) if (!online.has(userId) && !changed.has(userId)) onlineAnywhere.delete(userId);
      for (const userId of online) if (!changed.has(userId)) onlineAnywhere.add(userId);
      lastRead = now();
    } finally {
      changedWhileReading = null;
    }
  }

  // Users of a dead instance: announced offline (after "last seen"), unless also held here,
  // where this instance simply counts itself in again.
  async function reap() {
    const gone = await store.reapDeadInstances();
    await Promise.all(
      gone.map((userId) =>
        inOrder(userId, async () => {
          if (heldHere(userId)) await store.markOnline(userId);
          else await announceGone(userId);
        }),
      ),
    );
  }

  let housekeeping: Promise<void> | null = null;
  const housekeep = async () => {
    await reap();
    if (now() - lastRead >= REREAD_ONLINE_MS) await readOnlineUsers();
  };
  const interval =
    store.reapIntervalMs === null
      ? null
      : setInterval(() => {
          housekeeping ??= housekeep()
            .catch(() => undefined)
            .finally(() => {
              housekeeping = null;
            });
        }, store.reapIntervalMs);
  interval?.unref();

  const ready = readOnlineUsers().catch(() => undefined);

  return {
    isOnline: (userId) => heldHere(userId) || onlineAnywhere.has(userId),
    status(userId) {
      if (!(heldHere(userId) || onlineAnywhere.has(userId))) return 'offline';
      return awayAnywhere.has(userId) ? 'away' : 'online';
    },
    setAway(userId, away, byHand = false) {
      if (closing || !(heldHere(userId) || onlineAnywhere.has(userId))) return Promise.resolve();
      const wasByHand = awayByHand.has(userId);
      // Back from idle on some device: a choice made by hand still holds.
      if (!byHand && wasByHand) return Promise.resolve();
      const nowByHand = away && byHand;
      if (awayAnywhere.has(userId) === away && wasByHand === nowByHand) return Promise.resolve();
      if (away) awayAnywhere.add(userId);
      else awayAnywhere.delete(userId);
      if (nowByHand) awayByHand.add(userId);
      else awayByHand.delete(userId);
      return inOrder(userId, () => announce(userId, true, null, away, nowByHand));
    },
    connected(userId) {
      if (closing) return;
      sockets.set(userId, socketsHere(userId) + 1);
      const pending = pendingOffline.get(userId);
      if (pending) {
        clearTimeout(pending);
        pendingOffline.delete(userId);
        return;
      }
      if (socketsHere(userId) === 1) void comeOnline(userId);
    },
    disconnected(userId) {
      if (closing) return;
      const count = (sockets.get(userId) ?? 1) - 1;
      if (count > 0) {
        sockets.set(userId, count);
        return;
      }
      sockets.delete(userId);
      const timer = setTimeout(() => {
        pendingOffline.delete(userId);
        void goOffline(userId);
      }, graceMs);
      timer.unref();
      pendingOffline.set(userId, timer);
    },
    ready,
    close() {
      closing ??= (async () => {
        if (interval) clearInterval(interval);
        // A reap in flight has taken users from the store: let it announce them.
        await housekeeping;
        for (const timer of pendingOffline.values()) clearTimeout(timer);
        const held = new Set([...sockets.keys(), ...pendingOffline.keys()]);
        sockets.clear();
        pendingOffline.clear();
        for (const userId of held) void goOffline(userId);
        await Promise.all(steps.values());
        unsubscribe();
        await store.close();
      })();
      return closing;
    },
  };
}
