/**
 * The chat list: every chat the signed-in user belongs to, with their own read state,
 * kept current by events (see sync.ts) and reloaded over REST when events can't catch it
 * up. Also which chat is open, and the actions on a chat as a whole (mark read, mute).
 */
import type { Chat } from '@parley/protocol';
import { ParleyApiError } from '@parley/sdk';
import { useMemo } from 'react';
import { parley } from '../api/client.js';
import { sortChats, withFetched, withReadPosition } from './chat-list.js';
import { rememberUser } from './people.js';
import { createStore, useStore, withEntry } from './store.js';

export interface ChatsState {
  status: 'loading' | 'ready' | 'failed';
  byId: Record<string, Chat>;
}

export const chatsStore = createStore<ChatsState>({ status: 'loading', byId: {} });

/** The chat on screen (null when none): its messages are read as they show, and it makes no sound. */
export const openChatStore = createStore<string | null>(null);

function remember(chat: Chat) {
  if (chat.peer) rememberUser(chat.peer);
  if (chat.lastMessage?.sender) rememberUser(chat.lastMessage.sender);
}

export async function loadChats(): Promise<void> {
  try {
    const list = await parley.chats.list();
    for (const chat of list.items) remember(chat);
    chatsStore.set({ status: 'ready', byId: Object.fromEntries(list.items.map((chat) => [chat.id, chat])) });
  } catch (error) {
    chatsStore.update((state) => (state.status === 'ready' ? state : { ...state, status: 'failed' }));
    throw error;
  }
}

export const chatById = (chatId: string): Chat | undefined => chatsStore.get().byId[chatId];

/** A chat as the server just described it (see withFetched for answers that raced events). */
export function upsertChat(chat: Chat) {
  remember(chat);
  chatsStore.update((state) => ({ ...state, byId: withEntry(state.byId, chat.id, withFetched(state.byId[chat.id], chat)) }));
}

export function updateChat(chatId: string, change: (chat: Chat) => Chat) {
  chatsStore.update((state) => {
    const chat = state.byId[chatId];
    if (!chat) return state;
    const next = change(chat);
    return next === chat ? state : { ...state, byId: withEntry(state.byId, chatId, next) };
  });
}

export function removeChat(chatId: string) {
  chatsStore.update((state) => (state.byId[chatId] ? { ...state, byId: withEntry(state.byId, chatId, undefined) } : state));
}

const refreshing = new Map<string, Promise<Chat | null>>();

/** Fetches our view of one chat (counts included); a chat we no longer see leaves the list. */
export function refreshChat(chatId: string): Promise<Chat | null> {
  const running = refreshing.get(chatId);
  if (running) return running;
  const request = parley.chats
    .get(chatId)
    .then(
      (chat) => {
        upsertChat(chat);
        return chat;
      },
      (error: unknown) => {
        if (error instanceof ParleyApiError && error.code === 'chat_not_found') removeChat(chatId);
        return null;
      },
    )
    .finally(() => refreshing.delete(chatId));
  refreshing.set(chatId, request);
  return request;
}

/** The chat, from the list or else from the server (a link to a chat the list doesn't have yet); null if we can't see it. */
export async function ensureChat(chatId: string): Promise<Chat | null> {
  return chatById(chatId) ?? refreshChat(chatId);
}

/**
 * Our read position moved (here, or on another device). At the newest message the badge
 * clears; short of it the exact counts come from the server — unless `local`, when we
 * moved it ourselves and the server hasn't been told yet (asking now would undo it).
 */
export function applyOwnReadPosition(chatId: string, lastReadSeq: number, local = false, remaining?: number) {
  let refresh = false;
  updateChat(chatId, (chat) => {
    const result = withReadPosition(chat, lastReadSeq, remaining);
    refresh = result.refresh;
    return result.chat;
  });
  if (refresh && !local) void refreshChat(chatId);
}

const READ_DELAY_MS = 250;
const readQueue = new Map<string, { seq: number; timer: number }>();
const pendingCounts = new Set<string>();

/**
 * Marks the chat read up to `seq`: the badge (and the title) change at once — to the exact
 * count when the caller knows what is left (`remaining`), else to the server's count as
 * soon as it has the mark; the server hears at most a few times a second however fast the
 * reader scrolls. If that fails (offline), the list reloaded after reconnecting shows the
 * server's position and the open chat marks again.
 */
export function markRead(chatId: string, seq: number, remaining?: number) {
  const chat = chatById(chatId);
  if (!chat || seq <= chat.lastReadSeq) return;
  applyOwnReadPosition(chatId, seq, true, remaining);
  if (remaining === undefined) pendingCounts.add(chatId);
  const queued = readQueue.get(chatId);
  if (queued) {
    queued.seq = Math.max(queued.seq, seq);
    return;
  }
  const entry = {
    seq,
    timer: window.setTimeout(() => {
      readQueue.delete(chatId);
      parley.chats.markRead(chatId, entry.seq).then(
        (result) => {
          applyOwnReadPosition(chatId, result.lastReadSeq);
          // The position was applied locally without a count: the server's count now includes the mark.
          if (pendingCounts.delete(chatId) && (chatById(chatId)?.unreadCount ?? 0) > 0) void refreshChat(chatId);
        },
        () => undefined,
      );
    }, READ_DELAY_MS),
  };
  readQueue.set(chatId, entry);
}

export async function setMuted(chatId: string, muted: boolean) {
  updateChat(chatId, (chat) => ({ ...chat, muted }));
  try {
    upsertChat(await parley.chats.mute(chatId, muted));
  } catch (error) {
    updateChat(chatId, (chat) => ({ ...chat, muted: !muted }));
    throw error;
  }
}

export function useChat(chatId: string | null): Chat | undefined {
  return useStore(chatsStore, (state) => (chatId ? state.byId[chatId] : undefined));
}

export function useChatList(): { status: ChatsState['status']; chats: Chat[] } {
  const byId = useStore(chatsStore, (state) => state.byId);
  const status = useStore(chatsStore, (state) => state.status);
  const chats = useMemo(() => sortChats(Object.values(byId)), [byId]);
  return { status, chats };
}

export function resetChats() {
  for (const { timer } of readQueue.values()) window.clearTimeout(timer);
  readQueue.clear();
  refreshing.clear();
  chatsStore.set({ status: 'loading', byId: {} });
  openChatStore.set(null);
}
