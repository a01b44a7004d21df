/** The account's email: whether it is confirmed (resend the link), and changing it — the new address must be confirmed before it replaces the old. */
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parley } from '../../api/client.js';
import { type ErrorExplanation, explainError, formMessage, messageFor } from '../../api/errors.js';
import { Button } from '../../components/Button.js';
import { FormMessage, PasswordField, TextField } from '../../components/fields.js';
import { useServerInfo } from '../../state/notification-settings.js';
import { useMe } from '../../state/session.js';
import { Section } from './Section.js';

const FIELDS = ['email', 'password'] as const;

export function EmailSection() {
  const { t } = useTranslation();
  const me = useMe();
  const info = useServerInfo();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<ErrorExplanation | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [resent, setResent] = useState(false);
  const mail = info?.mail ?? false;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!email.trim()) return setProblem({ field: 'email', message: t('errors.required') });
    if (!password) return setProblem({ field: 'password', message: t('errors.required') });
    setBusy(true);
    setProblem(null);
    try {
      await parley.notifications.changeEmail({ email: email.trim(), password });
      setSentTo(email.trim());
      setEmail('');
      setPassword('');
    } catch (error) {
      setProblem(explainError(error, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section title={t('notify.email.title')}>
      <div className="setting-row">
        <div>
          <p className="session-device">{me.email}</p>
          <p className="field-hint">{me.emailVerified ? t('notify.email.verified') : t('notify.email.unverified')}</p>
        </div>
        {!me.emailVerified && mail && (
          <Button
            variant="secondary"
            disabled={resent}
            onClick={() => void parley.notifications.resendVerification().then(() => setResent(true))}
          >
            {resent ? t('notify.banner.sent') : t('notify.banner.resend')}
          </Button>
        )}
      </div>
      {mail && (
        <form className="form" onSubmit={submit} noValidate>
          <input type="text" name="username" autoComplete="username" hidden readOnly value={me.username} />
          <TextField
            label={t('notify.email.newEmail')}
            name="email"
            type="email"
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={messageFor(problem, 'email')}
          />
          <PasswordField
            label={t('notify.email.password')}
            name="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={messageFor(problem, 'password')}
          />
          <FormMessage tone={problem ? 'error' : 'success'}>
            {formMessage(problem, FIELDS) ?? (sentTo ? t('notify.email.sent', { email: sentTo }) : undefined)}
          </FormMessage>
          <div className="form-actions">
            <Button type="submit" busy={busy}>
              {t('notify.email.submit')}
            </Button>
          </div>
        </form>
      )}
    </Section>
  );
}
