/**
 * Assembles the HTTP server: logging with request ids, validation, errors, cookies,
 * OpenAPI, and every module's routes. Returns the Fastify instance un-listened.
 */
import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { authRoutes } from '../modules/auth/auth.routes.js';
import { usersRoutes } from '../modules/users/users.routes.js';
import type { Services } from '../services.js';
import type { Storage } from '../storage/database.js';
import { installErrorHandling } from './error-handler.js';
import { healthRoutes } from './health.routes.js';
import { installOpenApi } from './openapi.js';
import { bodyAjv, textAjv } from './validation.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export interface HttpDeps {
  config: Config;
  storage: Storage;
  services: Services;
  isShuttingDown: () => boolean;
}

export async function buildHttpApp({ config, storage, services, isShuttingDown }: HttpDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.LOG_LEVEL },
    requestIdLogLabel: 'requestId',
    // A well-formed incoming X-Request-Id is kept so logs join up across a proxy.
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  });
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema));
  app.decorateRequest('actor', null);
  app.decorateRequest('authMethod', null);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    reply.header('x-content-type-options', 'nosniff');
  });
  installErrorHandling(app);
  await app.register(cookie);
  await installOpenApi(app);

  const secure = config.PUBLIC_URL?.startsWith('https://') ?? false;
  const cookieOptions = { secure, maxAgeSeconds: config.SESSION_TTL_DAYS * 86_400 };
  healthRoutes(app, storage, isShuttingDown);
  authRoutes(app, services.auth, cookieOptions);
  usersRoutes(app, services.auth, services.users);
  return app;
}
