/**
 * Choosing a new password (A6), from the emailed link (`?token=`) or with the address and
 * the code typed from the email. A reset ends every session, so afterwards one signs in.
 */
import { PASSWORD_MAX, PASSWORD_MIN } from '@parley/protocol';
import { ParleyApiError } from '@parley/sdk';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parley } from '../../api/client.js';
import { type ErrorExplanation, explainError, formMessage, messageFor } from '../../api/errors.js';
import { Button } from '../../components/Button.js';
import { FormMessage, PasswordField, TextField } from '../../components/fields.js';
import { Link } from '../../components/Link.js';
import { ROUTES } from '../../state/router.js';
import { AuthLayout } from '../AuthLayout.js';

const FIELDS = ['email', 'code', 'password'] as const;

export function ResetPasswordView() {
  const { t } = useTranslation();
  const params = new URLSearchParams(window.location.search);
  const token = params.get('token');
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<ErrorExplanation | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!token && !email.trim()) return setProblem({ field: 'email', message: t('errors.required') });
    if (!token && !code.trim()) return setProblem({ field: 'code', message: t('errors.required') });
    const length = [...password.normalize('NFC')].length;
    if (length < PASSWORD_MIN || length > PASSWORD_MAX) {
      return setProblem({ field: 'password', message: t('errors.passwordLength', { min: PASSWORD_MIN, max: PASSWORD_MAX }) });
    }
    setBusy(true);
    setProblem(null);
    try {
      await parley.notifications.confirmPasswordReset(token ? { token, password } : { email: email.trim(), code: code.trim(), password });
      setDone(true);
    } catch (error) {
      const invalid = error instanceof ParleyApiError && error.code === 'invalid_token';
      setProblem(invalid ? { field: null, message: t('notify.reset.invalid') } : explainError(error, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthLayout
      title={t('notify.reset.title')}
      subtitle={t('notify.reset.subtitle')}
      footer={<Link href={ROUTES.forgotPassword}>{t('notify.reset.again')}</Link>}
    >
      {done ? (
        <>
          <FormMessage tone="success">{t('notify.reset.done')}</FormMessage>
          <Link href={ROUTES.signIn}>{t('notify.reset.toSignIn')}</Link>
        </>
      ) : (
        <form className="form" onSubmit={submit} noValidate>
          {!token && (
            <>
              <TextField
                label={t('auth.email')}
                name="email"
                type="email"
                autoComplete="email"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                error={messageFor(problem, 'email')}
              />
              <TextField
                label={t('notify.reset.code')}
                name="code"
                inputMode="numeric"
                autoComplete="one-time-code"
                value={code}
                onChange={(e) => setCode(e.target.value)}
                error={messageFor(problem, 'code')}
              />
            </>
          )}
          <PasswordField
            label={t('notify.reset.newPassword')}
            name="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            hint={t('auth.passwordHint', { min: PASSWORD_MIN, max: PASSWORD_MAX })}
            error={messageFor(problem, 'password')}
          />
          <FormMessage tone="error">{formMessage(problem, FIELDS)}</FormMessage>
          <Button type="submit" busy={busy} className="button-block">
            {busy ? t('notify.reset.saving') : t('notify.reset.submit')}
          </Button>
        </form>
      )}
    </AuthLayout>
  );
}
