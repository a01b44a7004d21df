/** HTTP routes for organising your chat list: pin (and order) chats, archive chats. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ArchiveChatBody, ChatIdParams, ChatOrganisation, PinChatBody, PinOrderParams } from '@parley/protocol';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../http/authenticate.js';
import { authedRoute, errors } from '../../http/responses.js';
import type { Services } from '../../services.js';
import { actorOf } from '../auth/auth.routes.js';

export function chatOrganisationRoutes(app: FastifyInstance, { auth, chatOrganisation }: Services) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = requireActor(auth);
  const doc = (summary: string) => ({ tags: ['chats'], summary, ...authedRoute });
  const response = { 200: ChatOrganisation, ...errors };

  r.get(
    '/api/v1/chats/organisation',
    { onRequest, schema: { ...doc('Your pinned chats (in order) and archived chats'), response } },
    (req) => chatOrganisation.organisation(actorOf(req)),
  );
  r.put(
    '/api/v1/chats/organisation/pins',
    { onRequest, schema: { ...doc('Put your pinned chats in a new order'), body: PinOrderParams, response } },
    (req) => chatOrganisation.reorder(actorOf(req), req.body),
  );
  r.put(
    '/api/v1/chats/:id/pin',
    {
      onRequest,
      schema: { ...doc('Pin a chat to the top of your list (or unpin it)'), params: ChatIdParams, body: PinChatBody, response },
    },
    (req) => chatOrganisation.pin(actorOf(req), { chatId: req.params.id, pinned: req.body.pinned }),
  );
  r.put(
    '/api/v1/chats/:id/archive',
    { onRequest, schema: { ...doc('Archive a chat (or bring it back)'), params: ChatIdParams, body: ArchiveChatBody, response } },
    (req) => chatOrganisation.archive(actorOf(req), { chatId: req.params.id, archived: req.body.archived }),
  );
}
