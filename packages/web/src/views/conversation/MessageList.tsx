/**
 * The scrolling history of one chat. Only a window of messages is loaded and rendered
 * (state/message-window.ts): nearing the top loads the previous page, nearing the bottom
 * of a window that doesn't reach the present loads the next, and the window drops what
 * is far out of sight, so a chat of any length keeps a small DOM.
 *
 * Scroll position is kept by hand: before every change we know which row is at the top
 * of the view and how far from it; after the change that row is put back in the same
 * place (prepending a page doesn't move what you read). At the bottom, the view follows
 * new messages. Messages count as read when they have been on screen.
 */
import type { Chat, ChatMember } from '@parley/protocol';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ArrowDownIcon } from '../../components/icons.js';
import { daysAgo, formatDay, formatList } from '../../i18n/format.js';
import { markRead } from '../../state/chats.js';
import { deliveredToSomeone, deliveryOf, type ReadPosition, readersOf } from '../../state/delivery.js';
import { clearFocus, historyStore, loadLatest, loadNewer, loadOlder, useHistory, usePending } from '../../state/messages.js';
import { pageIsSeen } from '../../state/notifications.js';
import { chatTitle, peopleStore, shownName } from '../../state/people.js';
import { useStore } from '../../state/store.js';
import { buildTimeline, type TimelineRow } from '../../state/timeline.js';
import { Isolated } from '../../text/Isolated.js';
import { withoutIsolates } from '../../text/isolate.js';
import { MessageRow } from './MessageRow.js';
import { useSystemText } from './system-text.js';

/** Start loading the next page this far (px) before the edge comes into view. */
const LOAD_MARGIN_PX = 900;
/**
 * At most one page from an edge this often: dragging the scrollbar to the top holds the
 * view at the edge while each page arrives, which otherwise asked for page after page.
 */
const EDGE_LOAD_EVERY_MS = 600;
const AT_BOTTOM_PX = 48;
const HIGHLIGHT_MS = 1800;
const READERS_NAMED = 10;

function DaySeparator({ at, rowKey }: { at: string; rowKey: string }) {
  const { t, i18n } = useTranslation();
  const days = daysAgo(at);
  const label = days === 0 ? t('day.today') : days === 1 ? t('day.yesterday') : formatDay(at, i18n.language);
  return (
    <div className="day-separator" data-row={rowKey}>
      <span>{label}</span>
    </div>
  );
}

/**
 * The unread messages after `seq`, counted from the loaded window when it reaches the
 * newest message (so the badge is exact the moment you read); undefined when it does not.
 */
function unreadAfter(chatId: string, seq: number, meId: string): number | undefined {
  const window = historyStore.get()[chatId]?.window;
  if (!window || window.hasNewer) return undefined;
  return window.items.filter((m) => m.seq > seq && m.kind === 'text' && m.senderId !== meId && m.deletedAt === null).length;
}

function SystemRow({ row, meId }: { row: Extract<TimelineRow, { kind: 'system' }>; meId: string }) {
  const { t, i18n } = useTranslation();
  const text = useSystemText(row.message.system, meId, t, i18n.language);
  // With an alias in it, the real names show on hover.
  const realNames = useSystemText(row.message.system, meId, t, i18n.language, true);
  return (
    <div
      className="system-row"
      data-row={row.key}
      data-seq={row.message.seq}
      data-message-id={row.message.id}
      title={realNames !== text ? withoutIsolates(realNames) : undefined}
    >
      <span>
        <Isolated text={text} />
      </span>
    </div>
  );
}

interface Props {
  chat: Chat;
  meId: string;
  meUsername: string;
  members: readonly ChatMember[];
  /** Messages from others after this were new when the chat opened: the divider goes before them. */
  unreadAfterSeq: number | null;
  /** Changes each time we send: the view goes to the bottom, where the message appears. */
  sent: number;
}

export function MessageList({ chat, meId, meUsername, members, unreadAfterSeq, sent }: Props) {
  const { t, i18n } = useTranslation();
  const chatId = chat.id;
  const history = useHistory(chatId);
  const pending = usePending(chatId);
  const { window: win, loading, focus, failed } = history;
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const anchor = useRef<{ key: string; offset: number } | null>(null);
  const placed = useRef(false);
  const frame = useRef(0);
  const highlightTimer = useRef(0);
  const lastEdgeLoad = useRef(0);
  const edgeTimer = useRef(0);
  const [highlight, setHighlight] = useState<string | null>(null);
  const [awayFromBottom, setAwayFromBottom] = useState(false);

  const rows = useMemo(
    () => buildTimeline(win.items, win.hasNewer ? [] : pending, { meId, unreadAfterSeq }),
    [win.items, win.hasNewer, pending, meId, unreadAfterSeq],
  );
  const positions = useMemo<ReadPosition[]>(
    () => members.map((m) => ({ userId: m.user.id, lastReadSeq: m.lastReadSeq, deliveredSeq: m.deliveredSeq })),
    [members],
  );
  const nameOf = useCallback((id: string | null) => (id ? shownName(peopleStore.get()[id]) : ''), []);
  // Re-render rows when names arrive (private recipients, readers).
  useStore(peopleStore, (people) => people);

  /** Remembers the first row at the top of the view and its distance from the top edge. */
  const recordAnchor = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    const top = el.scrollTop;
    // Not the loading spinners at the edges: they stay at the edge when a page comes in.
    const nodes = el.querySelectorAll<HTMLElement>('[data-row]:not([data-row^="edge:"])');
    let low = 0;
    let high = nodes.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      const node = nodes[mid];
      if (node && node.offsetTop + node.offsetHeight <= top) low = mid + 1;
      else high = mid;
    }
    const node = nodes[low];
    anchor.current = node?.dataset.row ? { key: node.dataset.row, offset: node.offsetTop - top } : null;
  }, []);

  /** Marks read up to the newest message whose top part is on screen. */
  const evaluateRead = useCallback(() => {
    const el = scroller.current;
    if (!el || !pageIsSeen()) return;
    const bottom = el.scrollTop + el.clientHeight;
    const nodes = el.querySelectorAll<HTMLElement>('[data-seq]');
    for (let i = nodes.length - 1; i >= 0; i--) {
      const node = nodes[i];
      if (node && node.offsetTop + Math.min(node.offsetHeight, 32) <= bottom) {
        const seq = Number(node.dataset.seq);
        markRead(chatId, seq, unreadAfter(chatId, seq, meId));
        return;
      }
    }
  }, [chatId, meId]);

  /** Loads the next page when an edge of the window is near (also when the list is too short to scroll). */
  const checkEdges = useCallback(() => {
    const el = scroller.current;
    const current = historyStore.get()[chatId];
    if (!el || !current || current.loading || current.window.items.length === 0) return;
    const fromBottom = el.scrollHeight - el.scrollTop - el.clientHeight;
    const older = el.scrollTop < LOAD_MARGIN_PX && current.window.hasOlder;
    const newer = !older && fromBottom < LOAD_MARGIN_PX && current.window.hasNewer;
    if (!older && !newer) return;
    const wait = lastEdgeLoad.current + EDGE_LOAD_EVERY_MS - Date.now();
    if (wait > 0) {
      // Still at the edge after the pause: check again then (the reader may have moved on).
      window.clearTimeout(edgeTimer.current);
      edgeTimer.current = window.setTimeout(() => checkEdgesRef.current(), wait);
      return;
    }
    lastEdgeLoad.current = Date.now();
    void (older ? loadOlder(chatId) : loadNewer(chatId));
  }, [chatId]);
  const checkEdgesRef = useRef(checkEdges);
  checkEdgesRef.current = checkEdges;
  useEffect(() => () => window.clearTimeout(edgeTimer.current), []);

  const onScroll = () => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      const el = scroller.current;
      if (!el) return;
      const fromBottom = el.scrollHeight - el.scrollTop - el.clientHeight;
      stick.current = fromBottom < AT_BOTTOM_PX;
      setAwayFromBottom(fromBottom > 300);
      recordAnchor();
      checkEdges();
      evaluateRead();
    });
  };

  // After every change of rows: first placement, follow the bottom, or keep the anchor row still.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || rows.length === 0) return;
    if (!placed.current) {
      const divider = el.querySelector<HTMLElement>('[data-row="unread"]');
      el.scrollTop = divider ? divider.offsetTop - el.clientHeight / 3 : el.scrollHeight;
      placed.current = true;
    } else if (stick.current && !win.hasNewer) {
      el.scrollTop = el.scrollHeight;
    } else if (anchor.current) {
      const node = el.querySelector<HTMLElement>(`[data-row="${CSS.escape(anchor.current.key)}"]`);
      if (node) el.scrollTop = node.offsetTop - anchor.current.offset;
    }
    stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < AT_BOTTOM_PX;
    recordAnchor();
    checkEdges();
    evaluateRead();
  }, [rows, win.hasNewer, recordAnchor, checkEdges, evaluateRead]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (sent === 0 || !el) return;
    stick.current = true;
    el.scrollTop = el.scrollHeight;
  }, [sent]);

  // A jump (reply quote, search): centre the message and flash it — once its row exists.
  // biome-ignore lint/correctness/useExhaustiveDependencies: rows: the target may render after the focus was set.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!focus || !el) return;
    const node = el.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(focus.messageId)}"]`);
    if (!node) return;
    el.scrollTop = node.offsetTop - el.clientHeight / 2 + node.offsetHeight / 2;
    placed.current = true;
    stick.current = false;
    recordAnchor();
    setHighlight(focus.messageId);
    window.clearTimeout(highlightTimer.current);
    highlightTimer.current = window.setTimeout(() => setHighlight(null), HIGHLIGHT_MS);
    clearFocus(chatId);
  }, [focus, rows, chatId, recordAnchor]);

  // Reading resumes when the person comes back to the page.
  useEffect(() => {
    window.addEventListener('focus', evaluateRead);
    document.addEventListener('visibilitychange', evaluateRead);
    return () => {
      window.removeEventListener('focus', evaluateRead);
      document.removeEventListener('visibilitychange', evaluateRead);
      window.clearTimeout(highlightTimer.current);
      cancelAnimationFrame(frame.current);
    };
  }, [evaluateRead]);

  const toLatest = () => {
    stick.current = true;
    if (win.hasNewer) void loadLatest(chatId);
    else scroller.current?.scrollTo({ top: scroller.current.scrollHeight, behavior: 'smooth' });
  };

  const showSender = chat.kind !== 'direct';
  const initialLoading = win.items.length === 0 && (loading === 'latest' || loading === 'around');

  return (
    <div className="message-area">
      <div
        className="message-scroller"
        ref={scroller}
        onScroll={onScroll}
        role="log"
        aria-label={t('conversation.history', { name: chatTitle(chat) })}
        aria-busy={loading !== null}
        // Focusable, so the history scrolls with the keyboard (arrows, Page Up/Down, Home/End).
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard.
        tabIndex={0}
      >
        <div className="message-list">
          {win.hasOlder && win.items.length > 0 && (
            <div className="history-edge" data-row="edge:older">
              <span className="spinner" aria-hidden="true" />
              <span className="visually-hidden">{t('conversation.loadingOlder')}</span>
            </div>
          )}
          {!win.hasOlder && win.items.length > 0 && (
            <div className="history-start" data-row="edge:start">
              {t('conversation.start')}
            </div>
          )}
          {initialLoading && (
            <div className="history-loading" role="status">
              <span className="spinner" aria-hidden="true" />
              {t('conversation.loading')}
            </div>
          )}
          {failed && win.items.length === 0 && (
            <div className="history-loading" role="alert">
              {t('conversation.loadFailed')}
              <button type="button" className="link-button" onClick={() => void loadLatest(chatId)}>
                {t('app.retry')}
              </button>
            </div>
          )}
          {!initialLoading && !failed && win.items.length === 0 && pending.length === 0 && loading === null && (
            <div className="history-empty">
              <p className="history-empty-title">{t('conversation.emptyTitle')}</p>
              <p>{t('conversation.emptyBody')}</p>
            </div>
          )}
          {rows.map((row) => {
            switch (row.kind) {
              case 'day':
                return <DaySeparator key={row.key} rowKey={row.key} at={row.at} />;
              case 'unread':
                return (
                  <div key={row.key} className="unread-divider" data-row="unread">
                    <span>{t('conversation.newMessages')}</span>
                  </div>
                );
              case 'system':
                return <SystemRow key={row.key} row={row} meId={meId} />;
              case 'message': {
                const { message } = row;
                const mine = message.senderId === meId;
                const readers = mine ? readersOf(message, positions, meId) : [];
                // A big room can have hundreds of readers: name the first few.
                const named = readers.slice(0, READERS_NAMED).map((r) => nameOf(r.userId));
                if (readers.length > READERS_NAMED) named.push(`+${readers.length - READERS_NAMED}`);
                const readerNames = formatList(named, i18n.language);
                const peer = message.privateTo ? (mine ? message.privateTo : message.senderId) : null;
                return (
                  <MessageRow
                    key={row.key}
                    rowKey={row.key}
                    message={message}
                    pending={null}
                    first={row.first}
                    last={row.last}
                    mine={mine}
                    meId={meId}
                    meUsername={meUsername}
                    showSender={showSender}
                    delivery={mine ? deliveryOf(readers, readers.length === 0 && deliveredToSomeone(message, positions, meId)) : null}
                    readers={readerNames}
                    privatePeerName={peer ? nameOf(peer) : null}
                    highlighted={highlight === message.id}
                  />
                );
              }
              case 'pending':
                return (
                  <MessageRow
                    key={row.key}
                    rowKey={row.key}
                    message={null}
                    pending={row.pending}
                    first={row.first}
                    last={row.last}
                    mine
                    meId={meId}
                    meUsername={meUsername}
                    showSender={showSender}
                    delivery={null}
                    readers=""
                    privatePeerName={row.pending.privateTo ? nameOf(row.pending.privateTo) : null}
                    highlighted={false}
                  />
                );
            }
            return null;
          })}
          {win.hasNewer && (
            <div className="history-edge" data-row="edge:newer">
              <span className="spinner" aria-hidden="true" />
              <span className="visually-hidden">{t('conversation.loadingNewer')}</span>
            </div>
          )}
        </div>
      </div>
      {(awayFromBottom || win.hasNewer) && (
        <button type="button" className="to-latest" aria-label={t('conversation.toLatest')} onClick={toLatest}>
          <ArrowDownIcon />
          {chat.unreadCount > 0 && <span className="unread-badge">{chat.unreadCount}</span>}
        </button>
      )}
    </div>
  );
}
