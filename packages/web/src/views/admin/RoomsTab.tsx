/** Groups and rooms on the server: archive, a new owner, retention, delete. */
import type { AdminRoom } from '@parley/protocol';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/Button.js';
import { Dialog } from '../../components/Dialog.js';
import { FormMessage, TextField } from '../../components/fields.js';
import { adminActions } from '../../state/admin.js';
import { useMe } from '../../state/session.js';
import { AdminSearch } from './AdminSearch.js';
import { useAction, useLoad } from './use-load.js';

function RoomActions({ room, onChanged }: { room: AdminRoom; onChanged(): void }) {
  const { t } = useTranslation();
  const action = useAction();
  const [owner, setOwner] = useState('');
  const [retention, setRetention] = useState(room.retentionDays === null ? '' : String(room.retentionDays));
  const [confirmDelete, setConfirmDelete] = useState(false);
  const act = async (name: string, work: () => Promise<unknown>) => {
    if (await action.run(name, work)) onChanged();
  };
  const changeOwner = (event: FormEvent) => {
    event.preventDefault();
    const username = owner.trim().toLowerCase();
    void act('owner', async () => {
      const { items } = await adminActions.users({ q: username, limit: 5 });
      const person = items.find((u) => u.username === username);
      if (!person) throw new Error(t('admin.rooms.ownerNotFound', { username }));
      await adminActions.updateRoom(room.id, { ownerId: person.id });
    });
  };
  const saveRetention = (event: FormEvent) => {
    event.preventDefault();
    const days = retention.trim() === '' ? null : Number(retention);
    void act('retention', () => adminActions.updateRoom(room.id, { retentionDays: days }));
  };
  return (
    <div className="admin-actions">
      <Button
        variant="secondary"
        busy={action.busy === 'archive'}
        onClick={() => act('archive', () => adminActions.updateRoom(room.id, { archived: !room.archived }))}
      >
        {room.archived ? t('admin.rooms.unarchive') : t('admin.rooms.archive')}
      </Button>
      <form className="admin-inline-form" onSubmit={changeOwner}>
        <TextField label={t('admin.rooms.newOwner')} value={owner} onChange={(e) => setOwner(e.target.value)} required />
        <Button type="submit" variant="secondary" busy={action.busy === 'owner'}>
          {t('admin.rooms.changeOwner')}
        </Button>
      </form>
      <form className="admin-inline-form" onSubmit={saveRetention}>
        <TextField
          label={t('admin.rooms.retention')}
          hint={t('admin.rooms.retentionHint')}
          type="number"
          min={1}
          max={36500}
          value={retention}
          onChange={(e) => setRetention(e.target.value)}
        />
        <Button type="submit" variant="secondary" busy={action.busy === 'retention'}>
          {t('admin.save')}
        </Button>
      </form>
      <Button variant="danger" onClick={() => setConfirmDelete(true)}>
        {t('admin.rooms.delete')}
      </Button>
      {action.error && <FormMessage tone="error">{action.error}</FormMessage>}
      {confirmDelete && (
        <Dialog title={t('admin.rooms.deleteTitle', { name: room.name })} onClose={() => setConfirmDelete(false)}>
          <p>{t('admin.rooms.deleteBody')}</p>
          <div className="admin-dialog-actions">
            <Button variant="secondary" onClick={() => setConfirmDelete(false)}>
              {t('admin.cancel')}
            </Button>
            <Button
              variant="danger"
              busy={action.busy === 'delete'}
              onClick={async () => {
                await act('delete', () => adminActions.deleteRoom(room.id));
                setConfirmDelete(false);
              }}
            >
              {t('admin.rooms.delete')}
            </Button>
          </div>
        </Dialog>
      )}
    </div>
  );
}

export function RoomsTab() {
  const { t } = useTranslation();
  const me = useMe();
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const [load, reload] = useLoad(() => adminActions.rooms({ ...(search && { q: search }), limit: 100 }), search);
  return (
    <section className="admin-section" aria-label={t('admin.tabs.rooms')}>
      <AdminSearch label={t('admin.rooms.searchLabel')} onSearch={setSearch} />
      {load.status === 'failed' && <FormMessage tone="error">{t('admin.loadFailed', { reason: load.message })}</FormMessage>}
      {load.status === 'loaded' && load.value.items.length === 0 && <p className="admin-empty">{t('admin.rooms.empty')}</p>}
      {load.status === 'loaded' && load.value.items.length > 0 && (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">{t('admin.rooms.name')}</th>
              <th scope="col">{t('admin.rooms.owner')}</th>
              <th scope="col">{t('admin.rooms.members')}</th>
              <th scope="col">{t('admin.rooms.messages')}</th>
            </tr>
          </thead>
          <tbody>
            {load.value.items.map((room) => (
              <RoomRows
                key={room.id}
                room={room}
                open={open === room.id}
                manage={me.role === 'admin'}
                onToggle={() => setOpen(open === room.id ? null : room.id)}
                onChanged={() => void reload()}
              />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function RoomRows({
  room,
  open,
  manage,
  onToggle,
  onChanged,
}: {
  room: AdminRoom;
  open: boolean;
  manage: boolean;
  onToggle(): void;
  onChanged(): void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <tr className="admin-row" data-open={open || undefined}>
        <td>
          <button type="button" className="admin-row-toggle" aria-expanded={open} onClick={onToggle} disabled={!manage}>
            <span className="admin-name">{room.name}</span>
            <span className="admin-sub">
              {t(`admin.rooms.kind.${room.kind}`)}
              {room.handle && ` · #${room.handle}`}
            </span>
          </button>
          {room.archived && <span className="admin-badge">{t('admin.rooms.archived')}</span>}
        </td>
        <td>{room.ownerUsername ? `@${room.ownerUsername}` : '—'}</td>
        <td>{room.memberCount}</td>
        <td>{room.messageCount}</td>
      </tr>
      {open && manage && (
        <tr className="admin-row-detail">
          <td colSpan={4}>
            <RoomActions room={room} onChanged={onChanged} />
          </td>
        </tr>
      )}
    </>
  );
}
