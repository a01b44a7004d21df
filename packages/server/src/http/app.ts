/**
 * Assembles the HTTP server: logging with request ids, validation, errors, cookies,
 * OpenAPI, and every module's routes. Returns the Fastify instance un-listened.
 */
import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import type { Metrics } from '../metrics.js';
import { adminRoutes } from '../modules/admin/admin.routes.js';
import { attachmentsRoutes } from '../modules/attachments/attachments.routes.js';
import { uploadsRoutes } from '../modules/attachments/uploads.js';
import { accountEmailRoutes } from '../modules/auth/account-email.routes.js';
import { authRoutes } from '../modules/auth/auth.routes.js';
import { botsRoutes } from '../modules/bots/bots.routes.js';
import { chatOrganisationRoutes } from '../modules/chats/chat-organisation.routes.js';
import { chatsRoutes } from '../modules/chats/chats.routes.js';
import { contactsRoutes } from '../modules/contacts/contacts.routes.js';
import { customEmojiRoutes } from '../modules/custom-emoji/custom-emoji.routes.js';
import { deliveryRoutes } from '../modules/delivery/delivery.routes.js';
import { draftsRoutes } from '../modules/drafts/drafts.routes.js';
import { exportRoutes } from '../modules/export/export.routes.js';
import { linkPreviewsRoutes } from '../modules/link-previews/link-previews.routes.js';
import { messagesRoutes } from '../modules/messages/messages.routes.js';
import { pinnedMessagesRoutes } from '../modules/messages/pinned-messages.routes.js';
import { notificationCentreRoutes } from '../modules/notification-centre/notification-centre.routes.js';
import { notificationsRoutes } from '../modules/notification-settings/notifications.routes.js';
import { pollsRoutes } from '../modules/polls/polls.routes.js';
import { pushRoutes } from '../modules/push/push.routes.js';
import { scheduledRoutes } from '../modules/scheduled/scheduled.routes.js';
import { searchRoutes } from '../modules/search/search.routes.js';
import { threadsRoutes } from '../modules/threads/threads.routes.js';
import { userGroupsRoutes } from '../modules/user-groups/user-groups.routes.js';
import { usersRoutes } from '../modules/users/users.routes.js';
import { webhooksRoutes } from '../modules/webhooks/webhooks.routes.js';
import type { Services } from '../services.js';
import type { Storage } from '../storage/database.js';
import { limitConnectionsPerAddress, overConnectionLimit } from './connection-limit.js';
import { clientErrorHandler, frameworkErrors, installErrorHandling } from './error-handler.js';
import { healthRoutes } from './health.routes.js';
import { metricsRoutes } from './metrics.routes.js';
import { installOpenApi } from './openapi.js';
import { rootRedirect } from './root-redirect.js';
import { sessionCookieNames } from './session-cookies.js';
import { trustFunction, trustsAnyone } from './trust-proxy.js';
import { bodyAjv, textAjv } from './validation.js';
import { DOCUMENT_SECURITY_HEADERS, serveWebApp } from './web-app.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

const isUnder = (pathname: string, prefix: string) => pathname === prefix || pathname.startsWith(`${prefix}/`);

export interface HttpDeps {
  config: Config;
  storage: Storage;
  services: Services;
  metrics: Metrics;
  isShuttingDown: () => boolean;
}

export async function buildHttpApp({ config, storage, services, metrics, isShuttingDown }: HttpDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.LOG_LEVEL },
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    // A well-formed incoming X-Request-Id is kept so logs join up across a proxy.
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    bodyLimit: config.BODY_LIMIT_BYTES,
    // A client trickling its headers or body must not hold a connection for ever.
    requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    connectionTimeout: config.HTTP_IDLE_TIMEOUT_MS,
    http: {
      headersTimeout: config.HTTP_HEADERS_TIMEOUT_MS,
      // How often Node looks for requests past those timeouts (its default is 30 s).
      connectionsCheckingInterval: Math.min(1000, config.HTTP_HEADERS_TIMEOUT_MS),
    },
    trustProxy: trustsAnyone(config.trustProxy) ? trustFunction(config.trustProxy) : false,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    frameworkErrors,
    clientErrorHandler,
  });
  limitConnectionsPerAddress(app.server, config.HTTP_MAX_CONNECTIONS_PER_IP, trustFunction(config.trustProxy));
  app.addHook('onRequest', async (request, reply) => {
    if (!overConnectionLimit(request.raw.socket)) return;
    reply.header('connection', 'close');
    throw new AppError('rate_limited', 'Too many open connections from this address', { retryAfterMs: 1000 }, 1);
  });
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema));
  app.decorateRequest('actor', null);
  app.decorateRequest('authMethod', null);
  const secure = config.PUBLIC_URL?.startsWith('https://') ?? false;
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    reply.header('x-content-type-options', 'nosniff');
    // Browsers honour HSTS only over https; a year, and only for this host (siblings are not ours to pin).
    if (secure) reply.header('strict-transport-security', 'max-age=31536000');
    const pathname = request.url.split('?')[0] ?? '';
    // Every API answer may carry someone's messages or profile: no cache, shared or private, may keep it.
    if (isUnder(pathname, '/api/v1')) reply.header('cache-control', 'no-store');
    else if (isUnder(pathname, '/api/docs')) reply.headers(DOCUMENT_SECURITY_HEADERS);
  });
  installErrorHandling(app);
  // JSON only: a text/plain body would otherwise reach routes as a string instead of a 415.
  app.removeContentTypeParser('text/plain');
  await app.register(cookie);
  await installOpenApi(app, sessionCookieNames(secure).session);

  const cookieOptions = { secure, maxAgeSeconds: config.SESSION_TTL_DAYS * 86_400 };
  app.decorate('sessionCookies', cookieOptions);
  healthRoutes(app, storage, isShuttingDown);
  metricsRoutes(app, metrics);
  if (!(await serveWebApp(app, config))) rootRedirect(app);
  authRoutes(app, services.auth, cookieOptions);
  usersRoutes(app, services.auth, services.users);
  chatsRoutes(app, services);
  messagesRoutes(app, services);
  deliveryRoutes(app, services);
  adminRoutes(app, services.auth, services.admin);
  botsRoutes(app, services.auth, services.bots);
  webhooksRoutes(app, services.auth, services.webhooks);
  exportRoutes(app, services.auth, services.exports);
  attachmentsRoutes(app, services);
  uploadsRoutes(app, services.auth, services.attachments);
  accountEmailRoutes(app, services.auth, services.notify.accountEmail);
  notificationsRoutes(app, {
    auth: services.auth,
    settings: services.notify.notificationSettings,
    digest: services.notify.digest,
    serverInfo: () => services.notify.serverInfo(),
  });
  pushRoutes(app, services.auth, services.notify.push);
  searchRoutes(app, services);
  contactsRoutes(app, services);
  notificationCentreRoutes(app, services);
  chatOrganisationRoutes(app, services);
  pinnedMessagesRoutes(app, services);
  draftsRoutes(app, services);
  pollsRoutes(app, services);
  threadsRoutes(app, services);
  scheduledRoutes(app, services);
  userGroupsRoutes(app, services);
  linkPreviewsRoutes(app, services);
  customEmojiRoutes(app, services);
  return app;
}
