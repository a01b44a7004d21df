/** People on the server: search, then suspend, lift, sign out everywhere, change role or delete. */
import type { AdminUser, ServerRole } from '@parley/protocol';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/Button.js';
import { Dialog } from '../../components/Dialog.js';
import { FormMessage, TextField } from '../../components/fields.js';
import { formatRelative } from '../../i18n/format.js';
import { adminActions } from '../../state/admin.js';
import { useMe } from '../../state/session.js';
import { AdminSearch } from './AdminSearch.js';
import { useAction, useLoad } from './use-load.js';

const ROLES: ServerRole[] = ['user', 'moderator', 'admin'];

function StatusBadge({ user }: { user: AdminUser }) {
  const { t } = useTranslation();
  if (user.deleted) return <span className="admin-badge">{t('admin.users.deleted')}</span>;
  if (user.suspended)
    return (
      <span className="admin-badge admin-badge-danger" title={t('admin.users.suspendedBecause', { reason: user.suspendedReason ?? '' })}>
        {t('admin.users.suspended')}
      </span>
    );
  return <span className="admin-badge admin-badge-ok">{t('admin.users.active')}</span>;
}

function SuspendDialog({ user, onClose, onDone }: { user: AdminUser; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const action = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await action.run('suspend', () => adminActions.suspend(user.id, reason.trim()))) onDone();
  };
  return (
    <Dialog title={t('admin.users.suspendTitle', { name: user.displayName })} onClose={onClose}>
      <form className="admin-dialog-form" onSubmit={submit}>
        <p>{t('admin.users.suspendHelp')}</p>
        <TextField
          label={t('admin.users.suspendReason')}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          required
          maxLength={500}
        />
        <FormMessage tone="error">{action.error}</FormMessage>
        <div className="admin-dialog-actions">
          <Button variant="secondary" onClick={onClose}>
            {t('admin.cancel')}
          </Button>
          <Button type="submit" variant="danger" busy={action.busy === 'suspend'} disabled={!reason.trim()}>
            {t('admin.users.suspend')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function UserActions({ user, onChanged }: { user: AdminUser; onChanged(): void }) {
  const { t } = useTranslation();
  const me = useMe();
  const action = useAction();
  const [dialog, setDialog] = useState<'suspend' | 'delete' | null>(null);
  const isAdmin = me.role === 'admin';
  const self = user.id === me.id;
  const act = async (name: string, work: () => Promise<unknown>) => {
    if (await action.run(name, work)) onChanged();
  };
  if (user.deleted) return null;
  return (
    <div className="admin-actions">
      {user.suspended ? (
        <Button
          variant="secondary"
          busy={action.busy === 'unsuspend'}
          onClick={() => act('unsuspend', () => adminActions.unsuspend(user.id))}
        >
          {t('admin.users.unsuspend')}
        </Button>
      ) : (
        // A moderator may suspend plain users only (access/server-access.ts).
        !self &&
        (isAdmin || user.role === 'user') && (
          <Button variant="secondary" onClick={() => setDialog('suspend')}>
            {t('admin.users.suspend')}
          </Button>
        )
      )}
      {isAdmin && (
        <Button variant="secondary" busy={action.busy === 'reset'} onClick={() => act('reset', () => adminActions.resetSessions(user.id))}>
          {t('admin.users.resetSessions')}
        </Button>
      )}
      {isAdmin && !self && (
        <label className="admin-inline-field">
          <span>{t('admin.users.changeRole')}</span>
          <select
            className="input"
            value={user.role}
            onChange={(e) => act('role', () => adminActions.setRole(user.id, e.target.value as ServerRole))}
          >
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {t(`admin.roles.${role}`)}
              </option>
            ))}
          </select>
        </label>
      )}
      {isAdmin && !self && (
        <Button variant="danger" onClick={() => setDialog('delete')}>
          {t('admin.users.delete')}
        </Button>
      )}
      {action.error && <FormMessage tone="error">{action.error}</FormMessage>}
      {dialog === 'suspend' && (
        <SuspendDialog
          user={user}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            onChanged();
          }}
        />
      )}
      {dialog === 'delete' && (
        <Dialog title={t('admin.users.deleteTitle', { name: user.displayName })} onClose={() => setDialog(null)}>
          <p>{t('admin.users.deleteBody')}</p>
          <div className="admin-dialog-actions">
            <Button variant="secondary" onClick={() => setDialog(null)}>
              {t('admin.cancel')}
            </Button>
            <Button
              variant="danger"
              busy={action.busy === 'delete'}
              onClick={async () => {
                await act('delete', () => adminActions.deleteUser(user.id));
                setDialog(null);
              }}
            >
              {t('admin.users.delete')}
            </Button>
          </div>
        </Dialog>
      )}
    </div>
  );
}

export function UsersTab() {
  const { t, i18n } = useTranslation();
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const [load, reload] = useLoad(() => adminActions.users({ ...(search && { q: search }), limit: 100 }), search);
  return (
    <section className="admin-section" aria-label={t('admin.tabs.users')}>
      <AdminSearch label={t('admin.users.searchLabel')} hint={t('admin.users.searchHint')} onSearch={setSearch} />
      {load.status === 'failed' && <FormMessage tone="error">{t('admin.loadFailed', { reason: load.message })}</FormMessage>}
      {load.status === 'loaded' && load.value.items.length === 0 && <p className="admin-empty">{t('admin.users.empty')}</p>}
      {load.status === 'loaded' && load.value.items.length > 0 && (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">{t('admin.users.name')}</th>
              <th scope="col">{t('admin.users.role')}</th>
              <th scope="col">{t('admin.users.status')}</th>
              <th scope="col">{t('admin.users.sessions')}</th>
              <th scope="col">{t('admin.users.lastSeen')}</th>
            </tr>
          </thead>
          <tbody>
            {load.value.items.map((user) => (
              <UserRows
                key={user.id}
                user={user}
                open={open === user.id}
                onToggle={() => setOpen(open === user.id ? null : user.id)}
                onChanged={() => void reload()}
                lastSeen={user.lastSeenAt ? (formatRelative(user.lastSeenAt, i18n.language) ?? t('time.justNow')) : t('admin.never')}
              />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function UserRows({
  user,
  open,
  onToggle,
  onChanged,
  lastSeen,
}: {
  user: AdminUser;
  open: boolean;
  onToggle(): void;
  onChanged(): void;
  lastSeen: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      <tr className="admin-row" data-open={open || undefined}>
        <td>
          <button type="button" className="admin-row-toggle" aria-expanded={open} onClick={onToggle}>
            <span className="admin-name">{user.displayName}</span>
            <span className="admin-sub">
              @{user.username}
              {user.email && ` · ${user.email}`}
            </span>
          </button>
          {user.bot && <span className="admin-badge">{t('admin.users.bot')}</span>}
        </td>
        <td>{t(`admin.roles.${user.role}`)}</td>
        <td>
          <StatusBadge user={user} />
        </td>
        <td>{user.sessions}</td>
        <td>{lastSeen}</td>
      </tr>
      {open && (
        <tr className="admin-row-detail">
          <td colSpan={5}>
            {user.suspended && user.suspendedReason && <p>{t('admin.users.suspendedBecause', { reason: user.suspendedReason })}</p>}
            <UserActions user={user} onChanged={onChanged} />
          </td>
        </tr>
      )}
    </>
  );
}
