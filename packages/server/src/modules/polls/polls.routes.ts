/** HTTP routes for polls (E16). */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ChatIdParams, CreatePollBody, Message, PollState, VoteBody } from '@parley/protocol';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../http/authenticate.js';
import { authedRoute, errors } from '../../http/responses.js';
import type { Services } from '../../services.js';
import { actorOf } from '../auth/auth.routes.js';

const PollPath = Type.Object({ id: ChatIdParams.properties.id, messageId: ChatIdParams.properties.id });

export function pollsRoutes(app: FastifyInstance, { auth, polls }: Services) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = requireActor(auth);
  const doc = (summary: string) => ({ tags: ['polls'], summary, ...authedRoute });
  const state = { 200: PollState, ...errors };

  r.post(
    '/api/v1/chats/:id/polls',
    {
      onRequest,
      schema: {
        ...doc('Post a poll (a message with a question and options)'),
        params: ChatIdParams,
        body: CreatePollBody,
        response: { 201: Message, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await polls.create(actorOf(req), { chatId: req.params.id, ...req.body })),
  );
  r.get(
    '/api/v1/chats/:id/polls/:messageId',
    { onRequest, schema: { ...doc('A poll with your own votes'), params: PollPath, response: state } },
    (req) => polls.get(actorOf(req), { chatId: req.params.id, messageId: req.params.messageId }),
  );
  r.put(
    '/api/v1/chats/:id/polls/:messageId/vote',
    {
      onRequest,
      schema: { ...doc('Vote: your whole choice ([] takes your vote back)'), params: PollPath, body: VoteBody, response: state },
    },
    (req) => polls.vote(actorOf(req), { chatId: req.params.id, messageId: req.params.messageId, options: req.body.options }),
  );
  r.post(
    '/api/v1/chats/:id/polls/:messageId/close',
    { onRequest, schema: { ...doc('Close a poll (its creator)'), params: PollPath, response: state } },
    (req) => polls.close(actorOf(req), { chatId: req.params.id, messageId: req.params.messageId }),
  );
}
