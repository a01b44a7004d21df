/** Shown while the account's email is unconfirmed (A3): people can chat, and can ask for the link again. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parley } from '../api/client.js';
import { loadServerInfo, useServerInfo } from '../state/notification-settings.js';
import { useMe } from '../state/session.js';
import './settings/notifications.css';

export function VerificationBanner() {
  const { t } = useTranslation();
  const me = useMe();
  const info = useServerInfo();
  const [sent, setSent] = useState(false);

  useEffect(() => {
    void loadServerInfo().catch(() => undefined);
  }, []);

  // Without mail there is no link to follow: nothing to nag about.
  if (me.emailVerified || !info?.mail) return null;
  return (
    <div className="verification-banner" role="status">
      <span>{t('notify.banner.text', { email: me.email })}</span>
      <button
        type="button"
        className="link-button"
        disabled={sent}
        onClick={() => void parley.notifications.resendVerification().then(() => setSent(true))}
      >
        {sent ? t('notify.banner.sent') : t('notify.banner.resend')}
      </button>
    </div>
  );
}
