/** REST route for delivery receipts; the socket's `delivered.mark` calls the same service method. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ChatIdParams, DeliveredState, MarkReadBody } from '@parley/protocol';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../http/authenticate.js';
import { authedRoute, errors } from '../../http/responses.js';
import type { Services } from '../../services.js';
import { actorOf } from '../auth/auth.routes.js';

export function deliveryRoutes(app: FastifyInstance, { auth, delivery }: Services) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.post(
    '/api/v1/chats/:id/delivered',
    {
      onRequest: requireActor(auth),
      schema: {
        tags: ['messages'],
        summary: 'Confirm that a device of yours has received the chat up to a seq (E10)',
        ...authedRoute,
        params: ChatIdParams,
        body: MarkReadBody,
        response: { 200: DeliveredState, ...errors },
      },
    },
    (req) => delivery.markDelivered(actorOf(req), { chatId: req.params.id, seq: req.body.seq }),
  );
}
