/**
 * The app's one connection to the server: the SDK in cookie mode (the HttpOnly session
 * cookie authenticates; writes carry the CSRF cookie's value in a header). Every
 * response passes through here, so a session that ended elsewhere — a password change,
 * a revoke from another device — is noticed on whichever request meets it first.
 */
import { CSRF_COOKIE, type ErrorBody } from '@parley/protocol';
import { createParleyClient } from '@parley/sdk';
import { readCookie } from './cookies.js';

type SessionEndedListener = () => void;
const sessionEndedListeners = new Set<SessionEndedListener>();

/** Called when the server says the session is no longer valid; returns an unsubscribe. */
export function onSessionEnded(listener: SessionEndedListener): () => void {
  sessionEndedListeners.add(listener);
  return () => sessionEndedListeners.delete(listener);
}

async function reportIfSessionEnded(response: Response) {
  // 401 also answers a wrong password (`invalid_credentials`); only `unauthenticated` means the session is gone.
  const body = (await response.json().catch(() => null)) as ErrorBody | null;
  if (body?.error.code !== 'unauthenticated') return;
  for (const listener of sessionEndedListeners) listener();
}

const observingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  if (response.status === 401) void reportIfSessionEnded(response.clone());
  return response;
};

export const parley = createParleyClient({
  baseUrl: '',
  // On https the server names its cookies with the `__Host-` prefix.
  csrfToken: () => readCookie(`__Host-${CSRF_COOKIE}`) ?? readCookie(CSRF_COOKIE),
  fetch: observingFetch,
});
