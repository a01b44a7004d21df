/**
 * GET /metrics: the Prometheus text exposition of this instance's registry. Not
 * authenticated, so a scraper needs no account; the reverse proxy must not forward it
 * (docs/operations.md#metrics). Hidden from the OpenAPI document: it is not the API.
 */
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../metrics.js';

export function metricsRoutes(app: FastifyInstance, metrics: Metrics) {
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });
}
