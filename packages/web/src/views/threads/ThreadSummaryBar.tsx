/**
 * Under a thread's root in the conversation: the last repliers' pictures, how many replies,
 * when the last one came, and a dot while we follow it with unread replies; opens the
 * thread. Under a reply also sent to the chat: a link to its thread.
 */
import type { Message } from '@parley/protocol';
import { useTranslation } from 'react-i18next';
import { Avatar } from '../../components/Avatar.js';
import { formatRelative } from '../../i18n/format.js';
import { openThread, unreadOf, useThreadState, useThreadSummary } from '../../state/threads.js';
import './threads.css';

export function ThreadSummaryBar({ message }: { message: Message }) {
  const { t, i18n } = useTranslation();
  const summary = useThreadSummary(message);
  const state = useThreadState(message.id);
  if (message.threadRootId && message.alsoToChat) {
    const rootId = message.threadRootId;
    return (
      <button type="button" className="thread-link" onClick={() => openThread(message.chatId, rootId)}>
        {t('threads.repliedInThread')} · <span className="thread-link-action">{t('threads.viewThread')}</span>
      </button>
    );
  }
  if (!summary || summary.replyCount === 0) return null;
  const unread = state?.following ? unreadOf(state.unread) : 0;
  const when = summary.lastReplyAt ? (formatRelative(summary.lastReplyAt, i18n.language) ?? t('time.justNow')) : null;
  return (
    <button
      type="button"
      className="thread-summary"
      data-testid="thread-summary"
      data-unread={unread > 0 ? 'true' : undefined}
      onClick={() => openThread(message.chatId, message.id)}
    >
      <span className="visually-hidden">{t('threads.open')}: </span>
      <span className="thread-summary-avatars" aria-hidden="true">
        {summary.repliers.map((replier) => (
          <Avatar key={replier.id} id={replier.id} name={replier.displayName || '?'} size={20} />
        ))}
      </span>
      <span className="thread-summary-count">{t('threads.replies', { count: summary.replyCount })}</span>
      {when && <span className="thread-summary-when">{t('threads.lastReply', { when })}</span>}
      {unread > 0 && <span className="thread-summary-dot">{t('threads.newReplies', { count: unread })}</span>}
    </button>
  );
}
