/**
 * The presence port: which users hold a socket on which server instance, so "online" means
 * online on any instance and "offline" is said once, by whoever saw the last socket go.
 * Two backends: in-process (one instance) and Redis (several instances sharing one Redis).
 * It only counts; storing "last seen" and announcing changes is the tracker's job
 * (presence.ts).
 */
import type { Redis } from 'ioredis';
import { newId } from '../ids.js';

export interface PresenceStore {
  /** This instance holds a socket of the user. True when the user was offline on every instance before. */
  markOnline(userId: string): Promise<boolean>;
  /** This instance holds no socket of the user any more. True when the user is now offline everywhere. */
  markOffline(userId: string): Promise<boolean>;
  /** Everyone online on any instance. */
  onlineUserIds(): Promise<string[]>;
  /**
   * Users who were online only through instances that stopped heartbeating (a crash, a
   * SIGKILL, a lost network). They are removed and returned once across all instances,
   * so exactly one caller announces each of them offline.
   */
  reapDeadInstances(): Promise<string[]>;
  /** How often callers should run `reapDeadInstances`; null when there is nothing to reap. */
  readonly reapIntervalMs: number | null;
  /**
   * Stops the heartbeat and removes this instance's entries. Users still held here go
   * offline silently: callers that want them announced call `markOffline` for each first.
   */
  close(): Promise<void>;
}

/** For each user, the local stores that hold them. */
export type LocalPresenceHolders = Map<string, Set<object>>;

/**
 * One process. Stores created with the same `holders` stand for several instances of one
 * deployment (tests do that); a single server needs none. An in-process instance cannot
 * die without the process, so there is never anyone to reap.
 */
export function createLocalPresenceStore(holders: LocalPresenceHolders = new Map()): PresenceStore {
  const self = {};
  const held = new Set<string>();

  function release(userId: string): boolean {
    const instances = holders.get(userId);
    instances?.delete(self);
    if (instances && instances.size > 0) return false;
    holders.delete(userId);
    return true;
  }

  return {
    async markOnline(userId) {
      if (held.has(userId)) return false;
      held.add(userId);
      const instances = holders.get(userId) ?? new Set();
      instances.add(self);
      holders.set(userId, instances);
      return instances.size === 1;
    },
    async markOffline(userId) {
      if (!held.delete(userId)) return false;
      return release(userId);
    },
    onlineUserIds: async () => [...holders.keys()],
    reapDeadInstances: async () => [],
    reapIntervalMs: null,
    async close() {
      for (const userId of held) release(userId);
      held.clear();
    },
  };
}

export interface RedisPresenceStoreOptions {
  redis: Redis;
  /** Names this instance in the keys. Must not be shared by two running instances. */
  instanceId: string;
  /** How often this instance proves it is alive (and how often to reap). Default 2000. */
  heartbeatMs?: number;
  /** An instance silent this long is dead and its users are reaped. Default 6000. */
  instanceTtlMs?: number;
  /** Default `{parley:presence}:`; the braces are a Redis Cluster hash tag, keeping every key in one slot for the scripts. */
  keyPrefix?: string;
}

export interface RedisPresenceStore extends PresenceStore {
  /** The id in the keys: `instanceId` plus a random suffix for this run of the process. */
  readonly member: string;
  /** Stops heartbeating and leaves every entry behind, as a crash would. For tests. */
  kill(): void;
}

// Keys: `instances` (set of live members), `alive:<member>` (expires unless heartbeaten),
// `held:<member>` (set of user ids this member holds), `online` (hash user id → number of
// members holding them). Every change is one script, so counts and sets never disagree.

// Any write also re-registers the member: one that was reaped while alive (paused past the
// TTL) is counted again instead of holding users nobody could ever reap.
const MARK_ONLINE = `
redis.call('SADD', KEYS[3], ARGV[2])
redis.call('SET', KEYS[4], '1', 'PX', ARGV[3])
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
if redis.call('HINCRBY', KEYS[2], ARGV[1], 1) == 1 then return 1 end
return 0`;

const MARK_OFFLINE = `
if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then return 0 end
if redis.call('HINCRBY', KEYS[2], ARGV[1], -1) > 0 then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1])
return 1`;

const HEARTBEAT = `
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
return 1`;

// Removes the members whose `alive` key expired, and returns the users nobody else holds.
// Atomic, so concurrent reapers take each dead member, and so each user, once.
const REAP = `
local gone = {}
for _, member in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if member ~= ARGV[2] and redis.call('EXISTS', ARGV[1] .. 'alive:' .. member) == 0 then
    local held = ARGV[1] .. 'held:' .. member
    for _, user in ipairs(redis.call('SMEMBERS', held)) do
      if redis.call('HINCRBY', KEYS[2], user, -1) <= 0 then
        redis.call('HDEL', KEYS[2], user)
        gone[#gone + 1] = user
      end
    end
    redis.call('DEL', held)
    redis.call('SREM', KEYS[1], member)
  end
end
return gone`;

const LEAVE = `
for _, user in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('HINCRBY', KEYS[2], user, -1) <= 0 then redis.call('HDEL', KEYS[2], user) end
end
redis.call('DEL', KEYS[1], KEYS[4])
redis.call('SREM', KEYS[3], ARGV[1])
return 1`;

/**
 * Several instances on one Redis. A crashed instance's users are reaped, by whichever
 * instance looks first, within `instanceTtlMs + heartbeatMs` of its last heartbeat.
 * The random suffix of `member` means a restart under the same `instanceId` does not
 * inherit (and never reaps) what its crashed predecessor left: that is reaped like any
 * dead instance's.
 */
export function createRedisPresenceStore(options: RedisPresenceStoreOptions): RedisPresenceStore {
  const { redis, heartbeatMs = 2000, instanceTtlMs = 6000, keyPrefix = '{parley:presence}:' } = options;
  if (instanceTtlMs <= heartbeatMs) throw new Error('instanceTtlMs must be longer than heartbeatMs');
  const member = `${options.instanceId}.${newId().slice(0, 8)}`;
  const keys = {
    instances: `${keyPrefix}instances`,
    alive: `${keyPrefix}alive:${member}`,
    held: `${keyPrefix}held:${member}`,
    online: `${keyPrefix}online`,
  };
  const ttl = String(instanceTtlMs);

  // A failed heartbeat is retried by the next one; the TTL allows for a missed beat or two.
  let beating: Promise<unknown> = Promise.resolve();
  const beat = () => {
    beating = redis.eval(HEARTBEAT, 2, keys.instances, keys.alive, member, ttl).catch(() => undefined);
  };
  beat();
  const heartbeat = setInterval(beat, heartbeatMs);
  heartbeat.unref();
  let closing: Promise<void> | null = null;

  return {
    member,
    reapIntervalMs: heartbeatMs,
    async markOnline(userId) {
      const first = await redis.eval(MARK_ONLINE, 4, keys.held, keys.online, keys.instances, keys.alive, userId, member, ttl);
      return first === 1;
    },
    async markOffline(userId) {
      const last = await redis.eval(MARK_OFFLINE, 2, keys.held, keys.online, userId);
      return last === 1;
    },
    onlineUserIds: () => redis.hkeys(keys.online),
    async reapDeadInstances() {
      const gone = await redis.eval(REAP, 2, keys.instances, keys.online, keyPrefix, member);
      return Array.isArray(gone) ? gone.filter((userId): userId is string => typeof userId === 'string') : [];
    },
    kill() {
      clearInterval(heartbeat);
    },
    close() {
      closing ??= (async () => {
        clearInterval(heartbeat);
        // A heartbeat landing after the cleanup would register this member again.
        await beating;
        await redis.eval(LEAVE, 4, keys.held, keys.online, keys.instances, keys.alive, member);
      })();
      return closing;
    },
  };
}
