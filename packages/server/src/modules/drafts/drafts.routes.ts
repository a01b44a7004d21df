/** HTTP routes for drafts synced across devices (I5). */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ChatIdParams, Draft, DraftList, SaveDraftBody } from '@parley/protocol';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../http/authenticate.js';
import { authedRoute, errors } from '../../http/responses.js';
import type { Services } from '../../services.js';
import { actorOf } from '../auth/auth.routes.js';

export function draftsRoutes(app: FastifyInstance, { auth, drafts }: Services) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = requireActor(auth);
  const doc = (summary: string) => ({ tags: ['drafts'], summary, ...authedRoute });

  r.get(
    '/api/v1/drafts',
    { onRequest, schema: { ...doc('Your drafts, one per chat, newest first'), response: { 200: DraftList, ...errors } } },
    (req) => drafts.list(actorOf(req)),
  );
  r.put(
    '/api/v1/chats/:id/draft',
    {
      onRequest,
      schema: {
        ...doc('Save your draft in a chat, or in one of its threads (an empty text clears it)'),
        params: ChatIdParams,
        body: SaveDraftBody,
        response: { 200: Draft, ...errors },
      },
    },
    (req) =>
      drafts.save(actorOf(req), {
        chatId: req.params.id,
        text: req.body.text,
        ...(req.body.threadRootId && { threadRootId: req.body.threadRootId }),
      }),
  );
}
