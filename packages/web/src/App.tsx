/** Chooses the screen from the session and the path, and keeps the address bar honest about it. */
import { type ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from './components/Button.js';
import { Logo } from './components/Logo.js';
import { setTitleBase } from './state/notifications.js';
import { navigate, parseAppPath, ROUTES, usePath } from './state/router.js';
import { useSession } from './state/session.js';
import { AppShell } from './views/AppShell.js';
import { isPublicPage, PublicPage } from './views/account/public-pages.js';
import { SignInView } from './views/SignInView.js';
import { SignUpView } from './views/SignUpView.js';

const SIGNED_OUT_PATHS = new Set<string>([ROUTES.signIn, ROUTES.signUp]);

/** Where the app should be for this session state, or null when the current path is right. */
function redirectFor(status: string, path: string): string | null {
  if (isPublicPage(path)) return null;
  if (status === 'signedIn' && parseAppPath(path) === null) return ROUTES.home;
  if (status === 'signedOut' && !SIGNED_OUT_PATHS.has(path)) return ROUTES.signIn;
  return null;
}

function Splash({ children }: { children?: ReactNode }) {
  return (
    <main className="splash">
      <Logo size={56} />
      {children}
    </main>
  );
}

export function App() {
  const { t } = useTranslation();
  const session = useSession();
  const path = usePath();
  const { state } = session;
  const redirect = redirectFor(state.status, path);

  useEffect(() => {
    if (redirect) navigate(redirect, { replace: true });
  }, [redirect]);

  useEffect(() => {
    // An open conversation names itself (ConversationView); the unread count goes in front: "(3) Parley".
    if (parseAppPath(path)?.view === 'chat' && state.status === 'signedIn') return;
    setTitleBase(path === ROUTES.settings ? `${t('settings.title')} · ${t('app.name')}` : t('app.name'));
  }, [path, t, state.status]);

  // Pages emails link to (verify, reset, unsubscribe) work signed in or out.
  if (isPublicPage(path) && state.status !== 'loading') return <PublicPage path={path} />;
  switch (state.status) {
    case 'loading':
      return (
        <Splash>
          <p className="visually-hidden" role="status">
            {t('app.loading')}
          </p>
        </Splash>
      );
    case 'unreachable':
      return (
        <Splash>
          <div className="splash-message" role="alert">
            <h1>{t('app.unreachableTitle')}</h1>
            <p>{t('app.unreachableBody')}</p>
          </div>
          <Button onClick={() => void session.reload()}>{t('app.retry')}</Button>
        </Splash>
      );
    case 'signedOut':
      return (redirect ?? path) === ROUTES.signUp ? <SignUpView /> : <SignInView notice={state.notice} />;
    case 'signedIn':
      return <AppShell path={redirect ?? path} />;
  }
}
