/**
 * The signed-in app: the chat list on the left and the open item (a conversation, or
 * settings) on the right. On a phone only one pane fits: the list, or the open item with
 * a Back button — the `data-detail` attribute tells the stylesheet which.
 */
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBoundary } from '../components/ErrorBoundary.js';
import { ROUTES } from '../state/router.js';
import { ChatListPane } from './ChatListPane.js';
import { ConversationPlaceholder } from './ConversationPlaceholder.js';

// Settings are visited rarely; keeping them out of the first download keeps start-up fast.
const SettingsView = lazy(() => import('./settings/SettingsView.js'));

export function AppShell({ path }: { path: string }) {
  const { t } = useTranslation();
  const detail = path === ROUTES.settings ? 'settings' : null;
  return (
    <div className="shell" data-detail={detail ? 'open' : 'closed'}>
      <ChatListPane />
      <main className="detail-pane">
        {detail === 'settings' ? (
          <ErrorBoundary>
            <Suspense
              fallback={
                <div className="pane-loading" role="status">
                  <span className="spinner" aria-hidden="true" />
                  {t('settings.loading')}
                </div>
              }
            >
              <SettingsView />
            </Suspense>
          </ErrorBoundary>
        ) : (
          <ConversationPlaceholder />
        )}
      </main>
    </div>
  );
}
