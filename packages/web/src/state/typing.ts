/** Who is typing where: each `typing` event shows for a few seconds unless repeated; a message from them ends it. */
import { createStore, useStore, withEntry } from './store.js';

export const TYPING_SHOW_MS = 5000;

export const typingStore = createStore<Record<string, readonly string[]>>({});
const timers = new Map<string, number>();
const key = (chatId: string, userId: string) => `${chatId}:${userId}`;

export function applyTyping(chatId: string, userId: string) {
  const id = key(chatId, userId);
  window.clearTimeout(timers.get(id));
  timers.set(
    id,
    window.setTimeout(() => stopTyping(chatId, userId), TYPING_SHOW_MS),
  );
  typingStore.update((all) => {
    const users = all[chatId] ?? [];
    return users.includes(userId) ? all : withEntry(all, chatId, [...users, userId]);
  });
}

export function stopTyping(chatId: string, userId: string) {
  const id = key(chatId, userId);
  window.clearTimeout(timers.get(id));
  timers.delete(id);
  typingStore.update((all) => {
    const users = all[chatId];
    if (!users?.includes(userId)) return all;
    const rest = users.filter((u) => u !== userId);
    return withEntry(all, chatId, rest.length > 0 ? rest : undefined);
  });
}

const NOBODY: readonly string[] = [];
export const useTyping = (chatId: string) => useStore(typingStore, (all) => all[chatId] ?? NOBODY);

export function resetTyping() {
  for (const timer of timers.values()) window.clearTimeout(timer);
  timers.clear();
  typingStore.set({});
}
