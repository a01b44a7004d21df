/** HTTP routes for accounts and sessions: parse → service → present. */

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AuthResult, ChangePasswordBody, DeleteMeBody, LoginBody, RegisterBody, SessionIdParams, SessionList } from '@parley/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../../access/actor.js';
import { requireActor } from '../../http/authenticate.js';
import { authedRoute, errors, NoContent } from '../../http/responses.js';
import { clearSessionCookies, type SessionCookieOptions, setSessionCookies } from '../../http/session-cookies.js';
import type { AuthService, ClientInfo } from './auth.service.js';

const clientInfo = (request: FastifyRequest): ClientInfo => ({
  ip: request.ip,
  userAgent: String(request.headers['user-agent'] ?? ''),
  acceptLanguage: String(request.headers['accept-language'] ?? ''),
});

export const actorOf = (request: FastifyRequest): Actor => {
  // requireActor ran in onRequest; a route without it has no business here.
  if (!request.actor) throw new Error('route used actorOf without requireActor');
  return request.actor;
};

export function authRoutes(app: FastifyInstance, auth: AuthService, cookie: SessionCookieOptions) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = requireActor(auth);
  const tags = ['auth'];

  r.post(
    '/api/v1/auth/register',
    {
      schema: { tags, summary: 'Create an account and sign in', body: RegisterBody, response: { 201: AuthResult, ...errors } },
    },
    async (request, reply) => {
      const result = await auth.register(request.body, clientInfo(request));
      setSessionCookies(reply, result.token, cookie);
      return reply.status(201).send(result);
    },
  );

  r.post(
    '/api/v1/auth/login',
    {
      schema: { tags, summary: 'Sign in by username or email', body: LoginBody, response: { 200: AuthResult, ...errors } },
    },
    async (request, reply) => {
      const result = await auth.login(request.body, clientInfo(request));
      setSessionCookies(reply, result.token, cookie);
      return result;
    },
  );

  r.post(
    '/api/v1/auth/logout',
    {
      onRequest,
      schema: { tags, summary: 'End the current session', ...authedRoute, response: { 204: NoContent, ...errors } },
    },
    async (request, reply) => {
      await auth.logout(actorOf(request));
      clearSessionCookies(reply, cookie);
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/v1/auth/sessions',
    {
      onRequest,
      schema: { tags, summary: 'List your sessions', ...authedRoute, response: { 200: SessionList, ...errors } },
    },
    async (request) => auth.listSessions(actorOf(request)),
  );

  r.delete(
    '/api/v1/auth/sessions/:id',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Revoke one of your sessions',
        ...authedRoute,
        params: SessionIdParams,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await auth.revokeSession(actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/api/v1/auth/password',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Change your password; every other session ends',
        ...authedRoute,
        body: ChangePasswordBody,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await auth.changePassword(actorOf(request), request.body);
      return reply.status(204).send(null);
    },
  );

  r.delete(
    '/api/v1/users/me',
    {
      onRequest,
      schema: {
        tags: ['users'],
        summary: 'Delete your account (password required)',
        ...authedRoute,
        body: DeleteMeBody,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await auth.deleteAccount(actorOf(request), request.body.password);
      clearSessionCookies(reply, cookie);
      return reply.status(204).send(null);
    },
  );
}
