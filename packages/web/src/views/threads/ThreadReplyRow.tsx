/** One message in the thread panel (the root or a reply): picture, name, time, text and files. */
import type { Message } from '@parley/protocol';
import { useTranslation } from 'react-i18next';
import { Avatar } from '../../components/Avatar.js';
import { MoreIcon } from '../../components/icons.js';
import { formatDateTime, formatTime } from '../../i18n/format.js';
import { shownName } from '../../state/people.js';
import { RichText } from '../../text/RichText.js';
import { MessageAttachments } from '../attachments/MessageAttachments.js';
import { useMessageActions } from '../conversation/actions.js';

export function ThreadReplyRow({
  message,
  meUsername,
  root = false,
  pending = null,
}: {
  message: Pick<Message, 'id' | 'senderId' | 'sender' | 'text' | 'createdAt' | 'deletedAt'> & Partial<Message>;
  meUsername: string;
  root?: boolean;
  pending?: 'sending' | 'failed' | null;
}) {
  const { t, i18n } = useTranslation();
  const name = shownName(message.sender) || t('system.someone');
  const deleted = message.deletedAt !== null;
  const actions = useMessageActions();
  // The conversation's message menu (edit, copy, forward, delete, reactions…) works on a reply too.
  const actionable = !pending && !deleted && message.chatId !== undefined ? (message as Message) : null;
  return (
    <article
      className="thread-message"
      data-root={root ? 'true' : undefined}
      data-pending={pending ?? undefined}
      data-testid="thread-message"
      onContextMenu={(event) => {
        if (!actionable || (event.target instanceof HTMLAnchorElement && event.target.href)) return;
        event.preventDefault();
        actions.openMenu(actionable, { x: event.clientX, y: event.clientY });
      }}
    >
      <Avatar id={message.senderId ?? ''} name={name} size={32} />
      <div className="thread-message-body">
        <p className="thread-message-head">
          <bdi className="thread-message-name">{name}</bdi>
          <time dateTime={message.createdAt} title={formatDateTime(message.createdAt, i18n.language)}>
            {formatTime(message.createdAt, i18n.language)}
          </time>
          {pending === 'sending' && <span className="thread-message-state">{t('delivery.pending')}</span>}
          {pending === 'failed' && <span className="thread-message-state thread-message-failed">{t('message.notSent')}</span>}
        </p>
        {deleted ? (
          <p className="thread-message-deleted">{t('message.deleted')}</p>
        ) : (
          <>
            {message.attachments && message.attachments.length > 0 && <MessageAttachments message={message as Message} />}
            {message.text !== '' && (
              <div className="thread-message-text">
                <RichText text={message.text} me={meUsername} />
              </div>
            )}
          </>
        )}
        {!deleted && message.reactions && message.reactions.length > 0 && (
          <p className="thread-message-reactions">
            {message.reactions.map((r) => (
              <span key={r.emoji} className="reaction" title={String(r.count)}>
                <span className="reaction-emoji">{r.emoji}</span>
                <span className="reaction-count">{r.count}</span>
              </span>
            ))}
          </p>
        )}
      </div>
      {actionable && (
        <button
          type="button"
          className="icon-button thread-message-more"
          aria-label={t('message.actions')}
          aria-haspopup="menu"
          onClick={(event) => {
            const box = event.currentTarget.getBoundingClientRect();
            actions.openMenu(actionable, { x: box.left - 200, y: box.bottom });
          }}
        >
          <MoreIcon />
        </button>
      )}
    </article>
  );
}
