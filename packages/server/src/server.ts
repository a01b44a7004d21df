/**
 * One Parley server: storage, services, HTTP (and later the socket), with a graceful
 * stop that refuses new work, finishes what is in flight and closes the database.
 */

import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { Config } from './config.js';
import { buildHttpApp } from './http/app.js';
import { createServices, type Services } from './services.js';
import { migrate, openStorage, type Storage } from './storage/database.js';

export interface ParleyServer {
  app: FastifyInstance;
  storage: Storage;
  services: Services;
  /** Starts listening; resolves with the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export async function createParleyServer(config: Config): Promise<ParleyServer> {
  const storage = await openStorage(config);
  await migrate(storage.db);
  const redis = config.REDIS_URL ? new Redis(config.REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 2 }) : undefined;
  const services = createServices(config, storage, redis);
  let shuttingDown = false;
  const app = await buildHttpApp({ config, storage, services, isShuttingDown: () => shuttingDown });

  return {
    app,
    storage,
    services,
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
      await app.close();
      await storage.close();
      await redis?.quit().catch(() => undefined);
    },
  };
}
