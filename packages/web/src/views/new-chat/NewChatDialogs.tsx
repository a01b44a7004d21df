/**
 * Starting conversations: a direct chat with someone found by name, a new group (name
 * and members), the room directory (search, join), and a new room. Loaded on demand.
 */
import type { PublicUser, RoomSummary } from '@parley/protocol';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parley } from '../../api/client.js';
import { type ErrorExplanation, explainError, formMessage, messageFor } from '../../api/errors.js';
import { Button } from '../../components/Button.js';
import { Dialog } from '../../components/Dialog.js';
import { FormMessage, TextAreaField, TextField } from '../../components/fields.js';
import { HashIcon, SearchIcon } from '../../components/icons.js';
import { PeoplePicker } from '../../components/PeoplePicker.js';
import { upsertChat } from '../../state/chats.js';
import { chatPath, navigate } from '../../state/router.js';
import type { NewChatDialog } from '../chat-list/ChatListPane.js';

type Props = { onClose(): void; onSwitch(dialog: NewChatDialog): void };

function openChat(chat: Parameters<typeof upsertChat>[0], onClose: () => void) {
  upsertChat(chat);
  onClose();
  navigate(chatPath(chat.id));
}

function DirectChatDialog({ onClose }: Props) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const start = async (user: PublicUser) => {
    setError(null);
    try {
      openChat(await parley.chats.openDirect(user.id), onClose);
    } catch (failure) {
      setError(explainError(failure, t).message);
    }
  };
  return (
    <Dialog title={t('newChat.directTitle')} onClose={onClose}>
      <PeoplePicker label={t('newChat.findPerson')} onPick={(user) => void start(user)} />
      <FormMessage tone="error">{error}</FormMessage>
    </Dialog>
  );
}

function NewGroupDialog({ onClose }: Props) {
  const { t } = useTranslation();
  const formId = useId();
  const [name, setName] = useState('');
  const [members, setMembers] = useState<PublicUser[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorExplanation | null>(null);
  const toggle = (user: PublicUser) =>
    setMembers((current) => (current.some((m) => m.id === user.id) ? current.filter((m) => m.id !== user.id) : [...current, user]));
  const create = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      openChat(await parley.chats.create({ kind: 'group', name: name.trim(), memberIds: members.map((m) => m.id) }), onClose);
    } catch (failure) {
      setError(explainError(failure, t));
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={t('newChat.groupTitle')}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" form={formId} busy={busy} disabled={name.trim() === ''}>
            {t('newChat.createGroup')}
          </Button>
        </>
      }
    >
      <form id={formId} className="form" onSubmit={(event) => void create(event)}>
        <TextField
          label={t('newChat.groupName')}
          value={name}
          maxLength={100}
          required
          onChange={(event) => setName(event.target.value)}
          error={messageFor(error, 'name')}
        />
        <PeoplePicker label={t('newChat.addPeople')} selected={members} onToggle={toggle} />
        <FormMessage tone="error">{formMessage(error, ['name'])}</FormMessage>
      </form>
    </Dialog>
  );
}

const slug = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32);

function NewRoomDialog({ onClose }: Props) {
  const { t } = useTranslation();
  const formId = useId();
  const [name, setName] = useState('');
  const [handle, setHandle] = useState('');
  const [handleEdited, setHandleEdited] = useState(false);
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorExplanation | null>(null);
  const effectiveHandle = handleEdited ? handle : slug(name);
  const create = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = {
        kind: 'room' as const,
        name: name.trim(),
        ...(effectiveHandle && { handle: effectiveHandle }),
        ...(description.trim() && { description: description.trim() }),
      };
      openChat(await parley.chats.create(body), onClose);
    } catch (failure) {
      setError(explainError(failure, t));
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={t('newChat.roomTitle')}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" form={formId} busy={busy} disabled={name.trim() === ''}>
            {t('newChat.createRoom')}
          </Button>
        </>
      }
    >
      <form id={formId} className="form" onSubmit={(event) => void create(event)}>
        <TextField
          label={t('newChat.roomName')}
          value={name}
          maxLength={100}
          required
          autoFocus
          onChange={(event) => setName(event.target.value)}
          error={messageFor(error, 'name')}
        />
        <TextField
          label={t('newChat.handle')}
          hint={t('newChat.handleHint')}
          value={effectiveHandle}
          maxLength={32}
          pattern="[A-Za-z0-9_.\-]{3,32}"
          onChange={(event) => {
            setHandleEdited(true);
            setHandle(event.target.value);
          }}
          error={messageFor(error, 'handle')}
        />
        <TextAreaField
          label={t('newChat.description')}
          value={description}
          maxLength={1000}
          rows={3}
          onChange={(event) => setDescription(event.target.value)}
          error={messageFor(error, 'description')}
        />
        <FormMessage tone="error">{formMessage(error, ['name', 'handle', 'description'])}</FormMessage>
      </form>
    </Dialog>
  );
}

function RoomDirectoryDialog({ onClose, onSwitch }: Props) {
  const { t } = useTranslation();
  const searchId = useId();
  const [query, setQuery] = useState('');
  const [rooms, setRooms] = useState<RoomSummary[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [status, setStatus] = useState<'loading' | 'done' | 'failed'>('loading');
  const [joining, setJoining] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    setStatus('loading');
    const timer = window.setTimeout(() => {
      const q = query.trim();
      parley.chats.rooms({ limit: 30, ...(q && { q }) }).then(
        (page) => {
          if (!current) return;
          setRooms(page.items);
          setNext(page.nextCursor);
          setStatus('done');
        },
        () => current && setStatus('failed'),
      );
    }, 200);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [query]);

  const more = async () => {
    if (!next) return;
    const q = query.trim();
    const page = await parley.chats.rooms({ limit: 30, cursor: next, ...(q && { q }) });
    setRooms((current) => [...current, ...page.items]);
    setNext(page.nextCursor);
  };

  const join = async (room: RoomSummary) => {
    setJoining(room.id);
    setError(null);
    try {
      openChat(room.joined ? await parley.chats.get(room.id) : await parley.chats.join(room.id), onClose);
    } catch (failure) {
      setError(explainError(failure, t).message);
      setJoining(null);
    }
  };

  return (
    <Dialog
      title={t('newChat.roomsTitle')}
      onClose={onClose}
      footer={
        <Button variant="secondary" onClick={() => onSwitch('room')}>
          {t('newChat.room')}
        </Button>
      }
    >
      <label className="field-label" htmlFor={searchId}>
        {t('newChat.searchRooms')}
      </label>
      <div className="search-field">
        <SearchIcon />
        <input
          id={searchId}
          className="input"
          type="search"
          autoComplete="off"
          value={query}
          placeholder={t('newChat.searchRoomsPlaceholder')}
          autoFocus
          onChange={(event) => setQuery(event.target.value)}
        />
      </div>
      <FormMessage tone="error">{error}</FormMessage>
      <div className="picker-results" aria-live="polite" aria-busy={status === 'loading'}>
        {status === 'failed' && <p className="picker-hint">{t('errors.network')}</p>}
        {status === 'done' && rooms.length === 0 && (
          <p className="picker-hint">{query.trim() ? t('newChat.noRooms', { query: query.trim() }) : t('newChat.noRoomsYet')}</p>
        )}
        <ul className="picker-list">
          {rooms.map((room) => (
            <li key={room.id} className="room-row">
              <span className="room-row-icon">
                <HashIcon />
              </span>
              <span className="picker-row-text">
                <span className="picker-row-name">{room.name}</span>
                <span className="picker-row-meta">
                  #{room.handle} · {t('chat.members', { count: room.memberCount })}
                </span>
                {room.description && <span className="room-row-description">{room.description}</span>}
              </span>
              <Button
                variant={room.joined ? 'secondary' : 'primary'}
                busy={joining === room.id}
                aria-label={room.joined ? t('newChat.openRoomNamed', { name: room.name }) : t('newChat.joinRoomNamed', { name: room.name })}
                onClick={() => void join(room)}
              >
                {room.joined ? t('newChat.openRoom') : t('newChat.joinRoom')}
              </Button>
            </li>
          ))}
        </ul>
        {next && (
          <Button variant="ghost" onClick={() => void more()}>
            {t('newChat.moreRooms')}
          </Button>
        )}
      </div>
    </Dialog>
  );
}

export default function NewChatDialogs({ dialog, ...props }: Props & { dialog: NewChatDialog }) {
  switch (dialog) {
    case 'direct':
      return <DirectChatDialog {...props} />;
    case 'group':
      return <NewGroupDialog {...props} />;
    case 'rooms':
      return <RoomDirectoryDialog {...props} />;
    case 'room':
      return <NewRoomDialog {...props} />;
  }
}
