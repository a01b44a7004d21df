/**
 * Authentication and CSRF for HTTP routes. API clients send `Authorization: Bearer`;
 * browsers send the HttpOnly session cookie, and then every write must also carry the
 * CSRF header matching the CSRF cookie (double submit), which a cross-site page cannot read.
 */
import { timingSafeEqual } from 'node:crypto';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from '@parley/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../access/actor.js';
import { AppError } from '../errors.js';
import type { AuthService } from '../modules/auth/auth.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    /** How the actor was established; CSRF applies only to cookies. */
    authMethod: 'bearer' | 'cookie' | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? null;
}

/** onRequest hook for routes that need a signed-in user. */
export function requireActor(auth: AuthService) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const bearer = bearerToken(request.headers.authorization);
    const cookie = request.cookies[SESSION_COOKIE];
    const token = bearer ?? cookie;
    if (!token) throw new AppError('unauthenticated', 'Sign in first: send a session cookie or a Bearer token');
    const actor = await auth.authenticate(token);
    if (!actor) throw new AppError('unauthenticated', 'The session has ended or the token is not valid; sign in again');
    request.actor = actor;
    request.authMethod = bearer ? 'bearer' : 'cookie';
    if (!bearer && !SAFE_METHODS.has(request.method)) {
      const header = request.headers[CSRF_HEADER];
      const expected = request.cookies[CSRF_COOKIE];
      if (typeof header !== 'string' || !expected || !sameSecret(header, expected)) {
        throw new AppError('csrf_failed', `Cookie-authenticated writes need the ${CSRF_HEADER} header matching the ${CSRF_COOKIE} cookie`);
      }
    }
  };
}
