/**
 * One suite for every presence store backend, then the tracker on top of each. Several
 * stores of one deployment stand for several server instances (local stores share their
 * holders; Redis stores share a key prefix), and one in-process bus stands for the Redis
 * bus, where every instance receives every message. The Redis backend is skipped, with a
 * message, when Redis does not answer — unless PARLEY_TEST_REQUIRE_SERVICES=1, where that
 * is a failure.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { usersRepo } from '../modules/users/users.repo.js';
import { migrate, openStorage, type Storage } from '../storage/database.js';
import type { Database } from '../storage/schema.js';
import { REDIS_TEST_URL, redisAvailable as redisAnswersFor } from '../test/dialects.js';
import { sleep } from '../test/realtime-client.js';
import { createTestDatabase, type TestDatabase } from '../test/test-server.js';
import { userRow } from '../test/user-row.js';
import { type BusMessage, createLocalBus, type EventBus } from './bus.js';
import { createPresenceTracker, type PresenceTracker } from './presence.js';
import {
  createLocalPresenceStore,
  createRedisPresenceStore,
  type LocalPresenceHolders,
  type PresenceStore,
  type RedisPresenceStore,
} from './presence-store.js';

const redisAvailable = await redisAnswersFor('the redis presence store');

const redis = redisAvailable ? new Redis(REDIS_TEST_URL) : null;
afterAll(() => redis?.disconnect());

function redisConnection(): Redis {
  if (!redis) throw new Error('Redis is not available');
  return redis;
}

interface Timing {
  heartbeatMs?: number;
  instanceTtlMs?: number;
  instanceId?: string;
}

/** The stores of one deployment: each `instance()` is another server instance. */
interface Deployment {
  instance(timing?: Timing): PresenceStore;
  close(): Promise<void>;
}

interface Backend {
  name: 'local' | 'redis';
  deployment(): Deployment;
}

const localBackend: Backend = {
  name: 'local',
  deployment() {
    const holders: LocalPresenceHolders = new Map();
    return { instance: () => createLocalPresenceStore(holders), close: async () => undefined };
  },
};

interface RedisDeployment extends Deployment {
  instance(timing?: Timing): RedisPresenceStore;
}

/** Redis stores under a prefix of their own; `close` removes every key under it. */
function redisDeployment(): RedisDeployment {
  const keyPrefix = `{parley-test-presence-${randomBytes(6).toString('hex')}}:`;
  const stores: RedisPresenceStore[] = [];
  let count = 0;
  return {
    instance(timing = {}) {
      count += 1;
      const store = createRedisPresenceStore({ redis: redisConnection(), instanceId: `i${count}`, keyPrefix, ...timing });
      stores.push(store);
      return store;
    },
    async close() {
      for (const store of stores) store.kill();
      const keys = await redisConnection().keys(`${keyPrefix}*`);
      if (keys.length > 0) await redisConnection().del(...keys);
    },
  };
}

const redisBackend: Backend = { name: 'redis', deployment: redisDeployment };

const BACKENDS: Backend[] = redisAvailable ? [localBackend, redisBackend] : [localBackend];

const deployments: Deployment[] = [];
afterEach(async () => {
  await Promise.all(deployments.splice(0).map((deployment) => deployment.close()));
});

function newDeployment<T extends Deployment>(create: () => T): T {
  const deployment = create();
  deployments.push(deployment);
  return deployment;
}

let users = 0;
const userId = () => `u${Date.now().toString(36)}${(users++).toString(36)}`;
const sorted = (ids: string[]) => [...ids].sort();

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Polls `reapDeadInstances` the way the tracker does, until it returns someone. */
async function reapUntilSomeone(store: PresenceStore, everyMs: number, timeoutMs = 3000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const gone = await store.reapDeadInstances();
    if (gone.length > 0 || Date.now() > deadline) return gone;
    await sleep(everyMs);
  }
}

for (const backend of BACKENDS) {
  describe(`presence store (${backend.name})`, () => {
    it('tells the first instance to hold a user that the user came online, and nobody after it', async () => {
      const deployment = newDeployment(() => backend.deployment());
      const [a, b] = [deployment.instance(), deployment.instance()];
      const u = userId();
      expect(await a.markOnline(u)).toBe(true);
      expect(await a.markOnline(u)).toBe(false);
      expect(await b.markOnline(u)).toBe(false);
    });

    it('says a user went offline only when the last instance holding them lets go, and only once', async () => {
      const deployment = newDeployment(() => backend.deployment());
      const [a, b] = [deployment.instance(), deployment.instance()];
      const u = userId();
      await a.markOnline(u);
      await b.markOnline(u);
      expect(await a.markOffline(u)).toBe(false);
      expect(await b.markOffline(u)).toBe(true);
      expect(await b.markOffline(u)).toBe(false);
      expect(await a.markOnline(u)).toBe(true);
    });

    it('ignores markOffline from an instance that does not hold the user', async () => {
      const deployment = newDeployment(() => backend.deployment());
      const [a, b] = [deployment.instance(), deployment.instance()];
      const u = userId();
      await a.markOnline(u);
      expect(await b.markOffline(u)).toBe(false);
      expect(await b.onlineUserIds()).toEqual([u]);
    });

    it('lists everyone online on any instance', async () => {
      const deployment = newDeployment(() => backend.deployment());
      const [a, b] = [deployment.instance(), deployment.instance()];
      const [u1, u2, u3] = [userId(), userId(), userId()];
      await a.markOnline(u1);
      await b.markOnline(u2);
      await b.markOnline(u3);
      await b.markOffline(u3);
      expect(sorted(await a.onlineUserIds())).toEqual(sorted([u1, u2]));
    });

    it('a closed instance no longer keeps its users online, and leaves the users other instances hold', async () => {
      const deployment = newDeployment(() => backend.deployment());
      const [a, b] = [deployment.instance(), deployment.instance()];
      const [onlyA, both] = [userId(), userId()];
      await a.markOnline(onlyA);
      await a.markOnline(both);
      await b.markOnline(both);
      await a.close();
      await a.close();
      expect(await b.onlineUserIds()).toEqual([both]);
      expect(await b.markOffline(both)).toBe(true);
    });

    it('reaps nobody while every instance heartbeats', async () => {
      const deployment = newDeployment(() => backend.deployment());
      const timing = { heartbeatMs: 30, instanceTtlMs: 100 };
      const [a, b] = [deployment.instance(timing), deployment.instance(timing)];
      await a.markOnline(userId());
      await sleep(300);
      expect(await b.reapDeadInstances()).toEqual([]);
      expect(await a.reapDeadInstances()).toEqual([]);
    });
  });
}

describe.skipIf(!redisAvailable)('presence store (redis) when an instance dies', () => {
  const timing = { heartbeatMs: 50, instanceTtlMs: 200 };

  it('a survivor reaps the users only the dead instance held, once, within TTL + heartbeat of the crash', async () => {
    const deployment = newDeployment(redisDeployment);
    const [victim, survivor] = [deployment.instance(timing), deployment.instance(timing)];
    const [onlyVictim, both] = [userId(), userId()];
    await victim.markOnline(onlyVictim);
    await victim.markOnline(both);
    await survivor.markOnline(both);
    victim.kill();
    const crashedAt = Date.now();
    const gone = await reapUntilSomeone(survivor, timing.heartbeatMs);
    // Scheduling slack on top of the bound: timers and Redis round trips on a busy machine.
    expect(Date.now() - crashedAt).toBeLessThan(timing.instanceTtlMs + timing.heartbeatMs + 250);
    expect(gone).toEqual([onlyVictim]);
    await sleep(timing.instanceTtlMs);
    expect(await survivor.reapDeadInstances()).toEqual([]);
    expect(await survivor.onlineUserIds()).toEqual([both]);
    expect(await survivor.markOffline(both)).toBe(true);
  });

  it('concurrent reapers reap each user once', async () => {
    const deployment = newDeployment(redisDeployment);
    const victims = [deployment.instance(timing), deployment.instance(timing)];
    const reapers = [deployment.instance(timing), deployment.instance(timing), deployment.instance(timing)];
    const held = Array.from({ length: 200 }, () => userId());
    await Promise.all(held.map((u, n) => victims[n % 2]?.markOnline(u)));
    // Some users on both dead instances: they too go offline once.
    await Promise.all(held.slice(0, 20).map((u) => victims[1]?.markOnline(u)));
    for (const victim of victims) victim.kill();
    await sleep(timing.instanceTtlMs + timing.heartbeatMs);
    const rounds = await Promise.all(reapers.flatMap((reaper) => [reaper.reapDeadInstances(), reaper.reapDeadInstances()]));
    expect(sorted(rounds.flat())).toEqual(sorted(held));
    expect(await reapers[0]?.onlineUserIds()).toEqual([]);
  });

  it('an instance restarted under the same id does not inherit what its crashed predecessor held: that is reaped', async () => {
    const deployment = newDeployment(redisDeployment);
    const before = deployment.instance({ ...timing, instanceId: 'same' });
    const u = userId();
    await before.markOnline(u);
    before.kill();
    const after = deployment.instance({ ...timing, instanceId: 'same' });
    expect(after.member).not.toBe(before.member);
    expect(await reapUntilSomeone(after, timing.heartbeatMs)).toEqual([u]);
    expect(await after.markOnline(u)).toBe(true);
  });

  it('an instance reaped while still running is counted again, and kept, from its next markOnline', async () => {
    const deployment = newDeployment(redisDeployment);
    const [paused, survivor] = [deployment.instance(timing), deployment.instance(timing)];
    const u = userId();
    await paused.markOnline(u);
    paused.kill();
    expect(await reapUntilSomeone(survivor, timing.heartbeatMs)).toEqual([u]);
    expect(await paused.markOnline(u)).toBe(true);
    expect(await survivor.reapDeadInstances()).toEqual([]);
    expect(await survivor.onlineUserIds()).toEqual([u]);
  });
});

/** The presence events published on a bus, as `userId:online|offline`. */
function presenceLog(bus: EventBus): { entries: string[]; of(userId: string): string[] } {
  const entries: string[] = [];
  bus.subscribe((message: BusMessage) => {
    if (message.kind !== 'ephemeral' || message.name !== 'presence') return;
    const data = message.data;
    if (typeof data === 'object' && data !== null && 'userId' in data && 'online' in data)
      entries.push(`${String(data.userId)}:${data.online ? 'online' : 'offline'}`);
  });
  return { entries, of: (id) => entries.filter((entry) => entry.startsWith(`${id}:`)).map((entry) => entry.slice(id.length + 1)) };
}

let database: TestDatabase;
let storage: Storage;
beforeAll(async () => {
  database = await createTestDatabase('sqlite');
  storage = await openStorage({ DATABASE_URL: undefined, sqlitePath: path.join(database.env.DATA_DIR ?? '', 'parley.db') });
  await migrate(storage.db);
});
afterAll(async () => {
  await storage?.close();
  await database?.drop();
});

async function insertUser(db: Kysely<Database>): Promise<string> {
  const id = userId();
  await db
    .insertInto('users')
    .values(userRow({ id, username: id, email: null, display_name: id, display_name_search: id }))
    .execute();
  return id;
}

const lastSeenOf = async (id: string) => (await usersRepo(storage.db).findById(id))?.last_seen_at ?? null;

const trackers: PresenceTracker[] = [];
afterEach(async () => {
  await Promise.all(trackers.splice(0).map((tracker) => tracker.close()));
});

const GRACE_MS = 50;

function startTracker(bus: EventBus, store: PresenceStore): PresenceTracker {
  const tracker = createPresenceTracker(storage.db, bus, GRACE_MS, store);
  trackers.push(tracker);
  return tracker;
}

for (const backend of BACKENDS) {
  describe(`presence tracker across instances (${backend.name} store)`, () => {
    it('keeps a user with sockets on two instances online when one closes, and announces offline once after the last one’s grace', async () => {
      const deployment = newDeployment(() => backend.deployment());
      const bus = createLocalBus();
      const log = presenceLog(bus);
      const [a, b] = [startTracker(bus, deployment.instance()), startTracker(bus, deployment.instance())];
      const u = await insertUser(storage.db);
      a.connected(u);
      b.connected(u);
      await waitFor(() => log.of(u).length > 0, 'the online announcement');
      a.disconnected(u);
      await sleep(GRACE_MS + 150);
      expect(log.of(u)).toEqual(['online']);
      expect([a.isOnline(u), b.isOnline(u)]).toEqual([true, true]);
      b.disconnected(u);
      await waitFor(() => log.of(u).length > 1, 'the offline announcement');
      await sleep(150);
      expect(log.of(u)).toEqual(['online', 'offline']);
      expect([a.isOnline(u), b.isOnline(u)]).toEqual([false, false]);
      expect(await lastSeenOf(u)).not.toBeNull();
    });

    it('an instance started later sees who is already online elsewhere', async () => {
      const deployment = newDeployment(() => backend.deployment());
      const bus = createLocalBus();
      const log = presenceLog(bus);
      const a = startTracker(bus, deployment.instance());
      const u = await insertUser(storage.db);
      a.connected(u);
      await waitFor(() => log.of(u).length > 0, 'the online announcement');
      const late = startTracker(bus, deployment.instance());
      await late.ready;
      expect(late.isOnline(u)).toBe(true);
    });

    it('a graceful stop announces offline the users no other instance holds, at once', async () => {
      const deployment = newDeployment(() => backend.deployment());
      const bus = createLocalBus();
      const log = presenceLog(bus);
      const [a, b] = [startTracker(bus, deployment.instance()), startTracker(bus, deployment.instance())];
      const [onlyA, both] = [await insertUser(storage.db), await insertUser(storage.db)];
      a.connected(onlyA);
      a.connected(both);
      b.connected(both);
      await waitFor(() => log.entries.length === 2, 'two online announcements');
      await a.close();
      expect(log.of(onlyA)).toEqual(['online', 'offline']);
      expect(log.of(both)).toEqual(['online']);
      expect([b.isOnline(onlyA), b.isOnline(both)]).toEqual([false, true]);
      expect(await lastSeenOf(onlyA)).not.toBeNull();
    });
  });
}

describe.skipIf(!redisAvailable)('presence tracker when an instance dies (redis store)', () => {
  const timing = { heartbeatMs: 50, instanceTtlMs: 200 };

  it('one survivor announces the crashed instance’s users offline, once, with last seen stored, within TTL + heartbeat', async () => {
    const deployment = newDeployment(redisDeployment);
    const bus = createLocalBus();
    const log = presenceLog(bus);
    const victim = deployment.instance(timing);
    const [onlyVictim, both] = [await insertUser(storage.db), await insertUser(storage.db)];
    await victim.markOnline(onlyVictim);
    await victim.markOnline(both);
    const survivors = [startTracker(bus, deployment.instance(timing)), startTracker(bus, deployment.instance(timing))];
    await Promise.all(survivors.map((survivor) => survivor.ready));
    survivors[0]?.connected(both);
    expect(survivors.map((survivor) => survivor.isOnline(onlyVictim))).toEqual([true, true]);
    await sleep(50);
    victim.kill();
    const crashedAt = Date.now();
    await waitFor(() => log.of(onlyVictim).length > 0, 'the offline announcement');
    expect(Date.now() - crashedAt).toBeLessThan(timing.instanceTtlMs + timing.heartbeatMs + 250);
    await sleep(timing.instanceTtlMs + 2 * timing.heartbeatMs);
    expect(log.of(onlyVictim)).toEqual(['offline']);
    expect(log.of(both)).toEqual([]);
    expect(survivors.map((survivor) => [survivor.isOnline(onlyVictim), survivor.isOnline(both)])).toEqual([
      [false, true],
      [false, true],
    ]);
    expect(await lastSeenOf(onlyVictim)).not.toBeNull();
  });

  it('an instance reaped while still running announces its connected users online again', async () => {
    const deployment = newDeployment(redisDeployment);
    const bus = createLocalBus();
    const log = presenceLog(bus);
    // A heartbeat far apart, so only the deleted key (a pause past the TTL) makes it look dead.
    const pausedStore = deployment.instance({ heartbeatMs: 10_000, instanceTtlMs: 30_000 });
    const paused = startTracker(bus, pausedStore);
    const survivor = startTracker(bus, deployment.instance(timing));
    const u = await insertUser(storage.db);
    paused.connected(u);
    await waitFor(() => log.of(u).length > 0, 'the online announcement');
    const keys = await redisConnection().keys(`*alive:${pausedStore.member}`);
    await redisConnection().del(...keys);
    await waitFor(() => log.of(u).length > 2, 'the second online announcement');
    expect(log.of(u)).toEqual(['online', 'offline', 'online']);
    expect(survivor.isOnline(u)).toBe(true);
    await sleep(timing.instanceTtlMs + 2 * timing.heartbeatMs);
    expect(log.of(u)).toEqual(['online', 'offline', 'online']);
  });
});
