/**
 * One Parley server: storage, services, HTTP (and later the socket), with a graceful
 * stop that refuses new work, finishes what is in flight and closes the database.
 */

import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { presenceAudience } from './access/people-access.js';
import type { Config } from './config.js';
import { buildHttpApp } from './http/app.js';
import { closeHttp } from './http/close-http.js';
import { newId } from './ids.js';
import { createMetrics, type Metrics } from './metrics.js';
import { setPasswordHashCost } from './modules/auth/passwords.js';
import type { PreviewNetwork } from './modules/link-previews/fetch-public.js';
import { startSearchBackfill } from './modules/search/search-backfill.js';
import { type BusMessage, createLocalBus, type EventBus } from './realtime/bus.js';
import { pruneEvents } from './realtime/event-log.js';
import { createPresenceTracker } from './realtime/presence.js';
import { createLocalPresenceStore, createRedisPresenceStore } from './realtime/presence-store.js';
import { createRedisBus } from './realtime/redis-bus.js';
import { type RealtimeServer, startRealtime } from './realtime/ws-server.js';
import { createServices, type Services } from './services.js';
import { migrate, openStorage, type Storage } from './storage/database.js';

/** Of the 10 s a shutdown may take (main.ts), what requests still in flight get. */
const HTTP_CLOSE_GRACE_MS = 3000;

export interface ParleyServer {
  app: FastifyInstance;
  storage: Storage;
  services: Services;
  realtime: RealtimeServer;
  metrics: Metrics;
  /** Starts listening; resolves with the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface ServerOptions {
  /** Tests: a bus that wraps the real one (e.g. to reorder publications). */
  wrapBus?: (bus: EventBus) => EventBus;
  /**
   * Tests only — production (main.ts) never passes it and no environment key sets it: link
   * previews may also connect to these addresses (a page server on 127.0.0.1) and ask this
   * resolver instead of DNS. Every other address still goes through the public-address rule.
   */
  linkPreviewNetwork?: PreviewNetwork;
}

export async function createParleyServer(config: Config, options: ServerOptions = {}): Promise<ParleyServer> {
  setPasswordHashCost({ memoryKib: config.PASSWORD_HASH_MEMORY_KIB, passes: config.PASSWORD_HASH_PASSES });
  const storage = await openStorage(config);
  await migrate(storage.db);
  // One name for this instance in metrics, on the bus and in presence.
  const instanceId = config.INSTANCE_ID ?? newId();
  const metrics = createMetrics({
    instanceId,
    // `realtime` is assigned below; the gauge reads it only when /metrics is scraped, after listen().
    connectionCount: () => realtime.hub.connectionCount,
    pool: storage.pool,
  });
  const redis = config.REDIS_URL ? new Redis(config.REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 2 }) : undefined;
  // The counters (rate limits, login throttle) get the prefix from the client; presence
  // builds its keys inside Lua scripts, so it keeps an unprefixed client and its own prefix.
  const counters = config.REDIS_URL
    ? new Redis(config.REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 2, keyPrefix: `${config.REDIS_KEY_PREFIX}:` })
    : undefined;
  // The bus starts before the HTTP app that owns the logger; its warnings go there once it exists.
  let appLog: { warn(obj: object, msg: string): void } | null = null;
  const log = { warn: (obj: object, msg: string) => appLog?.warn(obj, msg) };
  const baseBus = config.REDIS_URL
    ? await createRedisBus({
        url: config.REDIS_URL,
        key: `${config.REDIS_KEY_PREFIX}:bus`,
        instanceId,
        log,
        onLag: (seconds) => metrics.busLag.observe(seconds),
      })
    : createLocalBus();
  const bus = countPublished((options.wrapBus ?? ((b) => b))(baseBus), metrics);
  const presenceStore = redis
    ? createRedisPresenceStore({ redis, instanceId, keyPrefix: `{${config.REDIS_KEY_PREFIX}:presence}:` })
    : createLocalPresenceStore();
  const presence = createPresenceTracker(storage.db, bus, config.PRESENCE_GRACE_MS, presenceStore, (userId, peers) =>
    presenceAudience(storage.db, userId, peers),
  );
  await presence.ready;
  const services = createServices(config, storage, bus, presence, counters, metrics, {
    ...(options.linkPreviewNetwork && { linkPreviewNetwork: options.linkPreviewNetwork }),
  });
  let shuttingDown = false;
  const app = await buildHttpApp({ config, storage, services, metrics, isShuttingDown: () => shuttingDown });
  appLog = app.log;
  services.notify.setLog(app.log);
  services.jobs.start(app.log);
  // Messages from before the search index are indexed in the background (resumable).
  const searchBackfill = startSearchBackfill(storage.db, app.log);
  const realtime = startRealtime(app, {
    config,
    db: storage.db,
    bus,
    services,
    presence,
    observer: {
      delivered: (frames) => metrics.eventsDelivered.inc(frames),
      skipped: (frames) => metrics.skipsDelivered.inc(frames),
      gapFilled: () => metrics.gapFills.inc(),
      lag: (seconds) => metrics.deliveryLag.observe(seconds),
      replayed: (events) => metrics.replayedEvents.inc(events),
      reloaded: (streams) => metrics.resumeReloads.inc(streams),
      cutOff: (reason) => (reason === 'slow_consumer' ? metrics.slowConsumerCutoffs : metrics.heartbeatTimeouts).inc(),
    },
  });
  // Old events only serve resume; each stream keeps EVENT_RETENTION_HOURS of them.
  const pruning = setInterval(() => {
    pruneEvents(storage.db, config.EVENT_RETENTION_HOURS * 3_600_000).catch((error: unknown) =>
      app.log.warn({ err: error }, 'event pruning failed'),
    );
  }, 60_000);
  pruning.unref();

  return {
    app,
    storage,
    services,
    realtime,
    metrics,
    async listen() {
      await app.listen({ port: config.PORT, host: config.HOST });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.PORT;
      const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
      return `http://${host}:${port}`;
    },
    async close() {
      if (shuttingDown) return;
      shuttingDown = true;
      clearInterval(pruning);
      // Sockets first, with a "reconnect" close code; then HTTP finishes in-flight requests.
      await realtime.close();
      // This instance's users go offline now (or stay online through other instances).
      await presence.close();
      // Requests in flight get HTTP_CLOSE_GRACE_MS to finish; idle connections go at once.
      await closeHttp(app, HTTP_CLOSE_GRACE_MS);
      await searchBackfill.stop();
      // Jobs in flight finish (their changes and events need the database and the bus).
      await services.jobs.stop();
      await services.fileStorage.close();
      await bus.close();
      await storage.close();
      await redis?.quit().catch(() => undefined);
      await counters?.quit().catch(() => undefined);
    },
  };
}

/** Counts what goes onto the bus, by kind, for /metrics. */
function countPublished(bus: EventBus, metrics: Metrics): EventBus {
  return {
    publish(message: BusMessage) {
      metrics.eventsPublished.inc({ kind: message.kind });
      bus.publish(message);
    },
    subscribe: (handler, interest) => bus.subscribe(handler, interest),
    close: () => bus.close(),
  };
}
