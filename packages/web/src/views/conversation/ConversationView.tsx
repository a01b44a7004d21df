/**
 * One open chat: header, message list, composer, the message menu and its dialogs, and
 * the info panel. Owns what they share: the composer's mode (reply, edit), the open
 * menu, and where the "new messages" divider goes (fixed when the chat opens).
 */

import type { Message } from '@parley/protocol';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parley } from '../../api/client.js';
import { explainError } from '../../api/errors.js';
import { ContextMenu, type ContextMenuItem } from '../../components/ContextMenu.js';
import { QUICK_REACTIONS } from '../../components/emoji/emoji-data.js';
import {
  CheckIcon,
  ClockIcon,
  CopyIcon,
  EditIcon,
  EyeOpenIcon,
  ForwardIcon,
  LockIcon,
  PlusIcon,
  ReplyIcon,
  TrashIcon,
} from '../../components/icons.js';
import { chatsStore, ensureChat, openChatStore, useChat } from '../../state/chats.js';
import { loadMembers, useMembers } from '../../state/members.js';
import { applyReactions, discardPending, ensureHistory, historyStore, jumpTo, retryPending } from '../../state/messages.js';
import { setTitleBase } from '../../state/notifications.js';
import { chatTitle } from '../../state/people.js';
import { pinsStore } from '../../state/people-relations.js';
import { goBack, ROUTES } from '../../state/router.js';
import { startSelecting, useSelection } from '../../state/selection.js';
import { useMe } from '../../state/session.js';
import { useStore } from '../../state/store.js';
import { openThread } from '../../state/threads.js';
import { showToast } from '../../state/toasts.js';
import { MediaViewerHost } from '../attachments/MediaViewer.js';
import { mayRemoveMessageAsModerator } from '../chat-info/moderation.js';
import { ArchivedNotice } from '../chat-info/RoomArchived.js';
import { SelectionBar } from '../forward/SelectionBar.js';
import { ScheduledBar } from '../scheduled/ScheduledBar.js';
import { ThreadIcon } from '../threads/ThreadIcon.js';
import { ThreadPanelHost } from '../threads/ThreadPanelHost.js';
import { type MessageActions, MessageActionsContext } from './actions.js';
import { Composer, type ComposerMode } from './Composer.js';
import { ConversationHeader } from './ConversationHeader.js';
import { MessageList } from './MessageList.js';
import { PinnedBar, togglePin } from './PinnedBar.js';
import { canDeleteMessage, canEditMessage, canReplyPrivately } from './permissions.js';

const MessageDialogs = lazy(() => import('./MessageDialogs.js'));
const ChatInfoPanel = lazy(() => import('../chat-info/ChatInfoPanel.js'));

export type MessageDialog = { kind: 'forward' | 'seenBy' | 'delete' | 'react' | 'remind' | 'moderatorRemove'; message: Message };

async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) return navigator.clipboard.writeText(text);
  // Plain http on a LAN has no Clipboard API: the old way still works there.
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  document.execCommand('copy');
  area.remove();
}

function MissingChat({ chatId }: { chatId: string }) {
  const { t } = useTranslation();
  const status = useStore(chatsStore, (state) => state.status);
  const [gone, setGone] = useState(false);
  useEffect(() => {
    if (status !== 'ready') return;
    let current = true;
    void ensureChat(chatId).then((chat) => current && setGone(chat === null));
    return () => {
      current = false;
    };
  }, [chatId, status]);
  if (!gone) {
    return (
      <div className="pane-loading" role="status">
        <span className="spinner" aria-hidden="true" />
        {t('conversation.loading')}
      </div>
    );
  }
  return (
    <div className="load-failed" role="alert">
      <p className="load-failed-title">{t('conversation.notFoundTitle')}</p>
      <p className="load-failed-body">{t('conversation.notFoundBody')}</p>
      <button type="button" className="button button-secondary" onClick={() => goBack(ROUTES.home)}>
        {t('shell.back')}
      </button>
    </div>
  );
}

export function ConversationView({ chatId }: { chatId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const chat = useChat(chatId);
  const members = useMembers(chatId);
  const [mode, setMode] = useState<ComposerMode>({ kind: 'new' });
  const [menu, setMenu] = useState<{ message: Message; x: number; y: number } | null>(null);
  const [dialog, setDialog] = useState<MessageDialog | null>(null);
  const [infoOpen, setInfoOpen] = useState(false);
  const selecting = useSelection(chatId) !== null;
  // Escape closes the info panel, unless something in front used it (a dialog, the composer's reply).
  useEffect(() => {
    if (!infoOpen) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || document.querySelector('dialog[open]')) return;
      setInfoOpen(false);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [infoOpen]);
  // Where the divider goes is decided once, when the chat opens (and cleared when we write).
  const [unreadAfterSeq, setUnreadAfterSeq] = useState<number | null | undefined>(undefined);
  // Bumped when we send, so the list goes to the bottom where our message appears.
  const [sent, setSent] = useState(0);

  const title = chat ? `${chatTitle(chat)} · ${t('app.name')}` : t('app.name');
  useEffect(() => setTitleBase(title), [title]);

  useEffect(() => {
    openChatStore.set(chatId);
    void loadMembers(chatId);
    return () => openChatStore.set(null);
  }, [chatId]);

  // Runs again as the chat changes, but only the first run with the chat present decides anything.
  useEffect(() => {
    if (!chat) return;
    setUnreadAfterSeq((value) => (value === undefined ? (chat.unreadCount > 0 ? chat.lastReadSeq : null) : value));
    ensureHistory(chatId, chat);
  }, [chatId, chat]);

  const toggleReaction = useCallback(
    (message: Message, emoji: string) => {
      const mine = message.reactions.find((r) => r.emoji === emoji)?.userIds.includes(me.id) ?? false;
      const request = mine ? parley.messages.unreact(chatId, message.id, emoji) : parley.messages.react(chatId, message.id, emoji);
      request.then(
        (updated) => applyReactions(chatId, updated.id, updated.reactions),
        (error: unknown) => showToast(explainError(error, t).message, 'error'),
      );
    },
    [chatId, me.id, t],
  );

  const actions = useMemo<MessageActions>(
    () => ({
      openMenu: (message, at) => setMenu({ message, ...at }),
      jumpTo: (messageId) => {
        jumpTo(chatId, messageId).then(
          (found) => found || showToast(t('message.originalGone')),
          () => showToast(t('errors.network'), 'error'),
        );
      },
      toggleReaction,
      retry: (pending) => retryPending(pending, (error) => showToast(explainError(error, t).message, 'error')),
      discard: discardPending,
    }),
    [chatId, t, toggleReaction],
  );

  const lastOwnMessage = useCallback(() => {
    const items = historyStore.get()[chatId]?.window.items ?? [];
    for (let i = items.length - 1; i >= 0; i--) {
      const message = items[i];
      if (message && canEditMessage(message, me.id)) return message;
    }
    return null;
  }, [chatId, me.id]);

  const closeMenu = useCallback(() => setMenu(null), []);

  if (!chat) return <MissingChat chatId={chatId} />;

  const menuItems = (message: Message): ContextMenuItem[] => {
    const items: ContextMenuItem[] = [
      { id: 'reply', label: t('message.reply'), icon: <ReplyIcon />, onSelect: () => setMode({ kind: 'reply', message, private: false }) },
    ];
    if (message.kind === 'text' && !message.threadRootId) {
      items.push({
        id: 'thread',
        label: t('threads.replyInThread'),
        icon: <ThreadIcon size={18} />,
        onSelect: () => openThread(chat.id, message.id),
      });
    }
    if (canReplyPrivately(message, chat, me.id)) {
      items.push({
        id: 'reply-private',
        label: t('message.replyPrivately'),
        icon: <LockIcon size={18} />,
        onSelect: () => setMode({ kind: 'reply', message, private: true }),
      });
    }
    if (canEditMessage(message, me.id)) {
      items.push({ id: 'edit', label: t('message.edit'), icon: <EditIcon />, onSelect: () => setMode({ kind: 'edit', message }) });
    }
    items.push(
      {
        id: 'copy',
        label: t('message.copy'),
        icon: <CopyIcon />,
        onSelect: () => {
          copyText(message.text).then(
            () => showToast(t('message.copied')),
            () => showToast(t('message.copyFailed'), 'error'),
          );
        },
      },
      { id: 'forward', label: t('message.forward'), icon: <ForwardIcon />, onSelect: () => setDialog({ kind: 'forward', message }) },
      { id: 'remind', label: t('reminder.menu'), icon: <ClockIcon size={18} />, onSelect: () => setDialog({ kind: 'remind', message }) },
    );
    const pins = pinsStore.get()[chat.id];
    if (message.kind === 'text' && pins?.canPin) {
      const pinned = pins.items.some((p) => p.message.id === message.id);
      items.push({
        id: 'pin',
        label: pinned ? t('contacts.pins.unpinMessage') : t('contacts.pins.pinMessage'),
        onSelect: () => togglePin(chat.id, message.id, pinned, (error) => showToast(explainError(error, t).message, 'error')),
      });
    }
    if (message.kind === 'text')
      items.push({ id: 'select', label: t('select.start'), icon: <CheckIcon size={18} />, onSelect: () => startSelecting(message) });
    if (message.senderId === me.id && chat.kind !== 'direct') {
      items.push({ id: 'seen', label: t('message.seenBy'), icon: <EyeOpenIcon />, onSelect: () => setDialog({ kind: 'seenBy', message }) });
    }
    if (canDeleteMessage(message, chat, me.id)) {
      items.push({
        id: 'delete',
        label: t('message.delete'),
        icon: <TrashIcon />,
        tone: 'danger',
        onSelect: () => setDialog({ kind: 'delete', message }),
      });
    } else if (mayRemoveMessageAsModerator(message, chat, me.role, me.id)) {
      items.push({
        id: 'moderator-remove',
        label: t('moderation.removeMessage'),
        icon: <TrashIcon />,
        tone: 'danger',
        onSelect: () => setDialog({ kind: 'moderatorRemove', message }),
      });
    }
    // A reply only in a thread (its panel opens this menu): nothing that acts on the chat's timeline.
    const threadOnly = message.threadRootId !== undefined && !message.alsoToChat;
    return threadOnly ? items.filter((item) => !['reply', 'reply-private', 'select', 'pin'].includes(item.id)) : items;
  };

  return (
    <MessageActionsContext.Provider value={actions}>
      <div className="conversation" data-info={infoOpen ? 'open' : 'closed'}>
        <section className="conversation-main" aria-label={chatTitle(chat)}>
          <ConversationHeader chat={chat} members={members} infoOpen={infoOpen} onToggleInfo={() => setInfoOpen((open) => !open)} />
          <PinnedBar chatId={chat.id} onJump={actions.jumpTo} />
          <MessageList
            chat={chat}
            meId={me.id}
            meUsername={me.username}
            members={members}
            unreadAfterSeq={unreadAfterSeq ?? null}
            sent={sent}
          />
          {selecting ? <SelectionBar chat={chat} /> : <ScheduledBar chat={chat} />}
          {chat.archivedAt && <ArchivedNotice />}
          <Composer
            hidden={selecting || Boolean(chat.archivedAt)}
            key={chat.id}
            chat={chat}
            meId={me.id}
            members={members}
            mode={mode}
            onModeChange={setMode}
            lastOwnMessage={lastOwnMessage}
            onSent={() => {
              setUnreadAfterSeq(null);
              setSent((n) => n + 1);
            }}
          />
        </section>
        {infoOpen && (
          <Suspense
            fallback={
              <aside className="info-panel">
                <div className="pane-loading">
                  <span className="spinner" aria-hidden="true" />
                </div>
              </aside>
            }
          >
            <ChatInfoPanel chat={chat} members={members} onClose={() => setInfoOpen(false)} />
          </Suspense>
        )}
        <ThreadPanelHost chat={chat} />
      </div>
      <MediaViewerHost />
      {menu && (
        <ContextMenu
          x={menu.x}
          y={menu.y}
          label={t('message.actions')}
          onClose={closeMenu}
          items={menuItems(menu.message)}
          header={
            <div className="quick-reactions">
              {QUICK_REACTIONS.map((emoji) => (
                <button
                  key={emoji}
                  type="button"
                  role="menuitemcheckbox"
                  tabIndex={-1}
                  className="quick-reaction"
                  aria-label={t('reactions.react', { emoji })}
                  aria-checked={menu.message.reactions.some((r) => r.emoji === emoji && r.userIds.includes(me.id))}
                  onClick={() => {
                    closeMenu();
                    toggleReaction(menu.message, emoji);
                  }}
                >
                  {emoji}
                </button>
              ))}
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                className="quick-reaction"
                aria-label={t('reactions.more')}
                onClick={() => {
                  closeMenu();
                  setDialog({ kind: 'react', message: menu.message });
                }}
              >
                <PlusIcon />
              </button>
            </div>
          }
        />
      )}
      {dialog && (
        <Suspense fallback={null}>
          <MessageDialogs dialog={dialog} chat={chat} onClose={() => setDialog(null)} onReact={toggleReaction} />
        </Suspense>
      )}
    </MessageActionsContext.Provider>
  );
}
