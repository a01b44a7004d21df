/**
 * Selecting several messages of the open chat (to forward them together). Rows read only
 * their own flag, so toggling one message re-renders one row.
 */
import type { Message } from '@parley/protocol';
import { createStore, useStore } from './store.js';

/** The forward API takes up to 100 messages at once. */
export const SELECT_MAX = 100;

interface Selection {
  chatId: string;
  messages: readonly Message[];
}

export const selectionStore = createStore<Selection | null>(null);

export function startSelecting(message: Message) {
  selectionStore.set({ chatId: message.chatId, messages: [message] });
}

export function toggleSelected(message: Message) {
  selectionStore.update((current) => {
    if (!current || current.chatId !== message.chatId) return current;
    const has = current.messages.some((m) => m.id === message.id);
    if (!has && current.messages.length >= SELECT_MAX) return current;
    const messages = has ? current.messages.filter((m) => m.id !== message.id) : [...current.messages, message];
    return { ...current, messages };
  });
}

export function stopSelecting() {
  selectionStore.set(null);
}

/** In chat order, as they will be forwarded. */
export const selectedInOrder = (selection: Selection) => [...selection.messages].sort((a, b) => a.seq - b.seq);

/** null when the chat is not in selection mode; else whether this message is selected. */
export const useSelected = (chatId: string, messageId: string | null) =>
  useStore(selectionStore, (s) => (s?.chatId === chatId ? messageId !== null && s.messages.some((m) => m.id === messageId) : null));

export const useSelection = (chatId: string) => useStore(selectionStore, (s) => (s?.chatId === chatId ? s : null));
