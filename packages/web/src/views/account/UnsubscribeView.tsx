/** The "stop these emails" link of a missed-message email (`/unsubscribe?token=`): one button, no sign-in needed. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parley } from '../../api/client.js';
import { Button } from '../../components/Button.js';
import { FormMessage } from '../../components/fields.js';
import { Link } from '../../components/Link.js';
import { ROUTES } from '../../state/router.js';
import { AuthLayout } from '../AuthLayout.js';

export function UnsubscribeView() {
  const { t } = useTranslation();
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const [outcome, setOutcome] = useState<'ask' | 'done' | 'invalid'>(token ? 'ask' : 'invalid');
  const [busy, setBusy] = useState(false);
  const unsubscribe = async () => {
    setBusy(true);
    try {
      await parley.notifications.unsubscribe(token);
      setOutcome('done');
    } catch {
      setOutcome('invalid');
    } finally {
      setBusy(false);
    }
  };
  return (
    <AuthLayout
      title={t('notify.unsubscribe.title')}
      subtitle={t('notify.unsubscribe.confirm')}
      footer={<Link href={ROUTES.settings}>{t('notify.unsubscribe.settings')}</Link>}
    >
      {outcome === 'ask' ? (
        <Button busy={busy} className="button-block" onClick={() => void unsubscribe()}>
          {t('notify.unsubscribe.submit')}
        </Button>
      ) : (
        <FormMessage tone={outcome === 'done' ? 'success' : 'error'}>{t(`notify.unsubscribe.${outcome}`)}</FormMessage>
      )}
    </AuthLayout>
  );
}
