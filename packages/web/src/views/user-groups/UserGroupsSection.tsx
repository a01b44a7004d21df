/**
 * Settings → User groups (E20): the groups people can @mention, and a form to create one
 * (handle, name, members). Groups you created can be deleted here.
 */
import type { PublicUser } from '@parley/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parley } from '../../api/client.js';
import { explainError } from '../../api/errors.js';
import { Button } from '../../components/Button.js';
import { FormMessage, TextField } from '../../components/fields.js';
import { PeoplePicker } from '../../components/PeoplePicker.js';
import { useMe } from '../../state/session.js';
import { showToast } from '../../state/toasts.js';
import { loadUserGroups, useUserGroups } from '../../state/user-groups.js';
import { Section } from '../settings/Section.js';
import './user-groups.css';

export function UserGroupsSection() {
  const { t } = useTranslation();
  const me = useMe();
  const groups = useUserGroups();
  const [handle, setHandle] = useState('');
  const [name, setName] = useState('');
  const [members, setMembers] = useState<PublicUser[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toggle = (user: PublicUser) =>
    setMembers((current) => (current.some((m) => m.id === user.id) ? current.filter((m) => m.id !== user.id) : [...current, user]));

  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      await parley.userGroups.create({ handle: handle.trim(), name: name.trim(), memberIds: [me.id, ...members.map((m) => m.id)] });
      await loadUserGroups();
      setHandle('');
      setName('');
      setMembers([]);
    } catch (failure) {
      setError(explainError(failure, t).message);
    } finally {
      setBusy(false);
    }
  };
  const remove = (id: string) =>
    parley.userGroups.delete(id).then(loadUserGroups, (failure: unknown) => showToast(explainError(failure, t).message, 'error'));

  return (
    <Section title={t('userGroups.title')} description={t('userGroups.description')}>
      <ul className="user-groups">
        {groups.map((group) => (
          <li key={group.id} className="user-group">
            <span className="user-group-handle">@{group.handle}</span>
            <bdi className="user-group-name">{group.name}</bdi>
            <span className="user-group-count">{t('userGroups.members', { count: group.memberIds.length })}</span>
            {group.creatorId === me.id && (
              <button type="button" className="link-button" onClick={() => void remove(group.id)}>
                {t('userGroups.delete')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <TextField
        label={t('userGroups.handle')}
        hint={t('userGroups.handleHint')}
        value={handle}
        maxLength={32}
        onChange={(e) => setHandle(e.target.value)}
      />
      <TextField label={t('userGroups.name')} value={name} maxLength={64} onChange={(e) => setName(e.target.value)} />
      <PeoplePicker label={t('userGroups.addMembers')} excludeIds={[me.id]} selected={members} onToggle={toggle} />
      <FormMessage tone="error">{error}</FormMessage>
      <Button busy={busy} disabled={handle.trim().length < 3 || name.trim() === ''} onClick={() => void create()}>
        {t('userGroups.create')}
      </Button>
    </Section>
  );
}
