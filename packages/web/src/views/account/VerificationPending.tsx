/**
 * After signing up or in with REQUIRE_EMAIL_VERIFICATION on, before the address is
 * confirmed: says where the link went and offers to send it again. The resend answers the
 * same for any address, so it tells nothing about who has an account.
 */
import { ParleyApiError } from '@parley/sdk';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parley } from '../../api/client.js';
import { FormMessage } from '../../components/fields.js';
import { currentLanguage } from '../../i18n/index.js';
import { loadServerInfo, useServerInfo } from '../../state/notification-settings.js';
import '../settings/notifications.css';

export const isUnverified = (error: unknown) => error instanceof ParleyApiError && error.code === 'email_not_verified';

/** Server info for the signed-out screens (whether mail is sent), loaded once. */
export function useMailConfigured(): boolean | null {
  const info = useServerInfo();
  useEffect(() => {
    void loadServerInfo().catch(() => undefined);
  }, []);
  return info ? info.mail : null;
}

export function VerificationPending({ email }: { email: string | null }) {
  const { t } = useTranslation();
  const [sent, setSent] = useState(false);
  const resend = async () => {
    if (!email) return;
    const language = currentLanguage();
    await parley.notifications.requestVerification({ email, language }).catch(() => undefined);
    setSent(true);
  };
  return (
    <FormMessage tone="info">
      {email ? t('notify.signIn.notVerifiedTo', { email }) : t('notify.signIn.notVerified')}{' '}
      {email && (
        <button type="button" className="link-button" disabled={sent} onClick={() => void resend()}>
          {sent ? t('notify.signIn.resent') : t('notify.signIn.resend')}
        </button>
      )}
    </FormMessage>
  );
}
