/** HTTP routes of custom emoji (E19): list, add (admins, or everyone by the server setting), rename, delete, image. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { CreateEmojiBody, CustomEmoji, CustomEmojiList, EmojiParams, RenameEmojiBody } from '@parley/protocol';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../http/authenticate.js';
import { authedRoute, errors, NoContent } from '../../http/responses.js';
import type { Services } from '../../services.js';
import { actorOf } from '../auth/auth.routes.js';

export function customEmojiRoutes(app: FastifyInstance, { auth, customEmoji }: Services) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = requireActor(auth);
  const doc = (summary: string) => ({ tags: ['custom emoji'], summary, ...authedRoute });

  r.get(
    '/api/v1/emoji',
    { onRequest, schema: { ...doc("The server's custom emoji"), response: { 200: CustomEmojiList, ...errors } } },
    (req) => customEmoji.list(actorOf(req)),
  );
  r.post(
    '/api/v1/emoji',
    {
      onRequest,
      schema: { ...doc('Add a custom emoji from an uploaded image'), body: CreateEmojiBody, response: { 201: CustomEmoji, ...errors } },
    },
    async (req, reply) => reply.status(201).send(await customEmoji.create(actorOf(req), req.body)),
  );
  r.patch(
    '/api/v1/emoji/:emojiId',
    {
      onRequest,
      schema: {
        ...doc('Rename a custom emoji (admins)'),
        params: EmojiParams,
        body: RenameEmojiBody,
        response: { 200: CustomEmoji, ...errors },
      },
    },
    (req) => customEmoji.rename(actorOf(req), req.params.emojiId, req.body),
  );
  r.delete(
    '/api/v1/emoji/:emojiId',
    { onRequest, schema: { ...doc('Delete a custom emoji (admins)'), params: EmojiParams, response: { 204: NoContent, ...errors } } },
    async (req, reply) => {
      await customEmoji.delete(actorOf(req), req.params.emojiId);
      return reply.status(204).send(null);
    },
  );
  r.get(
    '/api/v1/emoji/:emojiId/image',
    {
      onRequest,
      schema: {
        ...doc("A custom emoji's image (WebP)"),
        params: EmojiParams,
        response: { 200: Type.Unknown({ description: 'The bytes' }), ...errors },
      },
    },
    async (req, reply) => {
      const served = await customEmoji.image(actorOf(req), req.params.emojiId);
      reply.status(served.status).headers(served.headers);
      return reply.send(served.body);
    },
  );
}
