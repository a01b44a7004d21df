/** HTTP routes for a chat's pinned messages. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ChatIdParams, PinnedMessageList } from '@parley/protocol';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../http/authenticate.js';
import { authedRoute, errors } from '../../http/responses.js';
import type { Services } from '../../services.js';
import { actorOf } from '../auth/auth.routes.js';

const MessagePinPath = Type.Object({ id: ChatIdParams.properties.id, messageId: ChatIdParams.properties.id });

export function pinnedMessagesRoutes(app: FastifyInstance, { auth, pinnedMessages }: Services) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = requireActor(auth);
  const doc = (summary: string) => ({ tags: ['messages'], summary, ...authedRoute });
  const response = { 200: PinnedMessageList, ...errors };

  r.get(
    '/api/v1/chats/:id/pins',
    { onRequest, schema: { ...doc("A chat's pinned messages, newest pin first"), params: ChatIdParams, response } },
    (req) => pinnedMessages.list(actorOf(req), req.params.id),
  );
  r.put(
    '/api/v1/chats/:id/messages/:messageId/pin',
    { onRequest, schema: { ...doc('Pin a message'), params: MessagePinPath, response } },
    (req) => pinnedMessages.pin(actorOf(req), { chatId: req.params.id, messageId: req.params.messageId }),
  );
  r.delete(
    '/api/v1/chats/:id/messages/:messageId/pin',
    { onRequest, schema: { ...doc('Unpin a message'), params: MessagePinPath, response } },
    (req) => pinnedMessages.unpin(actorOf(req), { chatId: req.params.id, messageId: req.params.messageId }),
  );
}
