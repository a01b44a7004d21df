/**
 * Settings: profile, appearance and sound, password, active sessions, account deletion.
 * Loaded on demand (see AppShell), hence the default export.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BackIcon } from '../../components/icons.js';
import { goBack, ROUTES } from '../../state/router.js';
import { AdminEntrySection } from '../admin/AdminEntrySection.js';
import { BotsSection } from '../admin/BotsSection.js';
import { CustomEmojiSection } from '../custom-emoji/CustomEmojiManager.js';
import { ExportSection } from '../export/ExportSection.js';
import { UserGroupsSection } from '../user-groups/UserGroupsSection.js';
import { AppearanceSection } from './AppearanceSection.js';
import { DeleteAccountSection } from './DeleteAccountSection.js';
import { EmailSection } from './EmailSection.js';
import { LanguageSection } from './LanguageSection.js';
import { NotificationsSection } from './NotificationsSection.js';
import { PasswordSection } from './PasswordSection.js';
import { PrivacySection } from './PrivacySection.js';
import { ProfileSection } from './ProfileSection.js';
import { QuietHoursSection } from './QuietHoursSection.js';
import { SessionsSection } from './SessionsSection.js';
import './settings.css';

export default function SettingsView() {
  const { t } = useTranslation();
  // Bumped when a password change ends the other sessions, so the list shows it.
  const [sessionsVersion, setSessionsVersion] = useState(0);
  return (
    <div className="settings">
      <header className="pane-header detail-header">
        <button type="button" className="icon-button" aria-label={t('shell.back')} onClick={() => goBack(ROUTES.home)}>
          <BackIcon />
        </button>
        <h1 className="detail-title">{t('settings.title')}</h1>
      </header>
      <div className="settings-scroll">
        <div className="settings-content">
          <AdminEntrySection />
          <ProfileSection />
          <EmailSection />
          <AppearanceSection />
          <LanguageSection />
          <PrivacySection />
          <NotificationsSection />
          <QuietHoursSection />
          <UserGroupsSection />
          <CustomEmojiSection />
          <BotsSection />
          <PasswordSection onChanged={() => setSessionsVersion((v) => v + 1)} />
          <SessionsSection version={sessionsVersion} />
          <ExportSection />
          <DeleteAccountSection />
        </div>
      </div>
    </div>
  );
}
