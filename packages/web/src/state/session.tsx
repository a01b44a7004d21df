/**
 * Who is signed in. On start the app asks the server (GET /users/me): the HttpOnly cookie
 * is invisible to scripts, so the server is the only one who knows. While signed in, the
 * session is re-checked when the tab regains focus and once a minute, and any request
 * that meets an ended session signs the app out with a notice.
 */
import type { Me } from '@parley/protocol';
import { ParleyApiError } from '@parley/sdk';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { onSessionEnded, parley } from '../api/client.js';

export type SignedOutNotice = 'sessionEnded' | 'signedOut' | 'accountDeleted';

export type SessionState =
  | { status: 'loading' }
  | { status: 'unreachable' }
  | { status: 'signedOut'; notice: SignedOutNotice | null }
  | { status: 'signedIn'; me: Me };

export interface Session {
  state: SessionState;
  /** After register or login: the server has set the cookies and returned the user. */
  signedIn(me: Me): void;
  signedOut(notice: SignedOutNotice | null): void;
  /** After a profile edit, so every screen shows the new name at once. */
  meChanged(me: Me): void;
  /** Asks the server again who is signed in (start-up, retry). */
  reload(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

const RECHECK_INTERVAL_MS = 60_000;

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const reload = useCallback(async () => {
    try {
      setState({ status: 'signedIn', me: await parley.users.me() });
    } catch (error) {
      const ended = error instanceof ParleyApiError && error.status === 401;
      setState(ended ? { status: 'signedOut', notice: null } : { status: 'unreachable' });
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  const signedInNow = state.status === 'signedIn';
  useEffect(() => {
    if (!signedInNow) return;
    const stopListening = onSessionEnded(() => setState({ status: 'signedOut', notice: 'sessionEnded' }));
    const recheck = () => {
      if (document.visibilityState !== 'visible') return;
      // A 401 here reaches onSessionEnded; other failures (offline) are not a sign-out.
      parley.users.me().then(
        (me) => setState((current) => (current.status === 'signedIn' ? { status: 'signedIn', me } : current)),
        () => undefined,
      );
    };
    const timer = window.setInterval(recheck, RECHECK_INTERVAL_MS);
    window.addEventListener('focus', recheck);
    document.addEventListener('visibilitychange', recheck);
    return () => {
      stopListening();
      window.clearInterval(timer);
      window.removeEventListener('focus', recheck);
      document.removeEventListener('visibilitychange', recheck);
    };
  }, [signedInNow]);

  const session = useMemo<Session>(
    () => ({
      state,
      signedIn: (me) => setState({ status: 'signedIn', me }),
      signedOut: (notice) => setState({ status: 'signedOut', notice }),
      meChanged: (me) => setState((current) => (current.status === 'signedIn' ? { status: 'signedIn', me } : current)),
      reload,
    }),
    [state, reload],
  );
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside <SessionProvider>');
  return session;
}

/** The signed-in user; only for screens that render while signed in. */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== 'signedIn') throw new Error('useMe used while signed out');
  return state.me;
}
