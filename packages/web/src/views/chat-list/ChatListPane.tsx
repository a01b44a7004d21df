/**
 * The left pane: who is signed in, the account and new-chat menus, a filter box, and the
 * chats by last activity. The dialogs for starting chats are a separate download.
 */
import { ParleyApiError } from '@parley/sdk';
import { lazy, Suspense, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parley } from '../../api/client.js';
import { explainError } from '../../api/errors.js';
import { Avatar } from '../../components/Avatar.js';
import { FormMessage } from '../../components/fields.js';
import {
  ChatsIcon,
  ComposeIcon,
  HashIcon,
  MoonIcon,
  MoreIcon,
  PlusIcon,
  SearchIcon,
  SettingsIcon,
  SignOutIcon,
  UserIcon,
  UsersIcon,
} from '../../components/icons.js';
import { Menu } from '../../components/Menu.js';
import { filterChats } from '../../state/chat-list.js';
import { useChatList } from '../../state/chats.js';
import { expectSessionEnd } from '../../state/connection.js';
import { setManualAway, useManualAway } from '../../state/manual-away.js';
import { organisationStore, organiseChats } from '../../state/people-relations.js';
import { navigate, ROUTES } from '../../state/router.js';
import { useMe, useSession } from '../../state/session.js';
import { useStore } from '../../state/store.js';
import { showToast } from '../../state/toasts.js';
import { NotificationCentreButton } from '../notification-centre/NotificationCentre.js';
import { ContactsButton } from '../people/ContactsButton.js';
import { openSearch } from '../search/search-state.js';
import { ThreadsNavButton } from '../threads/ThreadsNavButton.js';
import { ChatListItem } from './ChatListItem.js';
import { usePinDrag } from './pin-drag.js';

const NewChatDialogs = lazy(() => import('../new-chat/NewChatDialogs.js'));

export type NewChatDialog = 'direct' | 'group' | 'rooms' | 'room';

function ChatListSkeleton() {
  return (
    <ul className="chat-list" aria-hidden="true">
      {[0, 1, 2, 3].map((i) => (
        <li key={i} className="chat-row chat-row-skeleton">
          <span className="skeleton skeleton-avatar" />
          <span className="chat-row-main">
            <span className="skeleton skeleton-line" />
            <span className="skeleton skeleton-line skeleton-short" />
          </span>
        </li>
      ))}
    </ul>
  );
}

export function ChatListPane({ activeChatId, threadsOpen = false }: { activeChatId: string | null; threadsOpen?: boolean }) {
  const { t } = useTranslation();
  const me = useMe();
  const session = useSession();
  const searchId = useId();
  const { status, chats } = useChatList();
  const [query, setQuery] = useState('');
  const [dialog, setDialog] = useState<NewChatDialog | null>(null);
  const [signOutFailed, setSignOutFailed] = useState(false);
  const organisation = useStore(organisationStore, (s) => s);
  const [showArchived, setShowArchived] = useState(false);
  const manualAway = useManualAway();
  const pinDrag = usePinDrag(organisation.pinned, (error) => showToast(explainError(error, t).message, 'error'));
  const organised = useMemo(() => organiseChats(filterChats(chats, query), organisation), [chats, query, organisation]);
  const shown = showArchived ? organised.archived : organised.main;

  const signOut = async () => {
    setSignOutFailed(false);
    expectSessionEnd(true);
    try {
      await parley.auth.logout();
    } catch (error) {
      // Only the server can clear the HttpOnly cookie: unless the session is already gone, stay and say so.
      if (!(error instanceof ParleyApiError && error.status === 401)) {
        expectSessionEnd(false);
        setSignOutFailed(true);
        return;
      }
    }
    session.signedOut('signedOut');
  };

  return (
    <aside className="list-pane" aria-label={t('shell.chats')}>
      <header className="pane-header">
        <Avatar id={me.id} name={me.displayName} size={40} imageId={me.avatarId ?? null} />
        <div className="pane-header-text">
          <p className="pane-header-title" data-testid="my-name">
            {me.displayName}
          </p>
          <p className="pane-header-subtitle" data-testid="my-status">
            {manualAway ? t('personal.awayNow') : me.statusText || `@${me.username}`}
          </p>
        </div>
        <button type="button" className="icon-button" aria-label={t('search.open')} title={t('search.open')} onClick={() => openSearch()}>
          <SearchIcon size={20} />
        </button>
        <ContactsButton />
        <NotificationCentreButton />
        <Menu
          label={t('newChat.menu')}
          icon={<ComposeIcon />}
          items={[
            { id: 'direct', label: t('newChat.direct'), icon: <UserIcon />, onSelect: () => setDialog('direct') },
            { id: 'group', label: t('newChat.group'), icon: <UsersIcon />, onSelect: () => setDialog('group') },
            { id: 'rooms', label: t('newChat.rooms'), icon: <HashIcon />, onSelect: () => setDialog('rooms') },
            { id: 'room', label: t('newChat.room'), icon: <PlusIcon />, onSelect: () => setDialog('room') },
          ]}
        />
        <Menu
          label={t('shell.accountMenu')}
          icon={<MoreIcon />}
          items={[
            {
              id: 'away',
              label: manualAway ? t('personal.setActive') : t('personal.setAway'),
              icon: <MoonIcon />,
              onSelect: () => void setManualAway(!manualAway).catch(() => showToast(t('errors.network'), 'error')),
            },
            { id: 'settings', label: t('shell.settings'), icon: <SettingsIcon />, onSelect: () => navigate(ROUTES.settings) },
            { id: 'sign-out', label: t('shell.signOut'), icon: <SignOutIcon />, tone: 'danger', onSelect: () => void signOut() },
          ]}
        />
      </header>
      {signOutFailed && (
        <div className="pane-notice">
          <FormMessage tone="error">{t('shell.signOutFailed')}</FormMessage>
        </div>
      )}
      <div className="chat-search">
        <label htmlFor={searchId} className="visually-hidden">
          {t('chatList.search')}
        </label>
        <div className="search-field">
          <SearchIcon />
          <input
            id={searchId}
            className="input input-search"
            type="search"
            placeholder={t('chatList.searchPlaceholder')}
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') setQuery('');
            }}
          />
        </div>
      </div>
      <ThreadsNavButton active={threadsOpen} />
      <h2 className="pane-section-title">{t('shell.chats')}</h2>
      <nav className="chat-list-scroll" aria-label={t('chatList.label')}>
        {status === 'loading' && chats.length === 0 && <ChatListSkeleton />}
        {status === 'failed' && chats.length === 0 && (
          <div className="empty-state">
            <p className="empty-state-body">{t('chatList.loadFailed')}</p>
          </div>
        )}
        {status === 'ready' && chats.length === 0 && (
          <div className="empty-state">
            <div className="empty-state-icon">
              <ChatsIcon size={32} />
            </div>
            <p className="empty-state-title">{t('shell.noChatsTitle')}</p>
            <p className="empty-state-body">{t('shell.noChatsBody')}</p>
            <button type="button" className="button button-primary empty-state-action" onClick={() => setDialog('direct')}>
              <ComposeIcon />
              {t('newChat.start')}
            </button>
          </div>
        )}
        {(organised.archived.length > 0 || showArchived) && (
          <button
            type="button"
            className="archived-toggle"
            data-testid="archived-toggle"
            aria-pressed={showArchived}
            onClick={() => setShowArchived((open) => !open)}
          >
            {showArchived ? t('contacts.organise.backToChats') : t('contacts.organise.archivedCount', { count: organised.archived.length })}
          </button>
        )}
        {chats.length > 0 && shown.length === 0 && query && <p className="chat-list-empty">{t('chatList.noMatches', { query })}</p>}
        {shown.length > 0 && (
          <ul className="chat-list">
            {shown.map((chat) => (
              <ChatListItem
                key={chat.id}
                chat={chat}
                active={chat.id === activeChatId}
                meId={me.id}
                pinned={organisation.pinned.includes(chat.id)}
                drag={showArchived ? undefined : pinDrag(chat.id)}
              />
            ))}
          </ul>
        )}
      </nav>
      {dialog && (
        <Suspense fallback={null}>
          <NewChatDialogs dialog={dialog} onClose={() => setDialog(null)} onSwitch={setDialog} />
        </Suspense>
      )}
    </aside>
  );
}
