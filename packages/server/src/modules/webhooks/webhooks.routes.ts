/** HTTP routes of webhooks: managed per chat; incoming posts to a secret URL, without a session. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  ChatIdParams,
  CreateWebhookBody,
  HookTokenParams,
  IncomingHookBody,
  Message,
  Webhook,
  WebhookList,
  WebhookParams,
} from '@parley/protocol';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../http/authenticate.js';
import { authedRoute, errors, NoContent } from '../../http/responses.js';
import { actorOf } from '../auth/auth.routes.js';
import type { AuthService } from '../auth/auth.service.js';
import type { WebhooksService } from './webhooks.service.js';

export function webhooksRoutes(app: FastifyInstance, auth: AuthService, webhooks: WebhooksService) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const base = { onRequest: requireActor(auth) };
  const doc = (summary: string) => ({ tags: ['webhooks'], summary, ...authedRoute });

  r.post(
    '/api/v1/chats/:id/webhooks',
    {
      ...base,
      schema: {
        ...doc('Create an incoming or outgoing webhook (its secret is shown once)'),
        params: ChatIdParams,
        body: CreateWebhookBody,
        response: { 201: Webhook, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await webhooks.create(actorOf(req), req.params.id, req.body)),
  );
  r.get(
    '/api/v1/chats/:id/webhooks',
    { ...base, schema: { ...doc('The chat’s webhooks'), params: ChatIdParams, response: { 200: WebhookList, ...errors } } },
    (req) => webhooks.list(actorOf(req), req.params.id),
  );
  r.delete(
    '/api/v1/chats/:id/webhooks/:webhookId',
    { ...base, schema: { ...doc('Revoke a webhook'), params: WebhookParams, response: { 204: NoContent, ...errors } } },
    async (req, reply) => {
      await webhooks.revoke(actorOf(req), req.params.id, req.params.webhookId);
      return reply.status(204).send(null);
    },
  );
  // Public on purpose: the secret in the path is the credential (revocable), as with every incoming webhook.
  r.post(
    '/api/v1/hooks/:token',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Post a message through an incoming webhook',
        params: HookTokenParams,
        body: IncomingHookBody,
        response: { 201: Message, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await webhooks.receive(req.params.token, req.body)),
  );
}
