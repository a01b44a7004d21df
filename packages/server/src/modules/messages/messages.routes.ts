/** REST routes for messages, reactions and read state. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  ChatIdParams,
  EditMessageBody,
  ForwardBody,
  ForwardResult,
  HistoryQuery,
  MarkReadBody,
  Message,
  MessagePage,
  MessageParams,
  ReactionPathParams,
  SeenBy,
  SendMessageBody,
} from '@parley/protocol';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../http/authenticate.js';
import { authedRoute, errors, NoContent } from '../../http/responses.js';
import type { Services } from '../../services.js';
import { actorOf } from '../auth/auth.routes.js';

const ReadState = Type.Object({ chatId: Type.String(), lastReadSeq: Type.Integer() });

export function messagesRoutes(app: FastifyInstance, { auth, messages }: Services) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = requireActor(auth);
  const base = { onRequest };
  const doc = (summary: string) => ({ tags: ['messages'], summary, ...authedRoute });

  r.get(
    '/api/v1/chats/:id/messages',
    {
      ...base,
      schema: {
        ...doc('History: newest page, or before / after a seq, or around a message; optional text filter'),
        params: ChatIdParams,
        querystring: HistoryQuery,
        response: { 200: MessagePage, ...errors },
      },
    },
    async (req, reply) => {
      // A message is written as this route's own serialiser writes it inside a page.
      const serialise = reply.compileSerializationSchema(Message) as (message: Message) => string;
      const page = await messages.historyJson(actorOf(req), req.params.id, req.query, serialise);
      if (!Buffer.isBuffer(page)) return page;
      // A kept page is already the JSON of a MessagePage (the type provider only knows objects).
      return reply.type('application/json; charset=utf-8').send(page as unknown as MessagePage);
    },
  );
  r.post(
    '/api/v1/chats/:id/messages',
    {
      ...base,
      schema: {
        ...doc('Send a message (idempotent by clientId)'),
        params: ChatIdParams,
        body: SendMessageBody,
        response: { 201: Message, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await messages.send(actorOf(req), { chatId: req.params.id, ...req.body })),
  );
  r.patch(
    '/api/v1/chats/:id/messages/:messageId',
    {
      ...base,
      schema: { ...doc('Edit your message'), params: MessageParams, body: EditMessageBody, response: { 200: Message, ...errors } },
    },
    (req) => messages.edit(actorOf(req), { chatId: req.params.id, messageId: req.params.messageId, text: req.body.text }),
  );
  r.delete(
    '/api/v1/chats/:id/messages/:messageId',
    {
      ...base,
      schema: { ...doc('Delete a message, leaving a tombstone'), params: MessageParams, response: { 204: NoContent, ...errors } },
    },
    async (req, reply) => {
      await messages.delete(actorOf(req), { chatId: req.params.id, messageId: req.params.messageId });
      return reply.status(204).send(null);
    },
  );
  r.post(
    '/api/v1/chats/:id/messages/forward',
    {
      ...base,
      schema: {
        ...doc('Forward messages of this chat to other chats'),
        params: ChatIdParams,
        body: ForwardBody,
        response: { 201: ForwardResult, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send({ items: await messages.forward(actorOf(req), { chatId: req.params.id, ...req.body }) }),
  );
  r.get(
    '/api/v1/chats/:id/messages/:messageId/seen',
    { ...base, schema: { ...doc('Who has read this message'), params: MessageParams, response: { 200: SeenBy, ...errors } } },
    (req) => messages.seenBy(actorOf(req), { chatId: req.params.id, messageId: req.params.messageId }),
  );
  r.put(
    '/api/v1/chats/:id/messages/:messageId/reactions/:emoji',
    { ...base, schema: { ...doc('React to a message'), params: ReactionPathParams, response: { 200: Message, ...errors } } },
    (req) => messages.addReaction(actorOf(req), { chatId: req.params.id, messageId: req.params.messageId, emoji: req.params.emoji }),
  );
  r.delete(
    '/api/v1/chats/:id/messages/:messageId/reactions/:emoji',
    { ...base, schema: { ...doc('Take back a reaction'), params: ReactionPathParams, response: { 200: Message, ...errors } } },
    (req) => messages.removeReaction(actorOf(req), { chatId: req.params.id, messageId: req.params.messageId, emoji: req.params.emoji }),
  );
  r.post(
    '/api/v1/chats/:id/read',
    {
      ...base,
      schema: {
        ...doc('Mark the chat read up to a seq'),
        params: ChatIdParams,
        body: MarkReadBody,
        response: { 200: ReadState, ...errors },
      },
    },
    (req) => messages.markRead(actorOf(req), { chatId: req.params.id, seq: req.body.seq }),
  );
  r.post(
    '/api/v1/chats/:id/typing',
    { ...base, schema: { ...doc('Say you are typing (ephemeral)'), params: ChatIdParams, response: { 204: NoContent, ...errors } } },
    async (req, reply) => {
      await messages.typing(actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}
