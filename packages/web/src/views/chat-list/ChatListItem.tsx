/** One row of the chat list: picture, name, time, a preview of the last message (or who is typing), and the unread badge. */

import type { Chat } from '@parley/protocol';
import i18n, { type TFunction } from 'i18next';
import { type HTMLAttributes, memo } from 'react';
import { useTranslation } from 'react-i18next';
import { ChatAvatar } from '../../components/ChatAvatar.js';
import { BellOffIcon, LockIcon } from '../../components/icons.js';
import { Link } from '../../components/Link.js';
import { formatList, formatListTime } from '../../i18n/format.js';
import { chatTitle, peopleStore, shownName } from '../../state/people.js';
import { useAlias } from '../../state/people-relations.js';
import { chatPath } from '../../state/router.js';
import { useStore } from '../../state/store.js';
import { useTyping } from '../../state/typing.js';
import { Isolated } from '../../text/Isolated.js';
import { isolateName } from '../../text/isolate.js';
import { plainText } from '../../text/markdown.js';
import { attachmentPreviewKey } from '../attachments/media-url.js';
import { useSystemText } from '../conversation/system-text.js';
import { EmojiText } from '../custom-emoji/EmojiGlyph.js';

function TypingPreview({ chat, userIds, t }: { chat: Chat; userIds: readonly string[]; t: TFunction }) {
  const names = useStore(peopleStore, (people) =>
    formatList(
      userIds.map((id) => isolateName(shownName(people[id]))),
      i18n.language,
    ),
  );
  return (
    <span className="chat-row-typing">
      {chat.kind === 'direct' ? t('typing.direct') : <Isolated text={t('typing.named', { names })} />}
    </span>
  );
}

/** The text, or for files without a caption "Photo", "Video", "Voice message", "File" in the reader's language. */
function attachmentPreview(message: NonNullable<Chat['lastMessage']>, t: TFunction): string {
  const key = message.text === '' ? attachmentPreviewKey(message.attachments ?? []) : null;
  return key ? t(key) : plainText(message.text);
}

function MessagePreview({ chat, meId, t }: { chat: Chat; meId: string; t: TFunction }) {
  const message = chat.lastMessage;
  const systemText = useSystemText(message?.system ?? null, meId, t, i18n.language);
  if (!message) return <span>{chat.kind === 'room' && chat.description ? chat.description : t('chatList.noMessages')}</span>;
  if (message.deletedAt) return <span className="chat-row-deleted">{t('message.deleted')}</span>;
  if (message.kind === 'system')
    return (
      <span>
        <Isolated text={systemText} />
      </span>
    );
  const author =
    message.senderId === meId ? t('chatList.you') : chat.kind === 'direct' ? null : message.sender ? shownName(message.sender) : null;
  return (
    <span>
      {message.privateTo && <LockIcon size={12} />}
      {author && (
        <span className="chat-row-author">
          <Isolated text={t('chatList.author', { name: isolateName(author) })} />
        </span>
      )}
      <span dir="auto" className="chat-row-text">
        {/* The server's `:name:` emoji as their small pictures, as in the message itself (RichText). */}
        <EmojiText text={attachmentPreview(message, t)} />
      </span>
    </span>
  );
}

export const ChatListItem = memo(function ChatListItem({
  chat,
  active,
  meId,
  pinned = false,
  drag,
}: {
  chat: Chat;
  active: boolean;
  meId: string;
  pinned?: boolean;
  /** Pinned rows: drag-and-drop handlers that reorder the pins (pin-drag.ts). */
  drag?: HTMLAttributes<HTMLLIElement>;
}) {
  const { t, i18n } = useTranslation();
  // Your private alias for the other one of a direct chat, with the real name on hover.
  const alias = useAlias(chat.kind === 'direct' ? (chat.peer?.id ?? null) : null);
  const typing = useTyping(chat.id);
  const at = chat.lastMessage?.createdAt ?? chat.lastActivityAt;
  const unread = chat.unreadCount > 0;
  return (
    <li {...drag}>
      <Link
        href={chatPath(chat.id)}
        className="chat-row"
        aria-current={active ? 'page' : undefined}
        data-unread={unread ? 'true' : undefined}
        data-muted={chat.muted ? 'true' : undefined}
        data-pinned={pinned ? 'true' : undefined}
      >
        <ChatAvatar chat={chat} size={48} />
        <span className="chat-row-main">
          <span className="chat-row-top">
            <bdi className="chat-row-name" title={alias ? chatTitle(chat) : undefined}>
              {alias ?? chatTitle(chat)}
            </bdi>
            {pinned && (
              <span className="chat-row-pinned" title={t('contacts.organise.pinned')}>
                📌<span className="visually-hidden">{t('contacts.organise.pinned')}</span>
              </span>
            )}
            {chat.muted && (
              <span className="chat-row-muted" title={t('chatList.muted')}>
                <BellOffIcon size={14} />
                <span className="visually-hidden">{t('chatList.muted')}</span>
              </span>
            )}
            <time className="chat-row-time" dateTime={at}>
              {formatListTime(at, i18n.language)}
            </time>
          </span>
          <span className="chat-row-bottom">
            <span className="chat-row-preview">
              {typing.length > 0 ? <TypingPreview chat={chat} userIds={typing} t={t} /> : <MessagePreview chat={chat} meId={meId} t={t} />}
            </span>
            {chat.mentionCount > 0 && (
              <span className="mention-badge" title={t('chatList.mentioned')}>
                @<span className="visually-hidden">{t('chatList.mentioned')}</span>
              </span>
            )}
            {unread && (
              <span className="unread-badge">
                {chat.unreadCount > 999 ? '999+' : chat.unreadCount}
                <span className="visually-hidden"> {t('chatList.unread', { count: chat.unreadCount })}</span>
              </span>
            )}
          </span>
        </span>
      </Link>
    </li>
  );
});
