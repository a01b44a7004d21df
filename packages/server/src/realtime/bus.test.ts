/**
 * One suite for every fan-out bus backend: the in-process bus and the Redis Streams bus.
 * For Redis, several buses on one stream key stand for several server instances, and a
 * separate admin connection inspects the stream and kills connections. The Redis backend
 * is skipped, with a message, when Redis does not answer — unless
 * PARLEY_TEST_REQUIRE_SERVICES=1, where that is a failure.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { REDIS_TEST_URL, redisAvailable as redisAnswersFor } from '../test/dialects.js';
import { type BusMessage, createLocalBus, type EventBus } from './bus.js';
import { createRedisBus, type RedisBusOptions } from './redis-bus.js';

type Extras = Pick<RedisBusOptions, 'onLag' | 'log'>;

/** Buses that share one stream: the instances of one deployment. */
interface Cluster {
  key: string;
  start(instanceId: string, extras?: Extras): Promise<EventBus>;
  /**
   * Resolves once the stream holds the `length` entries the test published and every
   * receiver has handled them all; a no-op in-process, where delivery is synchronous.
   */
  settle(receivers: EventBus[], length: number): Promise<void>;
  close(): Promise<void>;
}

interface Backend {
  name: 'local' | 'redis';
  /** Whether several instances can share this bus. */
  multiInstance: boolean;
  cluster(): Cluster;
}

const redisAvailable = await redisAnswersFor('the redis bus backend');

const admin = redisAvailable ? new Redis(REDIS_TEST_URL) : null;
afterAll(() => admin?.disconnect());

function adminConnection(): Redis {
  if (!admin) throw new Error('Redis is not available');
  return admin;
}

const localBackend: Backend = {
  name: 'local',
  multiInstance: false,
  cluster() {
    const bus = createLocalBus();
    return {
      key: 'local',
      start: async () => bus,
      settle: async () => undefined,
      close: () => bus.close(),
    };
  },
};

const redisBackend: Backend = {
  name: 'redis',
  multiInstance: true,
  cluster() {
    const key = `parley:bus:test:${randomBytes(6).toString('hex')}`;
    const buses: EventBus[] = [];
    let probe: EventBus | null = null;
    let probes = 0;
    const start = async (instanceId: string, extras: Extras = {}) => {
      const bus = await createRedisBus({ url: REDIS_TEST_URL, instanceId, key, log: quietLog(), ...extras });
      buses.push(bus);
      return bus;
    };
    return {
      key,
      start,
      async settle(receivers, length) {
        // Earlier settles' markers are in the stream too.
        const expected = length + probes;
        await waitFor(async () => (await adminConnection().xlen(key)) >= expected, `the stream to hold ${expected} entries`);
        // Entries are read in stream order, so a marker appended after them reaches each
        // receiver only once it has handled everything before it.
        probe ??= await start('probe');
        const marker = note('probe', probes++);
        const arrivals = receivers.map((receiver) => arrivalOf(receiver, marker));
        probe.publish(marker);
        await Promise.all(arrivals);
      },
      async close() {
        try {
          await Promise.all(buses.map((bus) => bus.close()));
        } finally {
          await adminConnection().del(key);
        }
      },
    };
  },
};

const BACKENDS: Backend[] = redisAvailable ? [localBackend, redisBackend] : [localBackend];

const clusters: Cluster[] = [];
afterEach(async () => {
  await Promise.all(clusters.splice(0).map((cluster) => cluster.close()));
});

function newCluster(backend: Backend): Cluster {
  const cluster = backend.cluster();
  clusters.push(cluster);
  return cluster;
}

interface Note {
  publisher: string;
  n: number;
}

/** A test message that says who published it and its place in that publisher's order. */
function note(publisher: string, n: number): BusMessage {
  return { kind: 'ephemeral', name: 'typing', chatId: null, userIds: null, exceptUserId: null, data: { publisher, n } };
}

function noteOf(message: BusMessage): Note {
  const data = message.kind === 'ephemeral' ? message.data : null;
  if (typeof data === 'object' && data !== null && 'publisher' in data && 'n' in data) {
    if (typeof data.publisher === 'string' && typeof data.n === 'number') return { publisher: data.publisher, n: data.n };
  }
  throw new Error(`not a test note: ${JSON.stringify(message)}`);
}

/** What one subscriber received, per publisher in arrival order; the settle probe's markers left out. */
function record(bus: EventBus): { received: Map<string, number[]>; total(): number; unsubscribe: () => void } {
  const received = new Map<string, number[]>();
  const unsubscribe = bus.subscribe((message) => {
    const { publisher, n } = noteOf(message);
    if (publisher === 'probe') return;
    const list = received.get(publisher) ?? [];
    list.push(n);
    received.set(publisher, list);
  });
  const total = () => [...received.values()].reduce((sum, list) => sum + list.length, 0);
  return { received, total, unsubscribe };
}

function arrivalOf(bus: EventBus, marker: BusMessage): Promise<void> {
  const { n } = noteOf(marker);
  return new Promise((resolve) => {
    const unsubscribe = bus.subscribe((message) => {
      const seen = noteOf(message);
      if (seen.publisher !== 'probe' || seen.n !== n) return;
      unsubscribe();
      resolve();
    });
  });
}

const range = (count: number) => Array.from({ length: count }, (_, n) => n);

function quietLog(warnings: string[] = []): NonNullable<Extras['log']> {
  return { warn: (_obj, msg) => warnings.push(msg) };
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Publishes `count` notes in chunks, yielding between them so other work interleaves. */
async function publishMany(bus: EventBus, publisher: string, count: number, chunk = 250, pauseMs = 0): Promise<void> {
  for (let n = 0; n < count; n += 1) {
    bus.publish(note(publisher, n));
    if ((n + 1) % chunk === 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}

async function readerClientId(instanceId: string): Promise<string | null> {
  const list = await adminConnection().client('LIST');
  const line = String(list)
    .split('\n')
    .find((entry) => entry.includes(` name=parley-bus-reader:${instanceId} `));
  return line?.match(/^id=(\d+) /)?.[1] ?? null;
}

for (const backend of BACKENDS) {
  describe(`fan-out bus (${backend.name})`, () => {
    it('a subscriber on the publishing instance receives each message synchronously, once, in publish order', async () => {
      const cluster = newCluster(backend);
      const bus = await cluster.start('a');
      const got = record(bus);
      for (const n of range(1000)) {
        bus.publish(note('a', n));
        expect(got.total()).toBe(n + 1);
      }
      await cluster.settle([bus], 1000);
      expect(got.received).toEqual(new Map([['a', range(1000)]]));
    });

    it('hands a subscriber with an interest only the messages it accepts, on this instance and the others', async () => {
      const cluster = newCluster(backend);
      const a = await cluster.start('a');
      const b = backend.multiInstance ? await cluster.start('b') : a;
      const wanted: string[] = [];
      const everything: string[] = [];
      b.subscribe(
        (message) => wanted.push(message.kind === 'stored' ? message.stream : 'other'),
        (route) => route.kind !== 'stored' || route.stream === 'c:followed',
      );
      b.subscribe((message) => everything.push(message.kind === 'stored' ? message.stream : 'other'));
      const stored = (stream: `c:${string}`): BusMessage => ({
        kind: 'stored',
        stream,
        seq: 1,
        name: 'read.updated',
        privateTo: null,
        data: {},
      });
      a.publish(stored('c:ignored'));
      a.publish(stored('c:followed'));
      a.publish(note('a', 0));
      await waitFor(() => everything.length === 3, 'all three at the unfiltered subscriber');
      expect(wanted).toEqual(['c:followed', 'other']);
      expect(everything).toEqual(['c:ignored', 'c:followed', 'other']);
    });

    it('unsubscribe stops delivery to that subscriber, of messages from any instance, and to no other', async () => {
      const cluster = newCluster(backend);
      const bus = await cluster.start('a');
      const other = backend.multiInstance ? await cluster.start('b') : bus;
      const leaving = record(bus);
      const staying = record(bus);
      bus.publish(note('a', 0));
      other.publish(note('b', 0));
      await cluster.settle([bus], 2);
      leaving.unsubscribe();
      bus.publish(note('a', 1));
      other.publish(note('b', 1));
      await cluster.settle([bus], 4);
      expect(leaving.received).toEqual(
        new Map([
          ['a', [0]],
          ['b', [0]],
        ]),
      );
      expect(staying.received).toEqual(
        new Map([
          ['a', [0, 1]],
          ['b', [0, 1]],
        ]),
      );
    });

    it('close() resolves within a second and stops delivery', async () => {
      const cluster = newCluster(backend);
      const bus = await cluster.start('a');
      const other = backend.multiInstance ? await cluster.start('b') : bus;
      const witness = backend.multiInstance ? await cluster.start('c') : bus;
      const got = record(bus);
      // Let the reader settle into its blocking read, which close() must not wait out.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const startedAt = Date.now();
      await bus.close();
      expect(Date.now() - startedAt).toBeLessThan(1000);
      bus.publish(note('a', 0));
      other.publish(note('b', 0));
      if (witness !== bus) await cluster.settle([witness], 1);
      expect(got.total()).toBe(0);
    });

    // Only a shared backend has other instances; some cases also reach into Redis directly.
    if (backend.multiInstance)
      describe('between instances', () => {
        it('every other instance receives every message exactly once, in its publisher’s order', async () => {
          const cluster = newCluster(backend);
          const a = await cluster.start('a');
          const b = await cluster.start('b');
          const c = await cluster.start('c');
          const atA = record(a);
          const atB = record(b);
          const atC = record(c);
          await Promise.all([publishMany(a, 'a', 5000), publishMany(b, 'b', 2000, 100)]);
          await waitFor(() => atA.total() === 7000 && atB.total() === 7000 && atC.total() === 7000, 'every message at every instance');
          await cluster.settle([a, b, c], 7000);
          const everything = new Map([
            ['a', range(5000)],
            ['b', range(2000)],
          ]);
          expect(atA.received).toEqual(everything);
          expect(atB.received).toEqual(everything);
          expect(atC.received).toEqual(everything);
        });

        it('a reader whose Redis connection is killed while messages keep coming still receives every message, in order', async () => {
          const cluster = newCluster(backend);
          const instanceId = `reader-${randomBytes(4).toString('hex')}`;
          const publisher = await cluster.start('a');
          const reader = await cluster.start(instanceId);
          const got = record(reader);
          const firstReaderId = await readerClientId(instanceId);
          expect(firstReaderId).not.toBeNull();

          const publishing = publishMany(publisher, 'a', 3000, 100, 10);
          await waitFor(() => got.total() >= 500, 'the first messages');
          await adminConnection().client('KILL', 'ID', String(firstReaderId));
          expect(got.total()).toBeLessThan(3000);
          await waitFor(async () => ![null, firstReaderId].includes(await readerClientId(instanceId)), 'the reader to reconnect');
          const secondReaderId = await readerClientId(instanceId);
          await adminConnection().client('KILL', 'ID', String(secondReaderId));
          expect(got.total()).toBeLessThan(3000);
          await publishing;

          await waitFor(() => got.total() >= 3000, 'every message after the reconnects');
          await cluster.settle([reader], 3000);
          expect(got.received).toEqual(new Map([['a', range(3000)]]));
          expect(await readerClientId(instanceId)).not.toBe(secondReaderId);
        });

        it('a new instance starts at the end of the stream: it is not handed what was published before it', async () => {
          const cluster = newCluster(backend);
          const a = await cluster.start('a');
          for (const n of range(10)) a.publish(note('a', n));
          await waitFor(async () => (await adminConnection().xlen(cluster.key)) === 10, 'the first ten entries');
          const late = await cluster.start('late');
          const got = record(late);
          a.publish(note('a', 10));
          await cluster.settle([late], 11);
          expect(got.received).toEqual(new Map([['a', [10]]]));
        });

        it('skips, with a warning, an entry that is not a bus message and keeps delivering', async () => {
          const cluster = newCluster(backend);
          const a = await cluster.start('a');
          const warnings: string[] = [];
          const b = await cluster.start('b', { log: quietLog(warnings) });
          const got = record(b);
          await adminConnection().xadd(cluster.key, '*', 'from', 'stray', 'at', Date.now(), 'message', 'not json {');
          await adminConnection().xadd(cluster.key, '*', 'from', 'stray', 'at', Date.now(), 'message', '{"kind":"gossip"}');
          a.publish(note('a', 0));
          await cluster.settle([b], 3);
          expect(got.received).toEqual(new Map([['a', [0]]]));
          expect(warnings.filter((warning) => warning.includes('not a bus message'))).toHaveLength(2);
        });

        it('reports the lag of every message from another instance and of none of its own', async () => {
          const cluster = newCluster(backend);
          const a = await cluster.start('a');
          const lags: number[] = [];
          const b = await cluster.start('b', { onLag: (seconds) => lags.push(seconds) });
          for (const n of range(10)) a.publish(note('a', n));
          for (const n of range(5)) b.publish(note('b', n));
          await cluster.settle([b], 15);
          // The settle probe's marker is another instance's message too.
          expect(lags).toHaveLength(11);
          for (const lag of lags) {
            expect(lag).toBeGreaterThanOrEqual(0);
            expect(lag).toBeLessThan(5);
          }
        });

        it('a subscriber that throws keeps the message neither from other instances nor from the other subscribers there', async () => {
          const cluster = newCluster(backend);
          const a = await cluster.start('a');
          const warnings: string[] = [];
          const b = await cluster.start('b', { log: quietLog(warnings) });
          const failing = () => {
            throw new Error('subscriber bug');
          };
          a.subscribe(failing);
          b.subscribe(failing);
          const got = record(b);
          // On the publishing instance the error reaches the caller, as with the local bus.
          expect(() => a.publish(note('a', 0))).toThrow('subscriber bug');
          expect(() => a.publish(note('a', 1))).toThrow('subscriber bug');
          await cluster.settle([b], 2);
          expect(got.received).toEqual(new Map([['a', [0, 1]]]));
          // Two notes and the settle probe's marker, each failing once at b.
          expect(warnings.filter((warning) => warning === 'redis bus: a subscriber failed')).toHaveLength(3);
        });

        it('a publish that Redis refuses is logged, does not throw, and still reaches local subscribers', async () => {
          const cluster = newCluster(backend);
          const warnings: string[] = [];
          const a = await cluster.start('a', { log: quietLog(warnings) });
          const got = record(a);
          // The key stops being a stream, so XADD fails with WRONGTYPE.
          await adminConnection().del(cluster.key);
          await adminConnection().set(cluster.key, 'not a stream');
          expect(() => a.publish(note('a', 0))).not.toThrow();
          expect(got.received).toEqual(new Map([['a', [0]]]));
          await waitFor(() => warnings.includes('redis bus: publish failed'), 'the publish warning');
        });
      });
  });
}
