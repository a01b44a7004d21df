/**
 * Authentication and CSRF for HTTP routes. API clients send `Authorization: Bearer`;
 * browsers send the HttpOnly session cookie, and then every write must also carry the
 * CSRF header holding the session's own CSRF token (http/session-cookies.ts), which the
 * page reads from the CSRF cookie and a cross-site page can neither read nor compute.
 */
import { CSRF_HEADER } from '@parley/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../access/actor.js';
import { AppError } from '../errors.js';
import type { AuthService } from '../modules/auth/auth.service.js';
import { csrfMatches, csrfTokenFor, type SessionCookieOptions, sessionCookieNames, setCsrfCookie } from './session-cookies.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    /** How the actor was established; CSRF applies only to cookies. */
    authMethod: 'bearer' | 'cookie' | null;
  }
  interface FastifyInstance {
    /** How this server names and sets its session cookies (decorated in app.ts). */
    sessionCookies: SessionCookieOptions;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? null;
}

/** onRequest hook for routes that need a signed-in user. */
export function requireActor(auth: AuthService) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const cookieOptions = request.server.sessionCookies;
    const names = sessionCookieNames(cookieOptions.secure);
    const bearer = bearerToken(request.headers.authorization);
    const cookie = request.cookies[names.session];
    const token = bearer ?? cookie;
    if (!token) throw new AppError('unauthenticated', 'Sign in first: send a session cookie or a Bearer token');
    const actor = await auth.authenticate(token);
    if (!actor) throw new AppError('unauthenticated', 'The session has ended or the token is not valid; sign in again');
    request.actor = actor;
    request.authMethod = bearer ? 'bearer' : 'cookie';
    if (bearer || !cookie) return;
    // A CSRF cookie from before tokens were bound to sessions, or one that was deleted or
    // planted, is replaced by this session's token, so the page can write again.
    if (request.cookies[names.csrf] !== csrfTokenFor(cookie)) setCsrfCookie(reply, cookie, cookieOptions);
    if (!SAFE_METHODS.has(request.method) && !csrfMatches(cookie, request.headers[CSRF_HEADER] as string | undefined)) {
      throw new AppError(
        'csrf_failed',
        `Cookie-authenticated writes need the ${CSRF_HEADER} header holding the value of the ${names.csrf} cookie`,
      );
    }
  };
}
