/** REST route of message search; the WebSocket command `message.search` calls the same service. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { SearchQuery, SearchResults } from '@parley/protocol';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../http/authenticate.js';
import { authedRoute, errors } from '../../http/responses.js';
import type { Services } from '../../services.js';
import { actorOf } from '../auth/auth.routes.js';

export function searchRoutes(app: FastifyInstance, { auth, search }: Services) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get(
    '/api/v1/search',
    {
      onRequest: requireActor(auth),
      schema: {
        tags: ['search'],
        summary: 'Search messages in every chat you may read (or one), with filters; snippets mark matches as ranges',
        ...authedRoute,
        querystring: SearchQuery,
        response: { 200: SearchResults, ...errors },
      },
    },
    (req) => search.messages(actorOf(req), req.query),
  );
}
