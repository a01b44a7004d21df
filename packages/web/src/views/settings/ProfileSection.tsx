/** Display name, status line and bio (PATCH /users/me); only changed fields are sent. */

import type { UpdateMeBody } from '@parley/protocol';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parley } from '../../api/client.js';
import { type ErrorExplanation, explainError, formMessage, messageFor } from '../../api/errors.js';
import { Button } from '../../components/Button.js';
import { FormMessage, TextAreaField, TextField } from '../../components/fields.js';
import { useMe, useSession } from '../../state/session.js';
import { AvatarPicker } from '../attachments/AvatarPicker.js';
import { Section } from './Section.js';

const LIMITS = { displayName: 64, statusText: 140, bio: 1000 } as const;
const FIELDS = ['displayName', 'statusText', 'bio'] as const;

function CharactersLeft({ value, max }: { value: string; max: number }) {
  const { t } = useTranslation();
  const left = max - [...value].length;
  // Only worth showing when the limit is near; it would be noise otherwise.
  if (left > max * 0.2) return null;
  return <span className="field-counter">{t('settings.profile.charactersLeft', { count: left })}</span>;
}

export function ProfileSection() {
  const { t } = useTranslation();
  const me = useMe();
  const session = useSession();
  const [form, setForm] = useState({ displayName: me.displayName, statusText: me.statusText, bio: me.bio });
  const [problem, setProblem] = useState<ErrorExplanation | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const changes: UpdateMeBody = {};
  if (form.displayName.trim() !== me.displayName) changes.displayName = form.displayName.trim();
  if (form.statusText.trim() !== me.statusText) changes.statusText = form.statusText.trim();
  if (form.bio !== me.bio) changes.bio = form.bio;
  const dirty = Object.keys(changes).length > 0;

  const edit = (field: (typeof FIELDS)[number]) => (event: { target: { value: string } }) => {
    setForm((current) => ({ ...current, [field]: event.target.value }));
    setSaved(false);
    if (problem?.field === field) setProblem(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!dirty) return;
    if (changes.displayName === '') {
      setProblem({ field: 'displayName', message: t('errors.required') });
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const updated = await parley.users.updateMe(changes);
      session.meChanged(updated);
      setForm({ displayName: updated.displayName, statusText: updated.statusText, bio: updated.bio });
      setSaved(true);
    } catch (error) {
      setProblem(explainError(error, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section title={t('settings.profile.title')}>
      <div className="profile-card">
        <AvatarPicker me={me} name={form.displayName || me.displayName} onChanged={session.meChanged} />
        <div>
          <p className="profile-card-name">{me.displayName}</p>
          <p className="profile-card-meta">
            @{me.username} · {me.email}
          </p>
        </div>
      </div>
      <form className="form" onSubmit={submit} noValidate>
        <TextField
          label={t('settings.profile.displayName')}
          name="displayName"
          autoComplete="nickname"
          maxLength={LIMITS.displayName}
          value={form.displayName}
          onChange={edit('displayName')}
          counter={<CharactersLeft value={form.displayName} max={LIMITS.displayName} />}
          error={messageFor(problem, 'displayName')}
          required
        />
        <TextField
          label={t('settings.profile.status')}
          name="statusText"
          placeholder={t('settings.profile.statusPlaceholder')}
          maxLength={LIMITS.statusText}
          value={form.statusText}
          onChange={edit('statusText')}
          hint={t('settings.profile.statusHint')}
          counter={<CharactersLeft value={form.statusText} max={LIMITS.statusText} />}
          error={messageFor(problem, 'statusText')}
        />
        <TextAreaField
          label={t('settings.profile.bio')}
          name="bio"
          rows={3}
          maxLength={LIMITS.bio}
          value={form.bio}
          onChange={edit('bio')}
          hint={t('settings.profile.bioHint')}
          counter={<CharactersLeft value={form.bio} max={LIMITS.bio} />}
          error={messageFor(problem, 'bio')}
        />
        <FormMessage tone={problem ? 'error' : 'success'}>
          {formMessage(problem, FIELDS) ?? (saved ? t('settings.profile.saved') : undefined)}
        </FormMessage>
        <div className="form-actions">
          <Button type="submit" busy={busy} disabled={!dirty}>
            {busy ? t('settings.profile.saving') : t('settings.profile.save')}
          </Button>
        </div>
      </form>
    </Section>
  );
}
