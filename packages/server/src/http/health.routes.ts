/** Liveness and readiness (J4): /healthz says the process answers, /readyz that the database does. */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';
import type { Storage } from '../storage/database.js';

export function healthRoutes(app: FastifyInstance, storage: Storage, isShuttingDown: () => boolean) {
  app.get('/healthz', { schema: { tags: ['operations'], summary: 'The process is alive' } }, async () => ({ status: 'ok' }));
  app.get(
    '/readyz',
    { schema: { tags: ['operations'], summary: 'The server can serve: database reachable, not shutting down' } },
    async () => {
      if (isShuttingDown()) throw new AppError('unavailable', 'Shutting down');
      try {
        await storage.ping();
      } catch {
        throw new AppError('unavailable', 'Database is not reachable');
      }
      return { status: 'ready', database: storage.dialect };
    },
  );
}
