/**
 * Keyboard shortcuts (J11) that reach across screens: which dialog is open (the quick
 * switcher, the shortcuts list), the chat before or after the open one, and the hook the
 * message search (issue 12) registers so the switcher can offer "Search messages for …".
 */
import type { Chat } from '@parley/protocol';
import { sortChats } from './chat-list.js';
import { createStore, useStore } from './store.js';

export type ShortcutDialog = 'switcher' | 'help' | null;
export const shortcutDialogStore = createStore<ShortcutDialog>(null);
export const useShortcutDialog = () => useStore(shortcutDialogStore, (open) => open);
export const openShortcutDialog = (dialog: ShortcutDialog) => shortcutDialogStore.set(dialog);

let messageSearch: ((query: string) => void) | null = null;
/** The message search opens itself through this (returns the function that unregisters it). */
export function registerMessageSearch(open: (query: string) => void): () => void {
  messageSearch = open;
  return () => {
    if (messageSearch === open) messageSearch = null;
  };
}
export const messageSearchOpener = () => messageSearch;

/** The chat `step` places away from `currentId` in the list's order (wrapping), or the first when none is open. */
export function neighbourChat(chats: readonly Chat[], currentId: string | null, step: 1 | -1): Chat | null {
  const ordered = sortChats(chats);
  if (ordered.length === 0) return null;
  const index = currentId ? ordered.findIndex((chat) => chat.id === currentId) : -1;
  if (index === -1) return ordered[step === 1 ? 0 : ordered.length - 1] ?? null;
  return ordered[(index + step + ordered.length) % ordered.length] ?? null;
}

/** Typing in a field: single-key shortcuts (`?`) must not fire. */
export const isTypingTarget = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
