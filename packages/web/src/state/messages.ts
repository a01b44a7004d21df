/**
 * Message history per chat: a window of loaded messages (see message-window.ts) with its
 * loading state, plus our messages still waiting for the server (pending). Sending goes
 * through the SDK outbox, which keeps a message while offline and delivers it exactly
 * once after reconnecting; until the ack it shows as pending.
 */
import type { Message } from '@parley/protocol';

type ReplyPreview = NonNullable<Message['replyTo']>;

import { ParleyApiError } from '@parley/sdk';
import { parley } from '../api/client.js';
import { withMessage } from './chat-list.js';
import { updateChat } from './chats.js';
import { getRealtime } from './connection.js';
import {
  emptyWindow,
  fromPage,
  type MessageWindow,
  PAGE_SIZE,
  type ReactionChange,
  withLatestPage,
  withLiveMessage,
  withMessageDeleted,
  withMessageReplaced,
  withNewerPage,
  withOlderPage,
  withReaction,
  withReactions,
} from './message-window.js';
import { rememberUser } from './people.js';
import { createStore, useStore, withEntry } from './store.js';
import type { PendingMessage } from './timeline.js';

export interface ChatHistory {
  window: MessageWindow;
  loading: 'latest' | 'older' | 'newer' | 'around' | null;
  failed: boolean;
  /** A message to bring into view and highlight; `nonce` makes a repeated jump scroll again. */
  focus: { messageId: string; nonce: number } | null;
}

export const historyStore = createStore<Record<string, ChatHistory>>({});
export const pendingStore = createStore<Record<string, PendingMessage[]>>({});

const blank: ChatHistory = { window: emptyWindow, loading: null, failed: false, focus: null };
/** Bumped whenever a chat's window is replaced, so answers to older requests are dropped. */
const generations = new Map<string, number>();
let focusNonce = 0;

const bump = (chatId: string) => {
  const next = (generations.get(chatId) ?? 0) + 1;
  generations.set(chatId, next);
  return next;
};
const isCurrent = (chatId: string, generation: number) => generations.get(chatId) === generation;

function setHistory(chatId: string, change: (history: ChatHistory) => ChatHistory) {
  historyStore.update((all) => {
    const current = all[chatId] ?? blank;
    const next = change(current);
    return next === current && all[chatId] ? all : withEntry(all, chatId, next);
  });
}

function rememberAuthors(messages: readonly Message[]) {
  for (const message of messages) if (message.sender) rememberUser(message.sender);
}

/**
 * Loads the newest page — or, with `afterSeq`, the page just after it (opening a chat at
 * its first unread message). Live messages that arrive meanwhile are kept.
 */
export async function loadLatest(chatId: string, afterSeq?: number): Promise<void> {
  const generation = bump(chatId);
  setHistory(chatId, (history) => ({ ...history, loading: 'latest', failed: false }));
  try {
    const page = await parley.messages.history(
      chatId,
      afterSeq === undefined ? { limit: PAGE_SIZE } : { after: afterSeq, limit: PAGE_SIZE },
    );
    if (!isCurrent(chatId, generation)) return;
    rememberAuthors(page.items);
    setHistory(chatId, (history) => ({ ...history, window: withLatestPage(history.window, page), loading: null }));
  } catch {
    if (isCurrent(chatId, generation)) setHistory(chatId, (history) => ({ ...history, loading: null, failed: true }));
  }
}

async function loadBeside(chatId: string, direction: 'older' | 'newer') {
  const history = historyStore.get()[chatId];
  if (!history || history.loading) return;
  const { window } = history;
  const edge = direction === 'older' ? window.items[0] : window.items.at(-1);
  if (!edge || (direction === 'older' ? !window.hasOlder : !window.hasNewer)) return;
  const generation = generations.get(chatId) ?? 0;
  setHistory(chatId, (h) => ({ ...h, loading: direction, failed: false }));
  try {
    const page = await parley.messages.history(
      chatId,
      direction === 'older' ? { before: edge.seq, limit: PAGE_SIZE } : { after: edge.seq, limit: PAGE_SIZE },
    );
    if (!isCurrent(chatId, generation)) return;
    rememberAuthors(page.items);
    setHistory(chatId, (h) => ({
      ...h,
      loading: null,
      window: direction === 'older' ? withOlderPage(h.window, page) : withNewerPage(h.window, page),
    }));
  } catch {
    if (isCurrent(chatId, generation)) setHistory(chatId, (h) => ({ ...h, loading: null, failed: true }));
  }
}

export const loadOlder = (chatId: string) => loadBeside(chatId, 'older');
export const loadNewer = (chatId: string) => loadBeside(chatId, 'newer');

/** Brings a message into view: at once when loaded, else by loading the page around it. */
export async function jumpTo(chatId: string, messageId: string): Promise<boolean> {
  focusNonce += 1;
  const focus = { messageId, nonce: focusNonce };
  const history = historyStore.get()[chatId];
  if (history?.window.items.some((m) => m.id === messageId)) {
    setHistory(chatId, (h) => ({ ...h, focus }));
    return true;
  }
  const generation = bump(chatId);
  setHistory(chatId, (h) => ({ ...h, loading: 'around', failed: false }));
  try {
    const page = await parley.messages.history(chatId, { around: messageId, limit: PAGE_SIZE });
    if (!isCurrent(chatId, generation)) return false;
    rememberAuthors(page.items);
    setHistory(chatId, (h) => ({ ...h, window: fromPage(page), loading: null, focus }));
    return true;
  } catch (error) {
    if (isCurrent(chatId, generation)) setHistory(chatId, (h) => ({ ...h, loading: null }));
    if (error instanceof ParleyApiError && error.code === 'message_not_found') return false;
    throw error;
  }
}

export function clearFocus(chatId: string) {
  setHistory(chatId, (h) => (h.focus ? { ...h, focus: null } : h));
}

// ---- Events ----

export function applyCreated(message: Message) {
  if (message.sender) rememberUser(message.sender);
  if (message.clientId && message.senderId === getRealtime().user?.id) removePending(message.chatId, message.clientId);
  if (!historyStore.get()[message.chatId]) return;
  setHistory(message.chatId, (h) => {
    const window = withLiveMessage(h.window, message);
    return window === h.window ? h : { ...h, window };
  });
}

const change = (chatId: string, apply: (window: MessageWindow) => MessageWindow) => {
  if (!historyStore.get()[chatId]) return;
  setHistory(chatId, (h) => {
    const window = apply(h.window);
    return window === h.window ? h : { ...h, window };
  });
};

export const applyUpdated = (message: Message) => change(message.chatId, (w) => withMessageReplaced(w, message));
export const applyDeleted = (chatId: string, messageId: string, deletedAt: string) =>
  change(chatId, (w) => withMessageDeleted(w, messageId, deletedAt));
/** The whole list, from the reply to one's own reaction over REST. */
export const applyReactions = (chatId: string, messageId: string, reactions: Message['reactions']) =>
  change(chatId, (w) => withReactions(w, messageId, reactions));

/** A `reaction.changed` delta. */
export const applyReaction = (chatId: string, messageId: string, reaction: ReactionChange) =>
  change(chatId, (w) => withReaction(w, messageId, reaction));

/** After a full reload: windows of chats not on screen are stale; they load again when opened. */
export function forgetHistoryExcept(chatId: string | null) {
  for (const id of Object.keys(historyStore.get())) if (id !== chatId) bump(id);
  historyStore.update((all) => (chatId && all[chatId] ? { [chatId]: all[chatId] } : {}));
}

/** Chats reloaded after a resume: their windows are stale (pending messages stay); they load again when opened. */
export function forgetWindows(chatIds: readonly string[]) {
  const all = historyStore.get();
  const stale = chatIds.filter((chatId) => all[chatId]);
  if (stale.length === 0) return;
  for (const chatId of stale) bump(chatId);
  historyStore.update((current) => stale.reduce((next, chatId) => withEntry(next, chatId, undefined), current));
}

export function forgetHistory(chatId: string) {
  bump(chatId);
  historyStore.update((all) => withEntry(all, chatId, undefined));
  pendingStore.update((all) => withEntry(all, chatId, undefined));
}

// ---- Sending ----

const CLIENT_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 22 random characters; getRandomValues also works where randomUUID does not (plain http on a LAN). */
export function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(22));
  return `w${Array.from(bytes, (b) => CLIENT_ID_ALPHABET[b % CLIENT_ID_ALPHABET.length]).join('')}`;
}

function removePending(chatId: string, clientId: string) {
  pendingStore.update((all) => {
    const list = all[chatId];
    if (!list?.some((p) => p.clientId === clientId)) return all;
    const rest = list.filter((p) => p.clientId !== clientId);
    return withEntry(all, chatId, rest.length > 0 ? rest : undefined);
  });
}

function setPendingFailed(chatId: string, clientId: string, failed: boolean) {
  pendingStore.update((all) => {
    const list = all[chatId];
    if (!list) return all;
    return withEntry(
      all,
      chatId,
      list.map((p) => (p.clientId === clientId ? { ...p, failed } : p)),
    );
  });
}

const replyPreview = (message: Message): ReplyPreview => ({
  id: message.id,
  seq: message.seq,
  senderId: message.senderId,
  senderName: message.sender?.displayName ?? '',
  text: message.text.slice(0, 200),
  deleted: message.deletedAt !== null,
});

function deliver(pending: PendingMessage, onError: (error: unknown) => void) {
  const replyTo = pending.replyTo?.id;
  const realtime = getRealtime();
  realtime
    .sendMessage({
      chatId: pending.chatId,
      clientId: pending.clientId,
      text: pending.text,
      ...(replyTo && { replyTo }),
      ...(pending.privateTo && { privateTo: pending.privateTo }),
      ...(pending.attachments?.length && { attachments: pending.attachments }),
    })
    .then(
      (message) => {
        applyCreated(message);
        const meId = realtime.user?.id ?? '';
        updateChat(message.chatId, (chat) => withMessage(chat, message, meId));
      },
      (error: unknown) => {
        setPendingFailed(pending.chatId, pending.clientId, true);
        onError(error);
      },
    );
}

/** Sends a message; it shows as pending until the server has it, however long the connection is down. */
export function sendText(
  chatId: string,
  text: string,
  options: {
    replyTo?: Message | null;
    privateTo?: string | null;
    attachments?: string[];
    /** Files still uploading: the message is pending at once and sent with the ids `ready` gives (none left and no text: dropped). */
    uploads?: { keys: string[]; ready: Promise<string[]> };
    onError: (error: unknown) => void;
  },
) {
  const pending: PendingMessage = {
    clientId: newClientId(),
    chatId,
    text,
    replyTo: options.replyTo ? replyPreview(options.replyTo) : null,
    privateTo: options.privateTo ?? null,
    ...(options.attachments?.length && { attachments: options.attachments }),
    ...(options.uploads && { uploads: options.uploads.keys }),
    createdAt: new Date().toISOString(),
    failed: false,
  };
  pendingStore.update((all) => withEntry(all, chatId, [...(all[chatId] ?? []), pending]));
  // Our message goes at the end of the chat: if the reader was back in history, return to the present.
  if (historyStore.get()[chatId]?.window.hasNewer) void loadLatest(chatId);
  if (!options.uploads) return deliver(pending, options.onError);
  void options.uploads.ready.then((attachments) => {
    const { uploads: _uploads, ...rest } = pending;
    const ready: PendingMessage = { ...rest, ...(attachments.length > 0 && { attachments }) };
    const stillThere = pendingStore.get()[chatId]?.some((p) => p.clientId === pending.clientId);
    if (!stillThere) return;
    if (attachments.length === 0 && text === '') return removePending(chatId, pending.clientId);
    pendingStore.update((all) =>
      withEntry(
        all,
        chatId,
        (all[chatId] ?? []).map((p) => (p.clientId === pending.clientId ? ready : p)),
      ),
    );
    deliver(ready, options.onError);
  });
}

/**
 * Messages typed before a reload that the server had not acknowledged (state/outbox.ts):
 * pending again, and sent with their original clientId, so one the server did get before
 * the reload is answered with the original instead of arriving twice.
 */
export function restorePending(stored: readonly PendingMessage[], onError: (error: unknown) => void) {
  const known = new Set(Object.values(pendingStore.get()).flatMap((list) => list.map((p) => p.clientId)));
  for (const pending of stored) {
    if (known.has(pending.clientId)) continue;
    pendingStore.update((all) => withEntry(all, pending.chatId, [...(all[pending.chatId] ?? []), pending]));
    deliver(pending, onError);
  }
}

/** Sends a refused message again, with the same clientId (so it can never arrive twice). */
export function retryPending(pending: PendingMessage, onError: (error: unknown) => void) {
  setPendingFailed(pending.chatId, pending.clientId, false);
  deliver(pending, onError);
}

export function discardPending(pending: PendingMessage) {
  removePending(pending.chatId, pending.clientId);
}

const NO_PENDING: PendingMessage[] = [];
export const useHistory = (chatId: string) => useStore(historyStore, (all) => all[chatId] ?? blank);
export const usePending = (chatId: string) => useStore(pendingStore, (all) => all[chatId] ?? NO_PENDING);

export function resetMessages() {
  generations.clear();
  historyStore.set({});
  pendingStore.set({});
}

/** Opens a chat's history: from the first unread message when there are many, else the newest. */
export function ensureHistory(chatId: string, unread: { lastReadSeq: number; unreadCount: number }) {
  const history = historyStore.get()[chatId];
  if (history && (history.window.items.length > 0 || history.loading)) return;
  const manyUnread = unread.unreadCount > PAGE_SIZE / 2;
  void loadLatest(chatId, manyUnread ? Math.max(0, unread.lastReadSeq - 5) : undefined);
}
