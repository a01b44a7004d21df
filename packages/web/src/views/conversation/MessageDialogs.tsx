/** Dialogs about one message: forward it, see who read it, confirm deleting it, react with any emoji. Loaded on demand. */
import type { Chat, Message, SeenBy } from '@parley/protocol';
import { lazy, Suspense, useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parley } from '../../api/client.js';
import { explainError } from '../../api/errors.js';
import { Button } from '../../components/Button.js';
import { ChatAvatar, PersonAvatar } from '../../components/ChatAvatar.js';
import { Dialog } from '../../components/Dialog.js';
import { FormMessage } from '../../components/fields.js';
import { CheckIcon, SearchIcon } from '../../components/icons.js';
import { filterChats } from '../../state/chat-list.js';
import { useChatList } from '../../state/chats.js';
import { applyDeleted } from '../../state/messages.js';
import { showToast } from '../../state/toasts.js';
import { plainText } from '../../text/markdown.js';
import { ModeratorRemoveMessageDialog } from '../chat-info/ModeratorDialogs.js';
import RemindDialog from '../scheduled/RemindDialog.js';
import type { MessageDialog } from './ConversationView.js';

const EmojiPicker = lazy(() => import('../../components/emoji/EmojiPicker.js'));
const FORWARD_MAX_CHATS = 20;

/** Forwards one message, or several selected ones (in chat order, up to 100), to up to 20 chats. */
export function ForwardDialog({ messages, chat, onClose }: { messages: readonly Message[]; chat: Chat; onClose(): void }) {
  const { t } = useTranslation();
  const searchId = useId();
  const { chats } = useChatList();
  const [query, setQuery] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const shown = useMemo(() => filterChats(chats, query), [chats, query]);
  const toggle = (id: string) =>
    setPicked((current) => (current.includes(id) ? current.filter((c) => c !== id) : [...current, id].slice(0, FORWARD_MAX_CHATS)));
  const forward = async () => {
    setBusy(true);
    setError(null);
    try {
      await parley.messages.forward(
        chat.id,
        messages.map((m) => m.id),
        picked,
      );
      showToast(t('forward.done', { count: picked.length }));
      onClose();
    } catch (failure) {
      setError(explainError(failure, t).message);
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={t('forward.title')}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button busy={busy} disabled={picked.length === 0} onClick={() => void forward()}>
            {picked.length > 1 ? t('forward.sendMany', { count: picked.length }) : t('forward.send')}
          </Button>
        </>
      }
    >
      <blockquote className="forward-preview" dir="auto">
        {plainText(messages[0]?.text ?? '')}
      </blockquote>
      {messages.length > 1 && <p className="forward-more">{t('forward.more', { count: messages.length - 1 })}</p>}
      <label className="field-label" htmlFor={searchId}>
        {t('forward.pick')}
      </label>
      <div className="search-field">
        <SearchIcon />
        <input
          id={searchId}
          className="input"
          type="search"
          value={query}
          placeholder={t('chatList.searchPlaceholder')}
          autoFocus
          onChange={(event) => setQuery(event.target.value)}
        />
      </div>
      <ul className="picker-list forward-list">
        {shown.map((target) => {
          const selected = picked.includes(target.id);
          return (
            <li key={target.id}>
              <button type="button" className="picker-row" aria-pressed={selected} onClick={() => toggle(target.id)}>
                <ChatAvatar chat={target} size={36} />
                <span className="picker-row-text">
                  <bdi className="picker-row-name">{target.name}</bdi>
                  <span className="picker-row-meta">{t(`chat.kind.${target.kind}`)}</span>
                </span>
                <span className="picker-check">{selected && <CheckIcon size={16} />}</span>
              </button>
            </li>
          );
        })}
      </ul>
      <FormMessage tone="error">{error}</FormMessage>
    </Dialog>
  );
}

function SeenByDialog({ message, chat, onClose }: { message: Message; chat: Chat; onClose(): void }) {
  const { t } = useTranslation();
  const [seen, setSeen] = useState<SeenBy | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    parley.messages.seenBy(chat.id, message.id).then(setSeen, () => setFailed(true));
  }, [chat.id, message.id]);
  return (
    <Dialog title={t('seenBy.title')} onClose={onClose}>
      <div aria-live="polite">
        {!seen && !failed && <p className="picker-hint">{t('seenBy.loading')}</p>}
        {failed && <p className="picker-hint">{t('errors.network')}</p>}
        {seen && seen.items.length === 0 && <p className="picker-hint">{t('seenBy.nobody')}</p>}
        {seen && seen.items.length > 0 && (
          <ul className="picker-list">
            {seen.items.map((reader) => (
              <li key={reader.userId} className="seen-row">
                <PersonAvatar id={reader.userId} name={reader.displayName} size={32} />
                <span className="picker-row-name">{reader.displayName}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Dialog>
  );
}

function DeleteDialog({ message, chat, onClose }: { message: Message; chat: Chat; onClose(): void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    setBusy(true);
    try {
      await parley.messages.delete(chat.id, message.id);
      applyDeleted(chat.id, message.id, new Date().toISOString());
      onClose();
    } catch (failure) {
      setError(explainError(failure, t).message);
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={t('deleteMessage.title')}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button variant="danger" busy={busy} onClick={() => void remove()}>
            {t('deleteMessage.confirm')}
          </Button>
        </>
      }
    >
      <p>{t('deleteMessage.body')}</p>
      <blockquote className="forward-preview" dir="auto">
        {plainText(message.text)}
      </blockquote>
      <FormMessage tone="error">{error}</FormMessage>
    </Dialog>
  );
}

export default function MessageDialogs({
  dialog,
  chat,
  onClose,
  onReact,
}: {
  dialog: MessageDialog;
  chat: Chat;
  onClose(): void;
  onReact(message: Message, emoji: string): void;
}) {
  const { t } = useTranslation();
  switch (dialog.kind) {
    case 'remind':
      return <RemindDialog message={dialog.message} onClose={onClose} />;
    case 'forward':
      return <ForwardDialog messages={[dialog.message]} chat={chat} onClose={onClose} />;
    case 'seenBy':
      return <SeenByDialog message={dialog.message} chat={chat} onClose={onClose} />;
    case 'delete':
      return <DeleteDialog message={dialog.message} chat={chat} onClose={onClose} />;
    case 'moderatorRemove':
      return <ModeratorRemoveMessageDialog message={dialog.message} chat={chat} onClose={onClose} />;
    case 'react':
      return (
        <Dialog title={t('reactions.pick')} onClose={onClose} className="dialog-compact">
          <Suspense fallback={<div className="emoji-picker emoji-picker-loading" />}>
            <EmojiPicker
              label={t('reactions.pick')}
              onPick={(emoji) => {
                onReact(dialog.message, emoji);
                onClose();
              }}
              onClose={onClose}
            />
          </Suspense>
        </Dialog>
      );
  }
}
