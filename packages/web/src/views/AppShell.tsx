/**
 * The signed-in app: the chat list on the left and the open item (a conversation, or
 * settings) on the right. On a phone only one pane fits: the list, or the open item with
 * a Back button — the `data-detail` attribute tells the stylesheet which. The live
 * connection (state/sync.ts) runs for as long as this is mounted.
 */
import { lazy, Suspense, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { explainError } from '../api/errors.js';
import { ErrorBoundary } from '../components/ErrorBoundary.js';
import { Toasts } from '../components/Toasts.js';
import { useAccountLanguage } from '../state/language.js';
import { startNotificationSync } from '../state/notification-settings.js';
import { unlockAudioOnGesture } from '../state/notifications.js';
import { chatPath, navigate, parseAppPath, ROUTES } from '../state/router.js';
import { useMe, useSession } from '../state/session.js';
import { startSync } from '../state/sync.js';
import { showToast } from '../state/toasts.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import { ConversationPlaceholder } from './ConversationPlaceholder.js';
import { ChatListPane } from './chat-list/ChatListPane.js';
import { ConversationView } from './conversation/ConversationView.js';
import { ProfileDialog } from './people/ProfileDialog.js';
import { useIdleAway } from './people/use-idle-away.js';
import { MessageSearch } from './search/MessageSearch.js';
import { KeyboardShortcuts } from './shortcuts/KeyboardShortcuts.js';
import { VerificationBanner } from './VerificationBanner.js';

// Settings are visited rarely; keeping them out of the first download keeps start-up fast.
const SettingsView = lazy(() => import('./settings/SettingsView.js'));
// The Threads view (E15), a separate download like settings.
const ThreadsView = lazy(() => import('./threads/ThreadsView.js'));
// The admin console only ever loads for admins and moderators.
const AdminView = lazy(() => import('./admin/AdminView.js'));

function useLiveSync() {
  const { t } = useTranslation();
  const me = useMe();
  const session = useSession();
  useAccountLanguage(me);
  // The callbacks read the latest session and translations without restarting the connection.
  const latest = useRef({ session, me, t });
  latest.current = { session, me, t };
  useEffect(() => {
    unlockAudioOnGesture();
    return startSync({
      meId: me.id,
      onSessionEnded: () => latest.current.session.signedOut('sessionEnded'),
      onProfileChanged: (user) => latest.current.session.meChanged({ ...latest.current.me, ...user }),
      onChatGone: (chatId, reason) => {
        if (window.location.pathname !== chatPath(chatId)) return;
        navigate(ROUTES.home, { replace: true });
        showToast(latest.current.t(reason === 'deleted' ? 'conversation.deleted' : 'conversation.gone'));
      },
      onSendFailed: (error) =>
        showToast(latest.current.t('message.sendFailed', { reason: explainError(error, latest.current.t).message }), 'error'),
    });
  }, [me.id]);
}

/** Notification settings follow the other devices (after useLiveSync has started the connection). */
function useNotificationSync() {
  const me = useMe();
  const language = me.language ?? null;
  useEffect(() => startNotificationSync(language), [language]);
}

function PaneLoading({ label }: { label: string }) {
  return (
    <div className="pane-loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function AppShell({ path }: { path: string }) {
  const { t } = useTranslation();
  useLiveSync();
  useNotificationSync();
  useIdleAway();
  const route = parseAppPath(path) ?? { view: 'home' };
  return (
    <div className="app-frame">
      <ConnectionBanner />
      <VerificationBanner />
      <div className="shell" data-detail={route.view === 'home' ? 'closed' : 'open'}>
        <ChatListPane activeChatId={route.view === 'chat' ? route.chatId : null} threadsOpen={route.view === 'threads'} />
        <main className="detail-pane">
          {route.view === 'settings' && (
            <ErrorBoundary>
              <Suspense fallback={<PaneLoading label={t('settings.loading')} />}>
                <SettingsView />
              </Suspense>
            </ErrorBoundary>
          )}
          {route.view === 'threads' && (
            <ErrorBoundary>
              <Suspense fallback={<PaneLoading label={t('threads.loading')} />}>
                <ThreadsView />
              </Suspense>
            </ErrorBoundary>
          )}
          {route.view === 'chat' && (
            <ErrorBoundary key={route.chatId}>
              <ConversationView key={route.chatId} chatId={route.chatId} />
            </ErrorBoundary>
          )}
          {route.view === 'admin' && (
            <ErrorBoundary>
              <Suspense fallback={<PaneLoading label={t('settings.loading')} />}>
                <AdminView tab={route.tab} />
              </Suspense>
            </ErrorBoundary>
          )}
          {route.view === 'home' && <ConversationPlaceholder />}
        </main>
      </div>
      <Toasts />
      <KeyboardShortcuts />
      <MessageSearch />
      <ProfileDialog />
    </div>
  );
}
