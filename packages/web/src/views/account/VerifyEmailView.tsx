/** The emailed verification link lands here (`/verify-email?token=`): it is redeemed once, and the page says how that went. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parley } from '../../api/client.js';
import { FormMessage } from '../../components/fields.js';
import { Link } from '../../components/Link.js';
import { ROUTES } from '../../state/router.js';
import { useSession } from '../../state/session.js';
import { AuthLayout } from '../AuthLayout.js';

type Outcome = 'working' | 'done' | 'invalid';

/** One redemption per token per page, even when React runs the effect twice. */
const redeemed = new Map<string, Promise<void>>();

export function VerifyEmailView() {
  const { t } = useTranslation();
  const session = useSession();
  const [outcome, setOutcome] = useState<Outcome>('working');
  const token = new URLSearchParams(window.location.search).get('token') ?? '';

  useEffect(() => {
    if (!token) return setOutcome('invalid');
    let promise = redeemed.get(token);
    if (!promise) {
      promise = parley.notifications.verifyEmail(token);
      redeemed.set(token, promise);
    }
    promise.then(
      () => {
        setOutcome('done');
        void session.reload();
      },
      () => setOutcome('invalid'),
    );
  }, [token, session.reload]);

  return (
    <AuthLayout
      title={t('notify.verify.title')}
      subtitle=""
      footer={<Link href={session.state.status === 'signedIn' ? ROUTES.home : ROUTES.signIn}>{t('notify.verify.continue')}</Link>}
    >
      <FormMessage tone={outcome === 'invalid' ? 'error' : outcome === 'done' ? 'success' : 'info'}>
        {t(`notify.verify.${outcome}`)}
      </FormMessage>
    </AuthLayout>
  );
}
