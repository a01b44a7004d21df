/**
 * Create an account: email, username (checked live while typing) and password. Problems
 * found here or by the server are shown next to the field they concern.
 */
import { PASSWORD_MAX, PASSWORD_MIN } from '@parley/protocol';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parley } from '../api/client.js';
import { type ErrorExplanation, explainError, formMessage, messageFor } from '../api/errors.js';
import { Button } from '../components/Button.js';
import { FormMessage, PasswordField, TextField } from '../components/fields.js';
import { CheckIcon, CrossIcon } from '../components/icons.js';
import { Link } from '../components/Link.js';
import { inviteFromLocation } from '../state/admin.js';
import { ROUTES } from '../state/router.js';
import { useSession } from '../state/session.js';
import { type Availability, normalizedUsername, useUsernameAvailability } from '../state/username-availability.js';
import { AuthLayout } from './AuthLayout.js';
import { isUnverified, useMailConfigured, VerificationPending } from './account/VerificationPending.js';

const FIELDS = ['email', 'username', 'password'] as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks the server would make anyway, done first so the person hears about them sooner. */
export function localProblem(form: { email: string; username: string; password: string }, availability: Availability) {
  const length = [...form.password.normalize('NFC')].length;
  if (!EMAIL.test(form.email.trim())) return { field: 'email', key: form.email.trim() ? 'errors.emailFormat' : 'errors.required' } as const;
  if (normalizedUsername(form.username) === null) {
    return { field: 'username', key: form.username.trim() ? 'errors.usernameFormat' : 'errors.required' } as const;
  }
  if (availability === 'taken') return { field: 'username', key: 'errors.usernameTaken' } as const;
  if (length < PASSWORD_MIN || length > PASSWORD_MAX) {
    return { field: 'password', key: length === 0 ? 'errors.required' : 'errors.passwordLength' } as const;
  }
  return null;
}

function AvailabilityStatus({ availability, username }: { availability: Availability; username: string }) {
  const { t } = useTranslation();
  switch (availability) {
    case 'checking':
      return <p className="field-status">{t('auth.availability.checking')}</p>;
    case 'available':
      return (
        <p className="field-status field-status-ok">
          <CheckIcon />
          <span>{t('auth.availability.available', { username })}</span>
        </p>
      );
    case 'taken':
      return (
        <p className="field-status field-status-bad">
          <CrossIcon />
          <span>{t('auth.availability.taken', { username })}</span>
        </p>
      );
    case 'unknown':
      return <p className="field-status">{t('auth.availability.unknown')}</p>;
    default:
      return null;
  }
}

export function SignUpView() {
  const { t } = useTranslation();
  const session = useSession();
  const [form, setForm] = useState({ email: '', username: '', password: '' });
  const [problem, setProblem] = useState<ErrorExplanation | null>(null);
  const [busy, setBusy] = useState(false);
  const { availability, username } = useUsernameAvailability(form.username);
  const mail = useMailConfigured();
  const [pendingEmail, setPendingEmail] = useState<string | null>(null);

  const edit = (field: keyof typeof form) => (event: { target: { value: string } }) => {
    setForm((current) => ({ ...current, [field]: event.target.value }));
    if (problem?.field === field) setProblem(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const local = localProblem(form, availability);
    if (local) {
      setProblem({ field: local.field, message: t(local.key, { min: PASSWORD_MIN, max: PASSWORD_MAX }) });
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      // An invite link (admin console) carries the code an invite-only server asks for.
      const invite = inviteFromLocation();
      const result = await parley.auth.register({
        email: form.email.trim(),
        username: form.username.trim(),
        password: form.password,
        ...(invite && { invite }),
      });
      session.signedIn(result.user);
    } catch (error) {
      // REQUIRE_EMAIL_VERIFICATION: the account exists; signing in waits for the link.
      if (isUnverified(error)) setPendingEmail(form.email.trim());
      else setProblem(explainError(error, t));
      setBusy(false);
    }
  };

  return (
    <AuthLayout
      title={t('auth.signUpTitle')}
      subtitle={t('auth.signUpSubtitle')}
      footer={
        <>
          {t('auth.haveAccount')} <Link href={ROUTES.signIn}>{t('auth.toSignIn')}</Link>
        </>
      }
    >
      {pendingEmail && <VerificationPending email={pendingEmail} />}
      <form className="form" onSubmit={submit} noValidate hidden={pendingEmail !== null}>
        <TextField
          label={t('auth.email')}
          name="email"
          type="email"
          autoComplete="email"
          autoCapitalize="none"
          spellCheck={false}
          value={form.email}
          onChange={edit('email')}
          hint={mail === null ? undefined : mail ? t('notify.signUp.emailHint') : t('notify.signUp.noMailHint')}
          error={messageFor(problem, 'email')}
          required
        />
        <TextField
          label={t('auth.username')}
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={32}
          value={form.username}
          onChange={edit('username')}
          hint={t('auth.usernameHint')}
          error={messageFor(problem, 'username')}
          status={<AvailabilityStatus availability={availability} username={username} />}
          required
        />
        <PasswordField
          label={t('auth.password')}
          name="password"
          autoComplete="new-password"
          value={form.password}
          onChange={edit('password')}
          hint={t('auth.passwordHint', { min: PASSWORD_MIN, max: PASSWORD_MAX })}
          error={messageFor(problem, 'password')}
          required
        />
        <FormMessage tone="error">{formMessage(problem, FIELDS)}</FormMessage>
        <Button type="submit" busy={busy} className="button-block">
          {busy ? t('auth.signingUp') : t('auth.signUp')}
        </Button>
      </form>
    </AuthLayout>
  );
}
