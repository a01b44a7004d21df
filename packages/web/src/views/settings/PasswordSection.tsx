/** Change password; the server ends every other session, and the form says so. */
import { PASSWORD_MAX, PASSWORD_MIN } from '@parley/protocol';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parley } from '../../api/client.js';
import { type ErrorExplanation, explainError, formMessage, messageFor } from '../../api/errors.js';
import { Button } from '../../components/Button.js';
import { FormMessage, PasswordField } from '../../components/fields.js';
import { useMe } from '../../state/session.js';
import { Section } from './Section.js';

const FIELDS = ['oldPassword', 'newPassword'] as const;

export function PasswordSection({ onChanged }: { onChanged(): void }) {
  const { t } = useTranslation();
  const me = useMe();
  const [oldPassword, setOldPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [problem, setProblem] = useState<ErrorExplanation | null>(null);
  const [changed, setChanged] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setChanged(false);
    const length = [...newPassword.normalize('NFC')].length;
    if (!oldPassword) return setProblem({ field: 'oldPassword', message: t('errors.required') });
    if (length < PASSWORD_MIN || length > PASSWORD_MAX) {
      return setProblem({ field: 'newPassword', message: t('errors.passwordLength', { min: PASSWORD_MIN, max: PASSWORD_MAX }) });
    }
    setBusy(true);
    setProblem(null);
    try {
      await parley.auth.changePassword({ oldPassword, newPassword });
      setOldPassword('');
      setNewPassword('');
      setChanged(true);
      onChanged();
    } catch (error) {
      setProblem(explainError(error, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section title={t('settings.password.title')}>
      <form className="form" onSubmit={submit} noValidate>
        {/* Lets password managers file the new password under the right account. */}
        <input type="text" name="username" autoComplete="username" hidden readOnly value={me.username} />
        <PasswordField
          label={t('settings.password.current')}
          name="oldPassword"
          autoComplete="current-password"
          value={oldPassword}
          onChange={(e) => setOldPassword(e.target.value)}
          error={messageFor(problem, 'oldPassword')}
          required
        />
        <PasswordField
          label={t('settings.password.new')}
          name="newPassword"
          autoComplete="new-password"
          value={newPassword}
          onChange={(e) => setNewPassword(e.target.value)}
          hint={t('auth.passwordHint', { min: PASSWORD_MIN, max: PASSWORD_MAX })}
          error={messageFor(problem, 'newPassword')}
          required
        />
        <FormMessage tone={problem ? 'error' : 'success'}>
          {formMessage(problem, FIELDS) ?? (changed ? t('settings.password.changed') : undefined)}
        </FormMessage>
        <div className="form-actions">
          <Button type="submit" busy={busy}>
            {busy ? t('settings.password.saving') : t('settings.password.save')}
          </Button>
        </div>
      </form>
    </Section>
  );
}
