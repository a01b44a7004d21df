/** Sign in with a username or an email address. */
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parley } from '../api/client.js';
import { type ErrorExplanation, explainError, formMessage, messageFor } from '../api/errors.js';
import { Button } from '../components/Button.js';
import { FormMessage, PasswordField, TextField } from '../components/fields.js';
import { Link } from '../components/Link.js';
import { ROUTES } from '../state/router.js';
import { type SignedOutNotice, useSession } from '../state/session.js';
import { AuthLayout } from './AuthLayout.js';
import { isUnverified, useMailConfigured, VerificationPending } from './account/VerificationPending.js';

const FIELDS = ['login', 'password'] as const;

export function SignInView({ notice }: { notice: SignedOutNotice | null }) {
  const { t } = useTranslation();
  const session = useSession();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<ErrorExplanation | null>(null);
  const [busy, setBusy] = useState(false);
  const [unverified, setUnverified] = useState(false);
  const mail = useMailConfigured();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!login.trim() || !password) {
      setProblem({ field: login.trim() ? 'password' : 'login', message: t('errors.required') });
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const result = await parley.auth.login({ login: login.trim(), password });
      session.signedIn(result.user);
    } catch (error) {
      setUnverified(isUnverified(error));
      setProblem(isUnverified(error) ? null : explainError(error, t));
      setBusy(false);
    }
  };

  return (
    <AuthLayout
      title={t('auth.signInTitle')}
      subtitle={t('auth.signInSubtitle')}
      footer={
        <>
          {t('auth.noAccount')} <Link href={ROUTES.signUp}>{t('auth.toSignUp')}</Link>
        </>
      }
    >
      {notice && !problem && !unverified && <FormMessage tone="info">{t(`auth.notice.${notice}`)}</FormMessage>}
      {unverified && <VerificationPending email={login.includes('@') ? login.trim() : null} />}
      <form className="form" onSubmit={submit} noValidate>
        <TextField
          label={t('auth.login')}
          name="login"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          value={login}
          onChange={(e) => setLogin(e.target.value)}
          error={messageFor(problem, 'login')}
          required
        />
        <PasswordField
          label={t('auth.password')}
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={messageFor(problem, 'password')}
          required
        />
        <FormMessage tone="error">{formMessage(problem, FIELDS)}</FormMessage>
        <Button type="submit" busy={busy} className="button-block">
          {busy ? t('auth.signingIn') : t('auth.signIn')}
        </Button>
        {mail && (
          <p className="auth-aside">
            <Link href={ROUTES.forgotPassword}>{t('notify.signIn.forgot')}</Link>
          </p>
        )}
      </form>
    </AuthLayout>
  );
}
