/**
 * `GET /` sends a visitor to the API docs until the web app is served from the root,
 * so opening the server's address in a browser shows something useful.
 */
import type { FastifyInstance } from 'fastify';

export function rootRedirect(app: FastifyInstance) {
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/api/docs', 302));
}
