/**
 * The Threads view: the threads we take part in or follow, newest reply first, each with
 * its chat, root, reply count, last repliers and our unread count, and a follow toggle.
 * Opening one goes to its chat with the thread open beside it. A page at a time: "Show more
 * threads" at the end loads the next (the server's cursor).
 */
import type { Thread } from '@parley/protocol';
import { useTranslation } from 'react-i18next';
import { explainError } from '../../api/errors.js';
import { Avatar } from '../../components/Avatar.js';
import { BackIcon } from '../../components/icons.js';
import { formatListTime } from '../../i18n/format.js';
import { useChat } from '../../state/chats.js';
import { chatTitle, shownName } from '../../state/people.js';
import { chatPath, goBack, navigate, ROUTES } from '../../state/router.js';
import {
  followThread,
  loadMoreThreads,
  openThread,
  unreadOf,
  useThreadList,
  useThreadState,
  useThreadSummary,
} from '../../state/threads.js';
import { showToast } from '../../state/toasts.js';
import { plainText } from '../../text/markdown.js';
import { ThreadIcon } from './ThreadIcon.js';
import './threads.css';

function ThreadRow({ thread }: { thread: Thread }) {
  const { t, i18n } = useTranslation();
  const { root } = thread;
  const chat = useChat(root.chatId);
  const summary = useThreadSummary(root) ?? thread.summary;
  const state = useThreadState(root.id);
  const following = state?.following ?? thread.state.following;
  const unread = state ? unreadOf(state.unread) : thread.state.unreadCount;
  const open = () => {
    openThread(root.chatId, root.id);
    navigate(chatPath(root.chatId));
  };
  const toggle = () =>
    followThread(root.chatId, root.id, !following).catch((error: unknown) =>
      showToast(explainError(error, t).message || t('threads.followFailed'), 'error'),
    );
  return (
    <li className="threads-row" data-unread={unread > 0 ? 'true' : undefined} data-testid="threads-row">
      <button type="button" className="threads-row-open" onClick={open}>
        <span className="visually-hidden">{t('threads.open')}: </span>
        <Avatar id={root.senderId ?? ''} name={shownName(root.sender) || '?'} size={40} />
        <span className="threads-row-main">
          <span className="threads-row-top">
            <bdi className="threads-row-chat">{chat ? chatTitle(chat) : ''}</bdi>
            {summary.lastReplyAt && (
              <time className="threads-row-time" dateTime={summary.lastReplyAt}>
                {formatListTime(summary.lastReplyAt, i18n.language)}
              </time>
            )}
          </span>
          <span className="threads-row-root" dir="auto">
            <bdi className="threads-row-author">{shownName(root.sender)}</bdi>
            {': '}
            {root.deletedAt ? t('message.deleted') : plainText(root.text)}
          </span>
          <span className="threads-row-meta">
            <span className="thread-summary-avatars" aria-hidden="true">
              {summary.repliers.map((r) => (
                <Avatar key={r.id} id={r.id} name={r.displayName || '?'} size={18} />
              ))}
            </span>
            {t('threads.replies', { count: summary.replyCount })}
            {unread > 0 && (
              <span className="unread-badge threads-row-unread" data-testid="threads-row-unread">
                {t('threads.newReplies', { count: unread })}
              </span>
            )}
          </span>
        </span>
      </button>
      <button type="button" className="button button-secondary threads-row-follow" aria-pressed={following} onClick={toggle}>
        {following ? t('threads.unfollow') : t('threads.follow')}
      </button>
    </li>
  );
}

export default function ThreadsView() {
  const { t } = useTranslation();
  const list = useThreadList();
  const more = () =>
    loadMoreThreads().catch((error: unknown) => showToast(explainError(error, t).message || t('threads.moreFailed'), 'error'));
  return (
    <div className="threads-view">
      <header className="pane-header detail-header">
        <button type="button" className="icon-button back-button" aria-label={t('shell.back')} onClick={() => goBack(ROUTES.home)}>
          <BackIcon />
        </button>
        <div className="pane-header-text">
          <h1 className="detail-title">{t('threads.title')}</h1>
          <p className="pane-header-subtitle">{t('threads.subtitle')}</p>
        </div>
      </header>
      <div className="threads-scroll">
        {list.status === 'loading' && list.items.length === 0 && (
          <div className="pane-loading" role="status">
            <span className="spinner" aria-hidden="true" />
            {t('threads.loading')}
          </div>
        )}
        {list.status === 'failed' && list.items.length === 0 && <p className="threads-empty">{t('threads.loadFailed')}</p>}
        {list.status === 'ready' && list.items.length === 0 && (
          <div className="empty-state">
            <div className="empty-state-icon">
              <ThreadIcon size={32} />
            </div>
            <p className="empty-state-title">{t('threads.emptyTitle')}</p>
            <p className="empty-state-body">{t('threads.emptyBody')}</p>
          </div>
        )}
        {list.items.length > 0 && (
          <ul className="threads-list">
            {list.items.map((thread) => (
              <ThreadRow key={thread.root.id} thread={thread} />
            ))}
          </ul>
        )}
        {list.nextCursor && list.items.length > 0 && (
          <button
            type="button"
            className="button button-secondary threads-more"
            onClick={more}
            disabled={list.loadingMore}
            aria-busy={list.loadingMore}
          >
            {list.loadingMore && <span className="spinner" aria-hidden="true" />}
            {t('threads.more')}
          </button>
        )}
      </div>
    </div>
  );
}
