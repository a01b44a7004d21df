/**
 * Threads (E15) as the app knows them: our state of each thread we have seen (following,
 * unread — see thread-unread.ts), the Threads view's list, the live summaries of roots
 * (reply count, last repliers) over what the root carried when loaded, the replies of the
 * open thread, our replies still waiting for the server, and which thread is open. Fed by
 * REST after each connect and by the events of our stream (`thread.updated`) and of the
 * chats (`message.*` of replies); the chat's own stores never see a thread-only reply.
 */
import type { Message, MessagePage, Thread, ThreadState, ThreadSummary, ThreadUpdated } from '@parley/protocol';
import { THREAD_REPLIERS_SHOWN } from '@parley/protocol';
import { parley } from '../api/client.js';
import { getRealtime } from './connection.js';
import { onEachConnection } from './follow-realtime.js';
import { type ReactionChange, withReactionChange } from './message-window.js';
import { historyStore, newClientId } from './messages.js';
import { rememberUser } from './people.js';
import { createStore, useStore, withEntry } from './store.js';
import { readStoredReplies, storeReplies } from './thread-outbox.js';
import { type ThreadUnread, unreadOf, withReply, withReplyDeleted, withSnapshot } from './thread-unread.js';

export interface KnownThread {
  chatId: string;
  following: boolean;
  unread: ThreadUnread;
}

export interface ThreadReplies {
  items: Message[];
  hasOlder: boolean;
  status: 'loading' | 'ready' | 'failed';
}

export interface PendingReply {
  clientId: string;
  chatId: string;
  rootId: string;
  text: string;
  alsoToChat: boolean;
  createdAt: string;
  failed: boolean;
}

export const threadStatesStore = createStore<Readonly<Record<string, KnownThread>>>({});
export interface ThreadListState {
  status: 'idle' | 'loading' | 'ready' | 'failed';
  items: readonly Thread[];
  /** Where the next page starts (the server's cursor); null when everything is loaded. */
  nextCursor: string | null;
  loadingMore: boolean;
}

const EMPTY_LIST: ThreadListState = { status: 'idle', items: [], nextCursor: null, loadingMore: false };
export const threadListStore = createStore<ThreadListState>(EMPTY_LIST);
export const summariesStore = createStore<Readonly<Record<string, ThreadSummary>>>({});
export const repliesStore = createStore<Readonly<Record<string, ThreadReplies>>>({});
export const rootsStore = createStore<Readonly<Record<string, Message>>>({});
export const pendingRepliesStore = createStore<Readonly<Record<string, readonly PendingReply[]>>>({});
export const openThreadStore = createStore<{ chatId: string; rootId: string } | null>(null);

const EMPTY_SUMMARY: ThreadSummary = { replyCount: 0, lastReplySeq: 0, lastReplyAt: null, repliers: [] };
/** The Threads view loads this many at a time; more as the person asks (at most the server's 100). */
const LIST_LIMIT = 30;

// ---- Reading ----

/** The newer of two summaries of a root (by newest reply; on a tie, the live one, which saw a deletion). */
const newer = (live: ThreadSummary | undefined, loaded: ThreadSummary | undefined) =>
  live && (!loaded || live.lastReplySeq >= loaded.lastReplySeq) ? live : loaded;

/** What we know of a root's summary: live changes over what the root message carried. */
function knownSummary(rootId: string): ThreadSummary | undefined {
  const loaded =
    rootsStore.get()[rootId]?.thread ??
    threadListStore.get().items.find((t) => t.root.id === rootId)?.summary ??
    Object.values(historyStore.get())
      .flatMap((h) => h.window.items)
      .find((m) => m.id === rootId)?.thread;
  return newer(summariesStore.get()[rootId], loaded);
}

export const useThreadSummary = (message: Message | null) =>
  useStore(summariesStore, (all) => (message ? newer(all[message.id], message.thread) : undefined));
export const useThreadState = (rootId: string) => useStore(threadStatesStore, (all) => all[rootId]);
export const useThreadList = () => useStore(threadListStore, (list) => list);
export const useThreadReplies = (rootId: string) => useStore(repliesStore, (all) => all[rootId]);
export const useThreadRoot = (rootId: string) => useStore(rootsStore, (all) => all[rootId]);
const NO_PENDING: readonly PendingReply[] = [];
export const usePendingReplies = (rootId: string) => useStore(pendingRepliesStore, (all) => all[rootId] ?? NO_PENDING);
export const useOpenThread = () => useStore(openThreadStore, (open) => open);
export { unreadOf };

/** The Threads badge: followed threads with unread replies. */
export const unreadThreadCount = (states: Readonly<Record<string, KnownThread>>) =>
  Object.values(states).filter((s) => s.following && unreadOf(s.unread) > 0).length;
export const useUnreadThreads = () => useStore(threadStatesStore, unreadThreadCount);

// ---- Changing ----

function applyState(state: ThreadState) {
  threadStatesStore.update((all) => {
    const current = all[state.rootId];
    const unread = withSnapshot(current?.unread, state);
    // An older snapshot than we hold says nothing about following either.
    const following = unread === current?.unread ? current.following : state.following;
    if (current && unread === current.unread && following === current.following) return all;
    return withEntry(all, state.rootId, { chatId: state.chatId, following, unread });
  });
}

function applyThread(thread: Thread) {
  rootsStore.update((all) => withEntry(all, thread.root.id, { ...thread.root, thread: thread.summary }));
  summariesStore.update((all) => {
    const best = newer(all[thread.root.id], thread.summary);
    return best === all[thread.root.id] ? all : withEntry(all, thread.root.id, best);
  });
  applyState(thread.state);
}

const byLastReply = (a: Thread, b: Thread) => (b.summary.lastReplyAt ?? '').localeCompare(a.summary.lastReplyAt ?? '');

function listWith(thread: Thread) {
  threadListStore.update((list) => ({
    ...list,
    items: [...list.items.filter((t) => t.root.id !== thread.root.id), thread].sort(byLastReply),
  }));
}

export async function loadThreadList() {
  threadListStore.update((list) => ({ ...list, status: list.status === 'ready' ? 'ready' : 'loading' }));
  try {
    const page = await parley.threads.list({ limit: LIST_LIMIT });
    for (const thread of page.items) applyThread(thread);
    threadListStore.set({ status: 'ready', items: [...page.items].sort(byLastReply), nextCursor: page.nextCursor, loadingMore: false });
  } catch {
    threadListStore.update((list) => ({ ...list, status: list.status === 'ready' ? 'ready' : 'failed' }));
  }
}

/**
 * The next page of the Threads view, after the last one loaded. A thread that moved up with
 * a new reply meanwhile is already listed, so what is known is kept and not listed twice.
 */
export async function loadMoreThreads() {
  const { nextCursor, loadingMore } = threadListStore.get();
  if (!nextCursor || loadingMore) return;
  threadListStore.update((list) => ({ ...list, loadingMore: true }));
  try {
    const page = await parley.threads.list({ limit: LIST_LIMIT, cursor: nextCursor });
    const known = new Set(threadListStore.get().items.map((t) => t.root.id));
    const fresh = page.items.filter((t) => !known.has(t.root.id));
    for (const thread of fresh) applyThread(thread);
    threadListStore.update((list) => ({
      ...list,
      items: [...list.items, ...fresh].sort(byLastReply),
      // A reload meanwhile started the list over: its own cursor stands.
      nextCursor: list.nextCursor === nextCursor ? page.nextCursor : list.nextCursor,
      loadingMore: false,
    }));
  } catch (error) {
    threadListStore.update((list) => ({ ...list, loadingMore: false }));
    throw error;
  }
}

/** One thread afresh (opening it, or a follow heard from another device). */
export async function loadThread(chatId: string, rootId: string): Promise<Thread> {
  const thread = await parley.threads.get(chatId, rootId);
  applyThread(thread);
  if (thread.state.following) listWith(thread);
  return thread;
}

export async function loadReplies(chatId: string, rootId: string) {
  repliesStore.update((all) => withEntry(all, rootId, { items: all[rootId]?.items ?? [], hasOlder: false, status: 'loading' }));
  try {
    const page: MessagePage = await parley.threads.replies(chatId, rootId, { limit: 100 });
    for (const message of page.items) if (message.sender) rememberUser(message.sender);
    repliesStore.update((all) => {
      // Replies that arrived live while the page loaded stay.
      const newest = page.items.at(-1)?.seq ?? 0;
      const live = (all[rootId]?.items ?? []).filter((m) => m.seq > newest);
      return withEntry(all, rootId, { items: [...page.items, ...live], hasOlder: page.hasOlder, status: 'ready' });
    });
  } catch {
    repliesStore.update((all) => withEntry(all, rootId, { items: all[rootId]?.items ?? [], hasOlder: false, status: 'failed' }));
  }
}

/** The page of replies before the oldest loaded one (a long thread loads its newest 100 first). */
export async function loadOlderReplies(chatId: string, rootId: string) {
  const current = repliesStore.get()[rootId];
  const oldest = current?.items[0];
  if (!current || !oldest || !current.hasOlder || current.status === 'loading') return;
  repliesStore.update((all) => withEntry(all, rootId, { ...current, status: 'loading' }));
  try {
    const page = await parley.threads.replies(chatId, rootId, { before: oldest.seq, limit: 100 });
    for (const message of page.items) if (message.sender) rememberUser(message.sender);
    repliesStore.update((all) => {
      const items = all[rootId]?.items ?? [];
      const known = new Set(items.map((m) => m.id));
      return withEntry(all, rootId, {
        items: [...page.items.filter((m) => !known.has(m.id)), ...items],
        hasOlder: page.hasOlder,
        status: 'ready',
      });
    });
  } catch {
    repliesStore.update((all) => withEntry(all, rootId, { ...(all[rootId] ?? current), status: 'failed' }));
  }
}

export function openThread(chatId: string, rootId: string) {
  openThreadStore.set({ chatId, rootId });
}

export function closeThread() {
  openThreadStore.set(null);
}

export async function followThread(chatId: string, rootId: string, following: boolean) {
  const state = await parley.threads.follow(chatId, rootId, following);
  applyState(state);
  // Unfollowed, it stays listed until the next load, so it can be followed again there.
  if (following) void loadThread(chatId, rootId).catch(() => undefined);
}

let readTimer = 0;
/** Marks the thread read up to `seq` (soon after it shows; at most a few times a second). */
export function markThreadRead(chatId: string, rootId: string, seq: number) {
  const known = threadStatesStore.get()[rootId];
  if (known && known.unread.lastReadSeq >= seq) return;
  window.clearTimeout(readTimer);
  readTimer = window.setTimeout(() => {
    parley.threads.markRead(chatId, rootId, seq).then(applyState, () => undefined);
  }, 250);
}

// ---- Replies, live ----

function withSummaryReply(summary: ThreadSummary | undefined, reply: Message): ThreadSummary | undefined {
  if (!summary || reply.seq <= summary.lastReplySeq) return summary;
  const replier = { id: reply.senderId ?? '', displayName: reply.sender?.displayName ?? '' };
  return {
    replyCount: summary.replyCount + 1,
    lastReplySeq: reply.seq,
    lastReplyAt: reply.createdAt,
    repliers: [replier, ...summary.repliers.filter((r) => r.id !== replier.id)].slice(0, THREAD_REPLIERS_SHOWN),
  };
}

function changeReplies(rootId: string, change: (items: Message[]) => Message[]) {
  repliesStore.update((all) => {
    const current = all[rootId];
    if (!current) return all;
    const items = change(current.items);
    return items === current.items ? all : withEntry(all, rootId, { ...current, items });
  });
}

function removePending(rootId: string, clientId: string | null) {
  if (!clientId) return;
  pendingRepliesStore.update((all) => {
    const list = all[rootId];
    if (!list?.some((p) => p.clientId === clientId)) return all;
    const rest = list.filter((p) => p.clientId !== clientId);
    return withEntry(all, rootId, rest.length ? rest : undefined);
  });
}

/** A reply reached us (its event, or the ack of our own). */
export function applyThreadReply(reply: Message, meId: string) {
  const rootId = reply.threadRootId;
  if (!rootId) return;
  if (reply.sender) rememberUser(reply.sender);
  const mine = reply.senderId === meId;
  if (mine) removePending(rootId, reply.clientId);
  changeReplies(rootId, (items) => (items.some((m) => m.id === reply.id) ? items : [...items, reply].sort((a, b) => a.seq - b.seq)));
  // Only a root whose summary we know can be counted on; one we don't will load with its count.
  const summary = withSummaryReply(knownSummary(rootId) ?? (mine ? EMPTY_SUMMARY : undefined), reply);
  if (summary) summariesStore.update((all) => withEntry(all, rootId, summary));
  threadStatesStore.update((all) => {
    const current = all[rootId];
    if (!current && !mine) return all;
    const unread = withReply(current?.unread, { seq: reply.seq, mine });
    // Replying follows the thread (the server says so too, in our stream, when that is news).
    const following = mine || (current?.following ?? false);
    if (current && unread === current.unread && following === current.following) return all;
    return withEntry(all, rootId, { chatId: reply.chatId, following, unread });
  });
}

function applyReplyDeleted(messageId: string, rootId: string, seq: number, deletedAt: string, meId: string) {
  let mine = false;
  changeReplies(rootId, (items) =>
    items.map((m) => {
      if (m.id !== messageId) return m;
      mine = m.senderId === meId;
      return { ...m, text: '', deletedAt, reactions: [], attachments: [] };
    }),
  );
  const summary = knownSummary(rootId);
  if (summary) summariesStore.update((all) => withEntry(all, rootId, { ...summary, replyCount: Math.max(0, summary.replyCount - 1) }));
  threadStatesStore.update((all) => {
    const current = all[rootId];
    const unread = current && withReplyDeleted(current.unread, { seq, mine });
    return current && unread && unread !== current.unread ? withEntry(all, rootId, { ...current, unread }) : all;
  });
}

/** Hands a pending reply to the SDK outbox (sent once, even across reconnects); shows it failed if refused. */
function deliverReply(pending: PendingReply, onError: (error: unknown) => void) {
  const realtime = getRealtime();
  const { chatId, rootId, clientId, text, alsoToChat } = pending;
  realtime.sendMessage({ chatId, clientId, text, threadRootId: rootId, ...(alsoToChat && { alsoToChat }) }).then(
    (message) => applyThreadReply(message, realtime.user?.id ?? ''),
    (error: unknown) => {
      setReplyFailed(pending, true);
      onError(error);
    },
  );
}

function setReplyFailed(pending: PendingReply, failed: boolean) {
  pendingRepliesStore.update((all) =>
    withEntry(
      all,
      pending.rootId,
      (all[pending.rootId] ?? []).map((p) => (p.clientId === pending.clientId ? { ...p, failed } : p)),
    ),
  );
}

/** Sends a reply in a thread; it shows as pending until the server has it. */
export function sendReply(chatId: string, rootId: string, text: string, alsoToChat: boolean, onError: (error: unknown) => void) {
  const pending: PendingReply = {
    clientId: newClientId(),
    chatId,
    rootId,
    text,
    alsoToChat,
    createdAt: new Date().toISOString(),
    failed: false,
  };
  pendingRepliesStore.update((all) => withEntry(all, rootId, [...(all[rootId] ?? []), pending]));
  deliverReply(pending, onError);
}

/** Sends a refused reply again with the same clientId, so it can never arrive twice. */
export function retryReply(pending: PendingReply, onError: (error: unknown) => void) {
  setReplyFailed(pending, false);
  deliverReply(pending, onError);
}

export function discardReply(pending: PendingReply) {
  removePending(pending.rootId, pending.clientId);
}

/** Whose stored outbox the pending replies are written to (thread-outbox.ts): the connection's user. */
let outboxUser: string | null = null;
pendingRepliesStore.subscribe(() => {
  if (outboxUser) storeReplies(outboxUser, Object.values(pendingRepliesStore.get()).flat());
});

/** The replies this user left waiting (before a reload): pending again, and sent once. */
function restoreReplies(userId: string) {
  outboxUser = userId;
  for (const pending of readStoredReplies(userId)) {
    pendingRepliesStore.update((all) => withEntry(all, pending.rootId, [...(all[pending.rootId] ?? []), pending]));
    deliverReply(pending, () => undefined);
  }
}

function reset() {
  threadStatesStore.set({});
  threadListStore.set(EMPTY_LIST);
  summariesStore.set({});
  repliesStore.set({});
  rootsStore.set({});
  pendingRepliesStore.set({});
  openThreadStore.set(null);
}

onEachConnection((realtime, isNew) => {
  // A reconnect of the same connection is handled by its own state listener below.
  if (isNew) {
    // What the previous connection left waiting stays stored (its account may sign in again); this one's is restored.
    outboxUser = null;
    reset();
    const meId = () => realtime.user?.id ?? '';
    restoreReplies(meId());
    realtime.on('thread.updated', (data) => {
      const state = data as ThreadUpdated;
      applyState(state);
      const listed = threadListStore.get().items.some((t) => t.root.id === state.rootId);
      if (state.following && !listed) void loadThread(state.chatId, state.rootId).catch(() => undefined);
    });
    realtime.on('message.created', (data) => applyThreadReply((data as { message: Message }).message, meId()));
    realtime.on('message.updated', (data) => {
      const { message } = data as { message: Message };
      if (message.threadRootId) changeReplies(message.threadRootId, (items) => items.map((m) => (m.id === message.id ? message : m)));
    });
    realtime.on('message.deleted', (data) => {
      const { messageId, seq, deletedAt, threadRootId } = data as {
        messageId: string;
        seq: number;
        deletedAt: string;
        threadRootId?: string;
      };
      if (threadRootId) applyReplyDeleted(messageId, threadRootId, seq, deletedAt, meId());
    });
    realtime.on('reaction.changed', (data) => {
      const { messageId, ...change } = data as { messageId: string } & ReactionChange;
      for (const [rootId, replies] of Object.entries(repliesStore.get()))
        if (replies.items.some((m) => m.id === messageId))
          changeReplies(rootId, (items) =>
            items.map((m) => (m.id === messageId ? { ...m, reactions: withReactionChange(m.reactions, change) } : m)),
          );
    });
    // Each later open of this connection is a reconnect (the first is this one, reported in the same turn).
    let first = true;
    queueMicrotask(() => {
      first = false;
    });
    realtime.onState((state, detail) => {
      if (state !== 'open' || first) return;
      // The summaries are learned again: from reloaded windows, or from the replayed replies.
      summariesStore.set({});
      // A resume that replays every stream brings our thread states and the replies in order; a
      // REST load racing that replay could be overtaken by older states. Otherwise: load afresh.
      if (detail?.replay === 'replayed' && (detail.reload ?? []).length === 0) return;
      reloadThreads();
    });
    reloadThreads();
  }
});

function reloadThreads() {
  void loadThreadList();
  const open = openThreadStore.get();
  if (open) {
    void loadThread(open.chatId, open.rootId).catch(() => undefined);
    void loadReplies(open.chatId, open.rootId);
  }
}
