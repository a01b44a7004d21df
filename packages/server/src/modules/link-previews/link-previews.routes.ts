/** HTTP routes of link previews (E18): the stored image, and the sender removing a preview. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Id } from '@parley/protocol';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../http/authenticate.js';
import { authedRoute, errors, NoContent } from '../../http/responses.js';
import type { Services } from '../../services.js';
import { actorOf } from '../auth/auth.routes.js';

const PreviewPath = Type.Object({ id: Id, messageId: Id });

export function linkPreviewsRoutes(app: FastifyInstance, { auth, linkPreviews }: Services) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = requireActor(auth);
  const doc = (summary: string) => ({ tags: ['link previews'], summary, ...authedRoute });

  r.get(
    '/api/v1/chats/:id/messages/:messageId/preview/image',
    {
      onRequest,
      schema: {
        ...doc("The image of a message's link preview, as the server stored it (WebP)"),
        params: PreviewPath,
        response: { 200: Type.Unknown({ description: 'The bytes' }), ...errors },
      },
    },
    async (req, reply) => {
      const served = await linkPreviews.image(actorOf(req), req.params.id, req.params.messageId);
      reply.status(served.status).headers(served.headers);
      return reply.send(served.body);
    },
  );
  r.delete(
    '/api/v1/chats/:id/messages/:messageId/preview',
    {
      onRequest,
      schema: { ...doc('Remove the link preview of your message'), params: PreviewPath, response: { 204: NoContent, ...errors } },
    },
    async (req, reply) => {
      await linkPreviews.removePreview(actorOf(req), { chatId: req.params.id, messageId: req.params.messageId });
      return reply.status(204).send(null);
    },
  );
}
