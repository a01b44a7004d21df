/**
 * "Forgot password?" (A6): asks for the address and says the same thing whatever the
 * answer — an email with a link and a code goes out only if an account uses it.
 */
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parley } from '../../api/client.js';
import { type ErrorExplanation, explainError, formMessage, messageFor } from '../../api/errors.js';
import { Button } from '../../components/Button.js';
import { FormMessage, TextField } from '../../components/fields.js';
import { Link } from '../../components/Link.js';
import { currentLanguage } from '../../i18n/index.js';
import { ROUTES } from '../../state/router.js';
import { AuthLayout } from '../AuthLayout.js';
import { useMailConfigured } from './VerificationPending.js';

export function ForgotPasswordView() {
  const { t } = useTranslation();
  const mail = useMailConfigured();
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [problem, setProblem] = useState<ErrorExplanation | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!email.trim()) return setProblem({ field: 'email', message: t('errors.required') });
    setBusy(true);
    setProblem(null);
    try {
      await parley.notifications.requestPasswordReset({ email: email.trim(), language: currentLanguage() });
      setSentTo(email.trim());
    } catch (error) {
      setProblem(explainError(error, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthLayout
      title={t('notify.forgot.title')}
      subtitle={t('notify.forgot.subtitle')}
      footer={<Link href={ROUTES.signIn}>{t('notify.forgot.back')}</Link>}
    >
      {mail === false ? (
        <FormMessage tone="info">{t('notify.forgot.noMail')}</FormMessage>
      ) : sentTo ? (
        <>
          <FormMessage tone="success">{t('notify.forgot.sent', { email: sentTo })}</FormMessage>
          <Link href={`${ROUTES.resetPassword}?email=${encodeURIComponent(sentTo)}`}>{t('notify.forgot.haveCode')}</Link>
        </>
      ) : (
        <form className="form" onSubmit={submit} noValidate>
          <TextField
            label={t('auth.email')}
            name="email"
            type="email"
            autoComplete="email"
            autoCapitalize="none"
            spellCheck={false}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={messageFor(problem, 'email')}
            required
          />
          <FormMessage tone="error">{formMessage(problem, ['email'])}</FormMessage>
          <Button type="submit" busy={busy} className="button-block">
            {busy ? t('notify.forgot.sending') : t('notify.forgot.submit')}
          </Button>
        </form>
      )}
    </AuthLayout>
  );
}
