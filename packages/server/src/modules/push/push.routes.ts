/** HTTP routes for Web Push subscriptions: one per device, listed in settings with "remove". */

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { PushDevice, PushDeviceList, PushSubscriptionBody, SessionIdParams } from '@parley/protocol';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../http/authenticate.js';
import { authedRoute, errors, NoContent } from '../../http/responses.js';
import { actorOf } from '../auth/auth.routes.js';
import type { AuthService } from '../auth/auth.service.js';
import type { PushService } from './push.service.js';

export function pushRoutes(app: FastifyInstance, auth: AuthService, push: PushService) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = requireActor(auth);
  const tags = ['notifications'];

  r.get(
    '/api/v1/push/subscriptions',
    {
      onRequest,
      schema: { tags, summary: 'Your devices that receive Web Push', ...authedRoute, response: { 200: PushDeviceList, ...errors } },
    },
    async (request) => push.list(actorOf(request)),
  );

  r.post(
    '/api/v1/push/subscriptions',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Register this browser’s push subscription (PushSubscription.toJSON())',
        ...authedRoute,
        body: PushSubscriptionBody,
        response: { 201: PushDevice, ...errors },
      },
    },
    async (request, reply) => {
      const device = await push.subscribe(actorOf(request), request.body, String(request.headers['user-agent'] ?? ''));
      return reply.status(201).send(device);
    },
  );

  r.delete(
    '/api/v1/push/subscriptions/:id',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Stop pushes to one of your devices',
        ...authedRoute,
        params: SessionIdParams,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await push.remove(actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
