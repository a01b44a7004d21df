/** Setting and clearing the browser's session and CSRF cookies. */
import { randomBytes } from 'node:crypto';
import { CSRF_COOKIE, SESSION_COOKIE } from '@parley/protocol';
import type { FastifyReply } from 'fastify';

export function setSessionCookies(reply: FastifyReply, token: string, options: { secure: boolean; maxAgeSeconds: number }) {
  const common = { path: '/', sameSite: 'lax' as const, secure: options.secure, maxAge: options.maxAgeSeconds };
  reply.setCookie(SESSION_COOKIE, token, { ...common, httpOnly: true });
  reply.setCookie(CSRF_COOKIE, randomBytes(18).toString('base64url'), { ...common, httpOnly: false });
}

export function clearSessionCookies(reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}
