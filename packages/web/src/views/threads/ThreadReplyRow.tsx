/** One message in the thread panel (the root or a reply): picture, name, time, text and files. */
import type { Message } from '@parley/protocol';
import { useTranslation } from 'react-i18next';
import { Avatar } from '../../components/Avatar.js';
import { formatDateTime, formatTime } from '../../i18n/format.js';
import { shownName } from '../../state/people.js';
import { RichText } from '../../text/RichText.js';
import { MessageAttachments } from '../attachments/MessageAttachments.js';

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
  return (
    <article
      className="thread-message"
      data-root={root ? 'true' : undefined}
      data-pending={pending ?? undefined}
      data-testid="thread-message"
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
    </article>
  );
}
