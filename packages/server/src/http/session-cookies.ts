/**
 * The browser's session and CSRF cookies: their names, setting and clearing them, and the
 * CSRF token that belongs to a session.
 *
 * On https (PUBLIC_URL) the names carry the `__Host-` prefix: the browser then accepts them
 * only with Secure, Path=/ and no Domain, so a page on a sibling host (or a plain-http
 * response on the path to this one) cannot plant its own session or CSRF cookie here.
 *
 * The CSRF token is an HMAC of a fixed label keyed by the session token itself. It is
 * bound to the session (a token from another session, or a value planted in the CSRF
 * cookie, does not match), needs no server secret to configure, share between instances or
 * rotate, and survives restarts. The session id, which is shown in the session list and in
 * `hello`, is not secret and so could not serve as the key. Knowing a CSRF token does not
 * reveal the session token behind it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { CSRF_COOKIE, SESSION_COOKIE } from '@parley/protocol';
import type { FastifyReply } from 'fastify';

export interface SessionCookieOptions {
  /** PUBLIC_URL is https: Secure cookies with `__Host-` names. */
  secure: boolean;
  maxAgeSeconds: number;
}

export interface SessionCookieNames {
  session: string;
  csrf: string;
}

const HOST_PREFIX = '__Host-';

export const sessionCookieNames = (secure: boolean): SessionCookieNames =>
  secure
    ? { session: `${HOST_PREFIX}${SESSION_COOKIE}`, csrf: `${HOST_PREFIX}${CSRF_COOKIE}` }
    : { session: SESSION_COOKIE, csrf: CSRF_COOKIE };

export const csrfTokenFor = (sessionToken: string): string =>
  createHmac('sha256', sessionToken).update('parley csrf v1').digest('base64url');

/** Whether `presented` (the CSRF header) is the token of this session, compared in constant time. */
export function csrfMatches(sessionToken: string, presented: string | undefined): boolean {
  if (typeof presented !== 'string') return false;
  const expected = Buffer.from(csrfTokenFor(sessionToken));
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

const common = (options: SessionCookieOptions) => ({
  path: '/',
  sameSite: 'lax' as const,
  secure: options.secure,
  maxAge: options.maxAgeSeconds,
});

/** Sets (or repairs) the CSRF cookie of a session, readable by the page's script. */
export function setCsrfCookie(reply: FastifyReply, sessionToken: string, options: SessionCookieOptions) {
  reply.setCookie(sessionCookieNames(options.secure).csrf, csrfTokenFor(sessionToken), { ...common(options), httpOnly: false });
}

export function setSessionCookies(reply: FastifyReply, token: string, options: SessionCookieOptions) {
  reply.setCookie(sessionCookieNames(options.secure).session, token, { ...common(options), httpOnly: true });
  setCsrfCookie(reply, token, options);
  // Cookies from before the `__Host-` names would linger, unread, until they expire.
  if (options.secure) clearLegacyCookies(reply);
}

function clearLegacyCookies(reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}

export function clearSessionCookies(reply: FastifyReply, options: SessionCookieOptions) {
  const names = sessionCookieNames(options.secure);
  reply.clearCookie(names.session, { path: '/', secure: options.secure });
  reply.clearCookie(names.csrf, { path: '/', secure: options.secure });
  if (options.secure) clearLegacyCookies(reply);
}
