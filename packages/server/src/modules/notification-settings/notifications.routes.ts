/** HTTP routes for server info, notification settings, per-chat push levels and the one-click unsubscribe. */

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  ChatIdParams,
  ChatPushLevel,
  ChatPushLevelBody,
  ChatPushLevelList,
  NotificationSettings,
  ServerInfo,
  UnsubscribeQuery,
  UpdateNotificationSettingsBody,
} from '@parley/protocol';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../http/authenticate.js';
import { authedRoute, errors, NoContent } from '../../http/responses.js';
import { actorOf } from '../auth/auth.routes.js';
import type { AuthService } from '../auth/auth.service.js';
import type { DigestService } from '../mail/digest.service.js';
import type { NotificationSettingsService } from './notification-settings.service.js';

export interface NotificationRouteDeps {
  auth: AuthService;
  settings: NotificationSettingsService;
  digest: DigestService;
  serverInfo(): Promise<ServerInfo>;
}

export function notificationsRoutes(app: FastifyInstance, deps: NotificationRouteDeps) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = requireActor(deps.auth);
  const tags = ['notifications'];

  r.get(
    '/api/v1/server-info',
    {
      schema: {
        tags: ['server'],
        summary: 'What this server is set up to do (mail, verification, Web Push key)',
        response: { 200: ServerInfo, ...errors },
      },
    },
    async () => deps.serverInfo(),
  );

  r.get(
    '/api/v1/notifications/settings',
    {
      onRequest,
      schema: { tags, summary: 'Your notification settings', ...authedRoute, response: { 200: NotificationSettings, ...errors } },
    },
    async (request) => deps.settings.get(actorOf(request)),
  );

  r.patch(
    '/api/v1/notifications/settings',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Change your notification settings (all your devices hear it)',
        ...authedRoute,
        body: UpdateNotificationSettingsBody,
        response: { 200: NotificationSettings, ...errors },
      },
    },
    async (request) => deps.settings.update(actorOf(request), request.body),
  );

  r.get(
    '/api/v1/notifications/chats',
    {
      onRequest,
      schema: {
        tags,
        summary: 'The chats whose push level you changed from the default',
        ...authedRoute,
        response: { 200: ChatPushLevelList, ...errors },
      },
    },
    async (request) => deps.settings.chatLevels(actorOf(request)),
  );

  r.put(
    '/api/v1/chats/:id/push-level',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Push for all messages, mentions only, or nothing in this chat (default: all in DMs, mentions elsewhere)',
        ...authedRoute,
        params: ChatIdParams,
        body: ChatPushLevelBody,
        response: { 200: ChatPushLevel, ...errors },
      },
    },
    async (request) => deps.settings.setChatLevel(actorOf(request), request.params.id, request.body),
  );

  // Mail clients POST `List-Unsubscribe=One-Click` as a form (RFC 8058); the web page posts nothing.
  app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_req, body, done) =>
      done(null, body),
    );
    scope.withTypeProvider<TypeBoxTypeProvider>().post(
      '/api/v1/notifications/unsubscribe',
      {
        schema: {
          tags,
          summary: 'One-click unsubscribe from missed-message emails (the link in each email)',
          querystring: UnsubscribeQuery,
          response: { 204: NoContent, ...errors },
        },
      },
      async (request, reply) => {
        await deps.digest.unsubscribe(request.query.token);
        return reply.status(204).send(null);
      },
    );
  });
}
