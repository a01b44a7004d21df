/** HTTP routes for the notification centre: list, mark read, clear. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { NotificationPage, NotificationQuery, NotificationsRef, UnreadCount } from '@parley/protocol';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../http/authenticate.js';
import { authedRoute, errors } from '../../http/responses.js';
import type { Services } from '../../services.js';
import { actorOf } from '../auth/auth.routes.js';

export function notificationCentreRoutes(app: FastifyInstance, { auth, notificationCentre }: Services) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = requireActor(auth);
  const doc = (summary: string) => ({ tags: ['notifications'], summary, ...authedRoute });

  r.get(
    '/api/v1/notification-centre',
    {
      onRequest,
      schema: {
        ...doc('Your notifications, newest first, with the unread count'),
        querystring: NotificationQuery,
        response: { 200: NotificationPage, ...errors },
      },
    },
    (req) => notificationCentre.list(actorOf(req), req.query),
  );
  r.post(
    '/api/v1/notification-centre/read',
    {
      onRequest,
      schema: { ...doc('Mark notifications read (all without ids)'), body: NotificationsRef, response: { 200: UnreadCount, ...errors } },
    },
    (req) => notificationCentre.markRead(actorOf(req), req.body),
  );
  r.post(
    '/api/v1/notification-centre/clear',
    {
      onRequest,
      schema: { ...doc('Clear notifications (all without ids)'), body: NotificationsRef, response: { 200: UnreadCount, ...errors } },
    },
    (req) => notificationCentre.clear(actorOf(req), req.body),
  );
}
