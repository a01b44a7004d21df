/** Deleting the account: a deliberate two-step action that asks for the password. */
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parley } from '../../api/client.js';
import { type ErrorExplanation, explainError, formMessage, messageFor } from '../../api/errors.js';
import { Button } from '../../components/Button.js';
import { FormMessage, PasswordField } from '../../components/fields.js';
import { expectSessionEnd } from '../../state/connection.js';
import { useSession } from '../../state/session.js';
import { Section } from './Section.js';

export function DeleteAccountSection() {
  const { t } = useTranslation();
  const session = useSession();
  const [confirming, setConfirming] = useState(false);
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<ErrorExplanation | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!password) return setProblem({ field: 'password', message: t('errors.required') });
    setBusy(true);
    setProblem(null);
    expectSessionEnd(true);
    try {
      await parley.users.deleteMe(password);
      session.signedOut('accountDeleted');
    } catch (error) {
      expectSessionEnd(false);
      setProblem(explainError(error, t));
      setBusy(false);
    }
  };

  const cancel = () => {
    setConfirming(false);
    setPassword('');
    setProblem(null);
  };

  return (
    <Section title={t('settings.deleteAccount.title')} description={t('settings.deleteAccount.warning')} tone="danger">
      {confirming ? (
        <form className="form" onSubmit={submit} noValidate>
          <PasswordField
            label={t('settings.deleteAccount.password')}
            name="deletePassword"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={messageFor(problem, 'password')}
            // The person just asked for this field by pressing the button: take them there.
            autoFocus
            required
          />
          <FormMessage tone="error">{formMessage(problem, ['password'])}</FormMessage>
          <div className="form-actions">
            <Button variant="ghost" onClick={cancel}>
              {t('settings.deleteAccount.cancel')}
            </Button>
            <Button type="submit" variant="danger" busy={busy}>
              {busy ? t('settings.deleteAccount.deleting') : t('settings.deleteAccount.confirm')}
            </Button>
          </div>
        </form>
      ) : (
        <div className="form-actions form-actions-start">
          <Button variant="danger" onClick={() => setConfirming(true)}>
            {t('settings.deleteAccount.start')}
          </Button>
        </div>
      )}
    </Section>
  );
}
