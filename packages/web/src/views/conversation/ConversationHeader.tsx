/** The top of a conversation: back (phones), the chat's picture and name, who is online or typing, mute and info. */
import type { Chat, ChatMember } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ChatAvatar } from '../../components/ChatAvatar.js';
import { BackIcon, BellIcon, BellOffIcon, InfoIcon, SearchIcon } from '../../components/icons.js';
import { formatRelative } from '../../i18n/format.js';
import { chatsStore, setMuted } from '../../state/chats.js';
import { chatTitle, peopleStore, shownName, usePerson } from '../../state/people.js';
import { goBack, ROUTES } from '../../state/router.js';
import { useStore } from '../../state/store.js';
import { showToast } from '../../state/toasts.js';
import { useTyping } from '../../state/typing.js';
import { Isolated } from '../../text/Isolated.js';
import { isolateName } from '../../text/isolate.js';
import { ChatGalleryButton } from '../attachments/GalleryDialog.js';
import { ArchivedBadge } from '../chat-info/RoomArchived.js';
import { ChatOrganiseMenu } from '../people/ChatOrganiseMenu.js';
import { openSearch } from '../search/search-state.js';

/** Re-renders every minute, so "last seen 5 minutes ago" stays true. */
function useMinuteClock() {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 60_000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}

function useSubtitle(chat: Chat, members: readonly ChatMember[]): { text: string; active: boolean } {
  const { t, i18n } = useTranslation();
  const now = useMinuteClock();
  const typing = useTyping(chat.id);
  const typingNames = useStore(peopleStore, (people) =>
    typing.map((id) => isolateName(shownName(people[id]) || t('system.someone'))).join('\u0000'),
  );
  const peer = usePerson(chat.kind === 'direct' ? (chat.peer?.id ?? null) : null);
  const onlineCount = useStore(peopleStore, (people) => members.filter((m) => people[m.user.id]?.online).length);

  if (typing.length > 0) {
    const names = typingNames.split('\u0000');
    if (chat.kind === 'direct') return { text: t('typing.direct'), active: true };
    if (names.length === 1) return { text: t('typing.one', { name: names[0] }), active: true };
    if (names.length === 2) return { text: t('typing.two', { first: names[0], second: names[1] }), active: true };
    return { text: t('typing.many', { count: names.length }), active: true };
  }
  if (chat.kind === 'direct') {
    if (chat.peer?.deleted) return { text: t('presence.deleted'), active: false };
    if (peer?.online) return { text: t('presence.online'), active: true };
    const lastSeen = peer?.lastSeenAt ?? chat.peer?.lastSeenAt ?? null;
    if (!lastSeen) return { text: t('presence.lastSeenLongAgo'), active: false };
    return { text: t('presence.lastSeen', { when: formatRelative(lastSeen, i18n.language, now) ?? t('time.justNow') }), active: false };
  }
  const memberCount = t('chat.members', { count: chat.memberCount });
  // Joined the reader's way: "4 位成员，1 人在线", "メンバー 4 人、1 人がオンライン".
  const count =
    onlineCount > 0 ? t('chat.membersOnline', { members: memberCount, online: t('chat.online', { count: onlineCount }) }) : memberCount;
  return { text: chat.kind === 'room' && chat.handle ? `#${chat.handle} · ${count}` : count, active: false };
}

export function ConversationHeader({
  chat,
  members,
  infoOpen,
  onToggleInfo,
}: {
  chat: Chat;
  members: readonly ChatMember[];
  infoOpen: boolean;
  onToggleInfo(): void;
}) {
  const { t } = useTranslation();
  const subtitle = useSubtitle(chat, members);
  // On a phone the list is hidden behind Back: it says when other chats have unread messages.
  const unreadElsewhere = useStore(
    chatsStore,
    (state) => Object.values(state.byId).filter((other) => other.id !== chat.id && !other.muted && other.unreadCount > 0).length,
  );
  const toggleMute = () =>
    setMuted(chat.id, !chat.muted).then(
      () => showToast(chat.muted ? t('chat.unmuted') : t('chat.mutedNow')),
      () => showToast(t('errors.network'), 'error'),
    );
  return (
    <header className="pane-header conversation-header">
      <button
        type="button"
        className="icon-button back-button"
        aria-label={unreadElsewhere > 0 ? t('shell.backUnread', { count: unreadElsewhere }) : t('shell.back')}
        onClick={() => goBack(ROUTES.home)}
      >
        <BackIcon />
        {unreadElsewhere > 0 && (
          <span className="back-unread" aria-hidden="true">
            {unreadElsewhere > 99 ? '99+' : unreadElsewhere}
          </span>
        )}
      </button>
      <button type="button" className="conversation-avatar-button" tabIndex={-1} aria-hidden="true" onClick={onToggleInfo}>
        <ChatAvatar chat={chat} size={40} />
      </button>
      <div className="pane-header-text">
        <h1 className="pane-header-title conversation-title">
          <button type="button" className="title-button" onClick={onToggleInfo} aria-expanded={infoOpen}>
            <bdi>{chatTitle(chat)}</bdi>
          </button>
          <ArchivedBadge chat={chat} />
        </h1>
        <p className="pane-header-subtitle" data-active={subtitle.active ? 'true' : undefined} aria-live="polite">
          <Isolated text={subtitle.text} />
        </p>
      </div>
      <button
        type="button"
        className="icon-button"
        aria-label={t('search.inThisChat')}
        title={t('search.inThisChat')}
        onClick={() => openSearch({ chatId: chat.id })}
      >
        <SearchIcon size={20} />
      </button>
      <button
        type="button"
        className="icon-button"
        aria-label={chat.muted ? t('chat.unmute') : t('chat.mute')}
        title={chat.muted ? t('chat.unmute') : t('chat.mute')}
        onClick={() => void toggleMute()}
      >
        {chat.muted ? <BellOffIcon size={20} /> : <BellIcon size={20} />}
      </button>
      <ChatOrganiseMenu chatId={chat.id} />
      <ChatGalleryButton chat={chat} />
      <button type="button" className="icon-button" aria-label={t('chat.info')} aria-expanded={infoOpen} onClick={onToggleInfo}>
        <InfoIcon />
      </button>
    </header>
  );
}
