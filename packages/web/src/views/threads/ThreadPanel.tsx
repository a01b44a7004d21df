/**
 * A thread beside its conversation (over it on narrow screens, full screen on a phone):
 * the root, the replies as they come, our pending ones, following, and a composer. While
 * it is on screen the thread is marked read up to its newest reply, which clears its badge
 * on our other devices too.
 */
import type { Chat } from '@parley/protocol';
import { ParleyApiError } from '@parley/sdk';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { explainError } from '../../api/errors.js';
import { CrossIcon } from '../../components/icons.js';
import { pageIsSeen } from '../../state/notifications.js';
import { chatTitle } from '../../state/people.js';
import { useMe } from '../../state/session.js';
import {
  closeThread,
  discardReply,
  followThread,
  loadOlderReplies,
  loadReplies,
  loadThread,
  markThreadRead,
  type PendingReply,
  retryReply,
  usePendingReplies,
  useThreadReplies,
  useThreadRoot,
  useThreadState,
  useThreadSummary,
} from '../../state/threads.js';
import { showToast } from '../../state/toasts.js';
import { ThreadComposer } from './ThreadComposer.js';
import { ThreadReplyRow } from './ThreadReplyRow.js';
import './threads.css';

/** Our reply until the server has it; refused, it offers to send again (same clientId) or delete. */
function PendingReplyRow({ reply }: { reply: PendingReply }) {
  const { t } = useTranslation();
  const me = useMe();
  const sender = { id: me.id, username: me.username, displayName: me.displayName };
  return (
    <>
      <ThreadReplyRow
        message={{ id: reply.clientId, senderId: me.id, sender, text: reply.text, createdAt: reply.createdAt, deletedAt: null }}
        meUsername={me.username}
        pending={reply.failed ? 'failed' : 'sending'}
      />
      {reply.failed && (
        <p className="thread-message-actions" role="alert">
          <button
            type="button"
            className="link-button"
            onClick={() => retryReply(reply, (error) => showToast(explainError(error, t).message, 'error'))}
          >
            {t('message.retry')}
          </button>
          <button type="button" className="link-button" onClick={() => discardReply(reply)}>
            {t('message.discard')}
          </button>
        </p>
      )}
    </>
  );
}

export function ThreadPanel({ chat, rootId }: { chat: Chat; rootId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const titleId = useId();
  const root = useThreadRoot(rootId);
  const summary = useThreadSummary(root ?? null);
  const state = useThreadState(rootId);
  const replies = useThreadReplies(rootId);
  const pending = usePendingReplies(rootId);
  const [gone, setGone] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);

  useEffect(() => {
    setGone(false);
    loadThread(chat.id, rootId).catch((error: unknown) => {
      if (error instanceof ParleyApiError && error.status === 404) setGone(true);
    });
    void loadReplies(chat.id, rootId);
  }, [chat.id, rootId]);

  // Escape closes the thread, unless something in front of it used the key.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || document.querySelector('dialog[open]')) return;
      closeThread();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  const newest = replies?.items.at(-1)?.seq ?? 0;
  // Read while it is on screen: the newest reply, as it arrives.
  useEffect(() => {
    if (newest === 0) return;
    const mark = () => pageIsSeen() && markThreadRead(chat.id, rootId, newest);
    mark();
    document.addEventListener('visibilitychange', mark);
    window.addEventListener('focus', mark);
    return () => {
      document.removeEventListener('visibilitychange', mark);
      window.removeEventListener('focus', mark);
    };
  }, [chat.id, rootId, newest]);

  // Stay at the bottom as replies arrive (ours included), not when earlier ones load above.
  const waiting = pending.length;
  useEffect(() => {
    const element = scroller.current;
    if (element && newest + waiting >= 0) element.scrollTop = element.scrollHeight;
  }, [newest, waiting]);

  const following = state?.following ?? false;
  const toggleFollow = () =>
    followThread(chat.id, rootId, !following).catch((error: unknown) =>
      showToast(explainError(error, t).message || t('threads.followFailed'), 'error'),
    );

  return (
    <aside className="thread-panel" aria-labelledby={titleId} data-testid="thread-panel">
      <header className="pane-header thread-panel-header">
        <button type="button" className="icon-button" aria-label={t('threads.close')} onClick={closeThread}>
          <CrossIcon size={20} />
        </button>
        <div className="pane-header-text">
          <h2 className="detail-title" id={titleId}>
            {t('threads.panelTitle')}
          </h2>
          <p className="pane-header-subtitle">
            <bdi>{t('threads.inChat', { chat: chatTitle(chat) })}</bdi>
          </p>
        </div>
        <button type="button" className="button button-secondary thread-follow" aria-pressed={following} onClick={toggleFollow}>
          {following ? t('threads.following') : t('threads.follow')}
        </button>
      </header>
      {gone ? (
        <p className="thread-panel-note" role="alert">
          {t('threads.rootGone')}
        </p>
      ) : (
        <div className="thread-scroll" ref={scroller}>
          {root ? (
            <ThreadReplyRow message={root} meUsername={me.username} root />
          ) : (
            <p className="thread-panel-note" role="status">
              {t('threads.loading')}
            </p>
          )}
          <p className="thread-divider">
            <span>{summary && summary.replyCount > 0 ? t('threads.replies', { count: summary.replyCount }) : t('threads.noReplies')}</span>
          </p>
          {replies?.hasOlder && (
            <button type="button" className="link-button thread-older" onClick={() => void loadOlderReplies(chat.id, rootId)}>
              {t('threads.earlier')}
            </button>
          )}
          {replies?.items.map((reply) => (
            <ThreadReplyRow key={reply.id} message={reply} meUsername={me.username} />
          ))}
          {pending.map((reply) => (
            <PendingReplyRow key={reply.clientId} reply={reply} />
          ))}
        </div>
      )}
      {!gone && <ThreadComposer chatId={chat.id} rootId={rootId} canPost />}
    </aside>
  );
}
