/** HTTP routes of bots: create, list, replace the token, scope, delete. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Bot, BotList, BotParams, BotScopeParams, BotWithToken, CreateBotBody, SetBotScopeBody } from '@parley/protocol';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../http/authenticate.js';
import { authedRoute, errors, NoContent } from '../../http/responses.js';
import { actorOf } from '../auth/auth.routes.js';
import type { AuthService } from '../auth/auth.service.js';
import type { BotsService } from './bots.service.js';

export function botsRoutes(app: FastifyInstance, auth: AuthService, bots: BotsService) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const base = { onRequest: requireActor(auth) };
  const doc = (summary: string) => ({ tags: ['bots'], summary, ...authedRoute });

  r.post(
    '/api/v1/bots',
    {
      ...base,
      schema: { ...doc('Create a bot; its token is shown once'), body: CreateBotBody, response: { 201: BotWithToken, ...errors } },
    },
    async (req, reply) => reply.status(201).send(await bots.create(actorOf(req), req.body)),
  );
  r.get('/api/v1/bots', { ...base, schema: { ...doc('Your bots and their scopes'), response: { 200: BotList, ...errors } } }, (req) =>
    bots.list(actorOf(req)),
  );
  r.post(
    '/api/v1/bots/:botId/token',
    {
      ...base,
      schema: {
        ...doc('Replace the bot’s token (the old one stops at once)'),
        params: BotParams,
        response: { 200: BotWithToken, ...errors },
      },
    },
    (req) => bots.replaceToken(actorOf(req), req.params.botId),
  );
  r.put(
    '/api/v1/bots/:botId/scopes/:chatId',
    {
      ...base,
      schema: {
        ...doc('Let the bot read (and post to) a chat; it joins it'),
        params: BotScopeParams,
        body: SetBotScopeBody,
        response: { 200: Bot, ...errors },
      },
    },
    (req) => bots.setScope(actorOf(req), req.params.botId, req.params.chatId, req.body.post),
  );
  r.delete(
    '/api/v1/bots/:botId/scopes/:chatId',
    { ...base, schema: { ...doc('Take the bot out of a chat'), params: BotScopeParams, response: { 200: Bot, ...errors } } },
    (req) => bots.removeScope(actorOf(req), req.params.botId, req.params.chatId),
  );
  r.delete(
    '/api/v1/bots/:botId',
    { ...base, schema: { ...doc('Delete a bot'), params: BotParams, response: { 204: NoContent, ...errors } } },
    async (req, reply) => {
      await bots.remove(actorOf(req), req.params.botId);
      return reply.status(204).send(null);
    },
  );
}
