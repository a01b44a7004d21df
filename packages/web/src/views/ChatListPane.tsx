/** The left pane: who is signed in, the account menu, and the list of conversations. */
import { ParleyApiError } from '@parley/sdk';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parley } from '../api/client.js';
import { Avatar } from '../components/Avatar.js';
import { FormMessage } from '../components/fields.js';
import { ChatsIcon, MoreIcon, SettingsIcon, SignOutIcon } from '../components/icons.js';
import { Menu } from '../components/Menu.js';
import { navigate, ROUTES } from '../state/router.js';
import { useMe, useSession } from '../state/session.js';

export function ChatListPane() {
  const { t } = useTranslation();
  const me = useMe();
  const session = useSession();

  const [signOutFailed, setSignOutFailed] = useState(false);

  const signOut = async () => {
    setSignOutFailed(false);
    try {
      await parley.auth.logout();
    } catch (error) {
      // Only the server can clear the HttpOnly cookie: unless the session is already gone, stay and say so.
      if (!(error instanceof ParleyApiError && error.status === 401)) {
        setSignOutFailed(true);
        return;
      }
    }
    session.signedOut('signedOut');
  };

  return (
    <aside className="list-pane" aria-label={t('shell.chats')}>
      <header className="pane-header">
        <Avatar id={me.id} name={me.displayName} size={40} />
        <div className="pane-header-text">
          <p className="pane-header-title" data-testid="my-name">
            {me.displayName}
          </p>
          <p className="pane-header-subtitle">{me.statusText || `@${me.username}`}</p>
        </div>
        <Menu
          label={t('shell.accountMenu')}
          icon={<MoreIcon />}
          items={[
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
      <h2 className="pane-section-title">{t('shell.chats')}</h2>
      <div className="empty-state">
        <div className="empty-state-icon">
          <ChatsIcon size={32} />
        </div>
        <p className="empty-state-title">{t('shell.noChatsTitle')}</p>
        <p className="empty-state-body">{t('shell.noChatsBody')}</p>
      </div>
    </aside>
  );
}
