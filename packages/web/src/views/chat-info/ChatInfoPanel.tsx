/**
 * About a chat: its name and description (editable where allowed), notifications, the
 * members with their roles and presence (add, remove, make admin — each offered only
 * when the server would allow it), leaving and deleting. For a direct chat: the other
 * person's profile. Loaded on demand, beside the conversation (over it on a phone).
 */
import type { Chat, ChatMember, PublicUser } from '@parley/protocol';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parley } from '../../api/client.js';
import { type ErrorExplanation, explainError, formMessage, messageFor } from '../../api/errors.js';
import { BotBadge } from '../../components/BotBadge.js';
import { Button } from '../../components/Button.js';
import { ChatAvatar, PersonAvatar } from '../../components/ChatAvatar.js';
import { Dialog } from '../../components/Dialog.js';
import { FormMessage, TextAreaField, TextField } from '../../components/fields.js';
import { CrossIcon, EditIcon, MoreIcon, PlusIcon, ShieldIcon, SignOutIcon, TrashIcon } from '../../components/icons.js';
import { Menu, type MenuItem } from '../../components/Menu.js';
import { PeoplePicker } from '../../components/PeoplePicker.js';
import { formatRelative } from '../../i18n/format.js';
import { removeChat, setMuted, upsertChat } from '../../state/chats.js';
import { applyJoined, applyLeft, applyRole } from '../../state/members.js';
import { chatTitle, shownName, usePerson } from '../../state/people.js';
import { navigate, ROUTES } from '../../state/router.js';
import { useMe } from '../../state/session.js';
import { showToast } from '../../state/toasts.js';
import { GroupPhotoPicker } from '../attachments/GroupPhotoPicker.js';
import {
  canAddMembers,
  canChangeSettings,
  canDeleteChat,
  canEditChat,
  canLeave,
  canRemoveMember,
  canSetRole,
  canTransferOwnership,
} from '../conversation/permissions.js';
import './chat-info.css';
import { openProfile, useAlias } from '../../state/people-relations.js';
import { ChatPushLevelField } from './ChatPushLevel.js';
import { ModeratorRemoveMemberDialog } from './ModeratorDialogs.js';
import { mayRemoveMemberAsModerator } from './moderation.js';
import { WebhooksSection } from './WebhooksSection.js';

function EditChatForm({ chat, onDone }: { chat: Chat; onDone(): void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(chat.name);
  const [description, setDescription] = useState(chat.description);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorExplanation | null>(null);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const changes = {
        ...(name.trim() !== chat.name && { name: name.trim() }),
        ...(description.trim() !== chat.description && { description: description.trim() }),
      };
      if (Object.keys(changes).length > 0) upsertChat(await parley.chats.update(chat.id, changes));
      onDone();
    } catch (failure) {
      setError(explainError(failure, t));
      setBusy(false);
    }
  };
  return (
    <form className="form info-section" onSubmit={(event) => void save(event)}>
      <TextField
        label={t('info.name')}
        value={name}
        maxLength={100}
        required
        onChange={(e) => setName(e.target.value)}
        error={messageFor(error, 'name')}
      />
      <TextAreaField
        label={t('info.description')}
        value={description}
        maxLength={1000}
        rows={3}
        onChange={(e) => setDescription(e.target.value)}
        error={messageFor(error, 'description')}
      />
      <FormMessage tone="error">{formMessage(error, ['name', 'description'])}</FormMessage>
      <div className="form-actions">
        <Button variant="secondary" onClick={onDone}>
          {t('common.cancel')}
        </Button>
        <Button type="submit" busy={busy} disabled={name.trim() === ''}>
          {t('info.save')}
        </Button>
      </div>
    </form>
  );
}

function MemberRow({ chat, member, meId }: { chat: Chat; member: ChatMember; meId: string }) {
  const { t, i18n } = useTranslation();
  const person = usePerson(member.user.id);
  const online = person?.online ?? member.online;
  const lastSeen = person?.lastSeenAt ?? member.user.lastSeenAt;
  // Removing someone and handing the chat over are asked about first: neither is undone by a click.
  const [confirm, setConfirm] = useState<'remove' | 'moderatorRemove' | 'transfer' | null>(null);
  const serverRole = useMe().role;
  const alias = useAlias(member.user.id);
  const name = alias ?? shownName(member.user);
  const items: MenuItem[] = [];
  const act = (action: Promise<unknown>, after: () => void) =>
    action.then(after, (error: unknown) => showToast(explainError(error, t).message, 'error'));
  if (canSetRole(chat, member)) {
    const role = member.role === 'admin' ? 'member' : 'admin';
    items.push({
      id: 'role',
      label: role === 'admin' ? t('info.makeAdmin') : t('info.removeAdmin'),
      icon: <ShieldIcon size={18} />,
      onSelect: () => void act(parley.chats.setRole(chat.id, member.user.id, role), () => applyRole(chat.id, member.user.id, role)),
    });
  }
  if (canRemoveMember(chat, member, meId)) {
    items.push({
      id: 'remove',
      label: t('info.removeMember'),
      icon: <CrossIcon size={18} />,
      tone: 'danger',
      onSelect: () => setConfirm('remove'),
    });
  }
  if (!canRemoveMember(chat, member, meId) && mayRemoveMemberAsModerator(chat, member, serverRole, meId)) {
    items.push({
      id: 'moderator-remove',
      label: t('moderation.removeMember'),
      icon: <CrossIcon size={18} />,
      tone: 'danger',
      onSelect: () => setConfirm('moderatorRemove'),
    });
  }
  if (canTransferOwnership(chat, member, meId)) {
    items.push({ id: 'transfer', label: t('info.transfer'), icon: <ShieldIcon size={18} />, onSelect: () => setConfirm('transfer') });
  }
  const status = online
    ? t('presence.online')
    : lastSeen
      ? t('presence.lastSeen', { when: formatRelative(lastSeen, i18n.language) ?? t('time.justNow') })
      : '';
  return (
    <li className="member-row" data-testid="member-row">
      <PersonAvatar id={member.user.id} name={member.user.displayName} size={40} showPresence />
      <span className="member-text">
        <span className="member-name">
          <button
            type="button"
            className="link-button member-name-button"
            title={alias ? shownName(member.user) : undefined}
            onClick={() => openProfile(member.user.id)}
          >
            <bdi>{name}</bdi>
          </button>
          {member.user.id === meId && <span className="member-you"> {t('info.you')}</span>}
          {member.user.bot && <BotBadge />}
        </span>
        <span className="member-meta" data-online={online ? 'true' : undefined}>
          {status || `@${member.user.username}`}
        </span>
      </span>
      {member.role !== 'member' && <span className="role-badge">{t(`info.role.${member.role}`)}</span>}
      {items.length > 0 && <Menu label={t('info.memberActions', { name })} icon={<MoreIcon />} items={items} />}
      {confirm === 'remove' && (
        <Confirm
          title={t('info.removeTitle', { name })}
          body={t('info.removeBody')}
          action={t('info.removeConfirm')}
          onConfirm={() => parley.chats.removeMember(chat.id, member.user.id).then(() => applyLeft(chat.id, member.user.id))}
          onClose={() => setConfirm(null)}
        />
      )}
      {confirm === 'moderatorRemove' && (
        <ModeratorRemoveMemberDialog chat={chat} member={member} name={name} onClose={() => setConfirm(null)} />
      )}
      {confirm === 'transfer' && (
        <Confirm
          title={t('info.transferTitle', { name })}
          body={t('info.transferBody')}
          action={t('info.transferConfirm')}
          onConfirm={() => parley.chats.transfer(chat.id, member.user.id).then(() => setConfirm(null))}
          onClose={() => setConfirm(null)}
        />
      )}
    </li>
  );
}

function AddMembers({ chat, members, onDone }: { chat: Chat; members: readonly ChatMember[]; onDone(): void }) {
  const { t } = useTranslation();
  const [picked, setPicked] = useState<PublicUser[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const add = async () => {
    setBusy(true);
    try {
      const list = await parley.chats.addMembers(
        chat.id,
        picked.map((u) => u.id),
      );
      applyJoined(chat.id, list.items);
      onDone();
    } catch (failure) {
      setError(explainError(failure, t).message);
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={t('info.addMembers')}
      onClose={onDone}
      footer={
        <>
          <Button variant="secondary" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button busy={busy} disabled={picked.length === 0} onClick={() => void add()}>
            {t('info.add', { count: picked.length })}
          </Button>
        </>
      }
    >
      <PeoplePicker
        label={t('newChat.addPeople')}
        excludeIds={members.map((m) => m.user.id)}
        selected={picked}
        onToggle={(user) =>
          setPicked((current) => (current.some((u) => u.id === user.id) ? current.filter((u) => u.id !== user.id) : [...current, user]))
        }
      />
      <FormMessage tone="error">{error}</FormMessage>
    </Dialog>
  );
}

function Confirm({
  title,
  body,
  action,
  onConfirm,
  onClose,
}: {
  title: string;
  body: string;
  action: string;
  onConfirm(): Promise<void>;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog
      title={title}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            variant="danger"
            busy={busy}
            onClick={() => {
              setBusy(true);
              onConfirm().catch((failure: unknown) => {
                setError(explainError(failure, t).message);
                setBusy(false);
              });
            }}
          >
            {action}
          </Button>
        </>
      }
    >
      <p>{body}</p>
      <FormMessage tone="error">{error}</FormMessage>
    </Dialog>
  );
}

function SettingSwitch({
  label,
  hint,
  checked,
  onChange,
}: {
  label: string;
  hint?: string;
  checked: boolean;
  onChange(next: boolean): void;
}) {
  const id = useId();
  return (
    <div className="info-switch">
      <span>
        <label className="info-switch-label" htmlFor={id}>
          {label}
        </label>
        {hint && <span className="info-switch-hint">{hint}</span>}
      </span>
      <input
        id={id}
        className="switch"
        type="checkbox"
        role="switch"
        aria-checked={checked}
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
      />
    </div>
  );
}

function PeerProfile({ chat }: { chat: Chat }) {
  const { t, i18n } = useTranslation();
  const person = usePerson(chat.peer?.id ?? null);
  if (!chat.peer) return null;
  const lastSeen = person?.lastSeenAt ?? chat.peer.lastSeenAt;
  return (
    <dl className="info-facts">
      <div>
        <dt>{t('info.username')}</dt>
        <dd>@{chat.peer.username}</dd>
      </div>
      {chat.peer.statusText && (
        <div>
          <dt>{t('info.status')}</dt>
          <dd dir="auto">{chat.peer.statusText}</dd>
        </div>
      )}
      {chat.peer.bio && (
        <div>
          <dt>{t('info.bio')}</dt>
          <dd dir="auto" className="info-bio">
            {chat.peer.bio}
          </dd>
        </div>
      )}
      <div>
        <dt>{t('info.lastSeen')}</dt>
        <dd>
          {person?.online
            ? t('presence.online')
            : lastSeen
              ? (formatRelative(lastSeen, i18n.language) ?? t('time.justNow'))
              : t('presence.lastSeenLongAgo')}
        </dd>
      </div>
    </dl>
  );
}

export default function ChatInfoPanel({ chat, members, onClose }: { chat: Chat; members: readonly ChatMember[]; onClose(): void }) {
  const { t } = useTranslation();
  const me = useMe();
  const [editing, setEditing] = useState(false);
  const [dialog, setDialog] = useState<'add' | 'leave' | 'delete' | null>(null);
  const titleId = useId();
  const sorted = [...members].sort((a, b) => rank(a) - rank(b) || a.user.displayName.localeCompare(b.user.displayName));
  const leaveChat = async (remove: () => Promise<void>) => {
    await remove();
    removeChat(chat.id);
    navigate(ROUTES.home, { replace: true });
  };
  const update = (changes: { membersCanEdit?: boolean; membersCanAdd?: boolean }) =>
    parley.chats.update(chat.id, changes).then(upsertChat, (error: unknown) => showToast(explainError(error, t).message, 'error'));

  return (
    <aside className="info-panel" aria-labelledby={titleId}>
      <header className="pane-header info-header">
        <button type="button" className="icon-button" aria-label={t('info.close')} onClick={onClose}>
          <CrossIcon size={20} />
        </button>
        <h2 className="detail-title" id={titleId}>
          {t(`info.title.${chat.kind}`)}
        </h2>
      </header>
      <div className="info-scroll">
        <section className="info-hero">
          <ChatAvatar chat={chat} size={88} />
          <p className="info-name">
            <bdi>{chatTitle(chat)}</bdi>
          </p>
          <p className="info-sub">
            {chat.kind === 'direct'
              ? `@${chat.peer?.username ?? ''}`
              : chat.kind === 'room' && chat.handle
                ? `#${chat.handle} · ${t('chat.members', { count: chat.memberCount })}`
                : t('chat.members', { count: chat.memberCount })}
          </p>
          {chat.description && !editing && (
            <p className="info-description" dir="auto">
              {chat.description}
            </p>
          )}
          {canEditChat(chat) && !editing && <GroupPhotoPicker chatId={chat.id} avatarId={chat.avatarId ?? null} />}
          {canEditChat(chat) && !editing && (
            <Button variant="secondary" onClick={() => setEditing(true)}>
              <EditIcon />
              {t('info.edit')}
            </Button>
          )}
        </section>
        {editing && <EditChatForm chat={chat} onDone={() => setEditing(false)} />}
        {chat.kind === 'direct' && <PeerProfile chat={chat} />}
        <section className="info-section">
          <SettingSwitch
            label={t('info.mute')}
            hint={t('info.muteHint')}
            checked={chat.muted}
            onChange={(muted) => void setMuted(chat.id, muted).catch(() => showToast(t('errors.network'), 'error'))}
          />
          {!chat.muted && <ChatPushLevelField chatId={chat.id} direct={chat.kind === 'direct'} />}
          {canChangeSettings(chat) && (
            <>
              <SettingSwitch
                label={t('info.membersCanEdit')}
                checked={chat.membersCanEdit}
                onChange={(value) => void update({ membersCanEdit: value })}
              />
              <SettingSwitch
                label={t('info.membersCanAdd')}
                checked={chat.membersCanAdd}
                onChange={(value) => void update({ membersCanAdd: value })}
              />
            </>
          )}
        </section>
        {chat.kind !== 'direct' && (
          <section className="info-section" aria-labelledby={`${titleId}-members`}>
            <div className="info-section-head">
              <h3 id={`${titleId}-members`} className="info-section-title">
                {t('info.members', { count: members.length })}
              </h3>
              {canAddMembers(chat) && (
                <Button variant="ghost" onClick={() => setDialog('add')}>
                  <PlusIcon />
                  {t('info.addMembers')}
                </Button>
              )}
            </div>
            <ul className="member-list">
              {sorted.map((member) => (
                <MemberRow key={member.user.id} chat={chat} member={member} meId={me.id} />
              ))}
            </ul>
          </section>
        )}
        <WebhooksSection chat={chat} />
        {(canLeave(chat) || canDeleteChat(chat)) && (
          <section className="info-section info-danger">
            {canLeave(chat) && (
              <Button variant="ghost" className="danger-text" onClick={() => setDialog('leave')}>
                <SignOutIcon />
                {t(`info.leave.${chat.kind === 'room' ? 'room' : 'group'}`)}
              </Button>
            )}
            {canDeleteChat(chat) && (
              <Button variant="ghost" className="danger-text" onClick={() => setDialog('delete')}>
                <TrashIcon />
                {t(`info.delete.${chat.kind === 'room' ? 'room' : 'group'}`)}
              </Button>
            )}
          </section>
        )}
      </div>
      {dialog === 'add' && <AddMembers chat={chat} members={members} onDone={() => setDialog(null)} />}
      {dialog === 'leave' && (
        <Confirm
          title={t('info.leaveTitle', { name: chat.name })}
          body={chat.role === 'owner' ? t('info.leaveOwnerBody') : t('info.leaveBody')}
          action={t('info.leaveConfirm')}
          onConfirm={() => leaveChat(() => parley.chats.leave(chat.id))}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'delete' && (
        <Confirm
          title={t('info.deleteTitle', { name: chat.name })}
          body={t('info.deleteBody')}
          action={t('info.deleteConfirm')}
          onConfirm={() => leaveChat(() => parley.chats.delete(chat.id))}
          onClose={() => setDialog(null)}
        />
      )}
    </aside>
  );
}

const ROLE_ORDER = { owner: 0, admin: 1, member: 2 } as const;
const rank = (member: ChatMember) => ROLE_ORDER[member.role];
