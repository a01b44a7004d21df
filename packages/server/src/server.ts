/**
 * One Parley server: storage, services, HTTP (and later the socket), with a graceful
 * stop that refuses new work, finishes what is in flight and closes the database.
 */

import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { Config } from './config.js';
import { buildHttpApp } from './http/app.js';
import { newId } from './ids.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createLocalBus, type EventBus } from './realtime/bus.js';
import { pruneEvents } from './realtime/event-log.js';
import { createPresenceTracker } from './realtime/presence.js';
import { type RealtimeServer, startRealtime } from './realtime/ws-server.js';
import { createServices, type Services } from './services.js';
import { migrate, openStorage, type Storage } from './storage/database.js';

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
}

export async function createParleyServer(config: Config, options: ServerOptions = {}): Promise<ParleyServer> {
  const storage = await openStorage(config);
  await migrate(storage.db);
  const metrics = createMetrics({
    instanceId: config.INSTANCE_ID ?? newId(),
    // `realtime` is assigned below; the gauge reads it only when /metrics is scraped, after listen().
    connectionCount: () => realtime.hub.connectionCount,
    pool: storage.pool,
  });
  const redis = config.REDIS_URL ? new Redis(config.REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 2 }) : undefined;
  const bus = (options.wrapBus ?? ((b) => b))(createLocalBus());
  const presence = createPresenceTracker(storage.db, bus, config.PRESENCE_GRACE_MS);
  const services = createServices(config, storage, bus, presence, redis);
  let shuttingDown = false;
  const app = await buildHttpApp({ config, storage, services, metrics, isShuttingDown: () => shuttingDown });
  const realtime = startRealtime(app, { config, db: storage.db, bus, services, presence });
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
      await app.close();
      await bus.close();
      await storage.close();
      await redis?.quit().catch(() => undefined);
    },
  };
}
