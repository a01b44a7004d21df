/**
 * The admin console (J6): people, rooms, server settings, stats and the audit log, one tab
 * each under /admin/<tab>. Moderators see people and rooms; admins everything. Loaded on
 * demand (see AppShell), hence the default export.
 */
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { BackIcon } from '../../components/icons.js';
import { type AdminTab, tabsFor } from '../../state/admin.js';
import { adminPath, goBack, navigate, ROUTES } from '../../state/router.js';
import { useMe } from '../../state/session.js';
import { AuditTab } from './AuditTab.js';
import { RoomsTab } from './RoomsTab.js';
import { SettingsTab } from './SettingsTab.js';
import { StatsTab } from './StatsTab.js';
import { UsersTab } from './UsersTab.js';
import './admin.css';

const TAB_VIEWS: Record<AdminTab, ComponentType> = {
  users: UsersTab,
  rooms: RoomsTab,
  settings: SettingsTab,
  stats: StatsTab,
  audit: AuditTab,
};

export default function AdminView({ tab }: { tab: AdminTab }) {
  const { t } = useTranslation();
  const me = useMe();
  const tabs = tabsFor(me.role);
  const current = tabs.includes(tab) ? tab : 'users';
  const View = TAB_VIEWS[current];
  return (
    <div className="admin">
      <header className="pane-header detail-header">
        <button type="button" className="icon-button" aria-label={t('shell.back')} onClick={() => goBack(ROUTES.settings)}>
          <BackIcon />
        </button>
        <h1 className="detail-title">{t('admin.title')}</h1>
      </header>
      <nav className="admin-tabs" aria-label={t('admin.title')}>
        {tabs.map((name) => (
          <a
            key={name}
            href={adminPath(name)}
            className="admin-tab"
            aria-current={name === current ? 'page' : undefined}
            onClick={(event) => {
              event.preventDefault();
              navigate(adminPath(name), { replace: true });
            }}
          >
            {t(`admin.tabs.${name}`)}
          </a>
        ))}
      </nav>
      <div className="admin-scroll">
        <View />
      </div>
    </div>
  );
}
