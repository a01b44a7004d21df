/**
 * Drafts synced across devices (I5). What is typed is saved on the server after a pause
 * (debounced per chat), so the person's other devices show it; `draft.updated` events from
 * their other devices land here. Saves of one chat go out one after another, so a late save
 * can never bring back a draft that sending has just cleared. A thread's composer has its
 * own draft (E15): the same calls with the thread's root (`rootId`).
 */
import type { Draft } from '@parley/protocol';
import { parley } from '../api/client.js';
import { onEachConnection } from './follow-realtime.js';
import { createStore, useStore, withEntry } from './store.js';

/** The draft the server holds per chat, and per thread (what our other devices see), by draftKey. */
export const draftsStore = createStore<Readonly<Record<string, string>>>({});

/** A chat's draft is under its id; a thread's under the chat's and the root's. */
export const draftKey = (chatId: string, rootId?: string) => (rootId ? `${chatId}/${rootId}` : chatId);

export const DRAFT_SAVE_DELAY_MS = 700;

const timers = new Map<string, number>();
const pending = new Map<string, string>();
const chains = new Map<string, Promise<unknown>>();

function send(chatId: string, rootId: string | undefined, text: string) {
  const key = draftKey(chatId, rootId);
  const previous = chains.get(key) ?? Promise.resolve();
  const next = previous
    .then(() => parley.drafts.save(chatId, text, rootId))
    .then(applyDraft)
    // A failed save is retried by the next keystroke; drafts are best effort.
    .catch(() => undefined);
  chains.set(key, next);
  return next;
}

/** Saves the draft after a pause in typing. */
export function saveDraftSoon(chatId: string, text: string, rootId?: string) {
  const key = draftKey(chatId, rootId);
  window.clearTimeout(timers.get(key));
  pending.set(key, text);
  timers.set(
    key,
    window.setTimeout(() => {
      timers.delete(key);
      const latest = pending.get(key) ?? '';
      pending.delete(key);
      if (latest !== (draftsStore.get()[key] ?? '')) void send(chatId, rootId, latest);
    }, DRAFT_SAVE_DELAY_MS),
  );
}

/** The message was sent: drop any save still waiting, and clear the stored draft if there is one. */
export function clearDraft(chatId: string, rootId?: string) {
  const key = draftKey(chatId, rootId);
  const waiting = timers.has(key);
  window.clearTimeout(timers.get(key));
  timers.delete(key);
  pending.delete(key);
  if (waiting || draftsStore.get()[key] !== undefined || chains.has(key)) void send(chatId, rootId, '');
  draftsStore.update((all) => withEntry(all, key, undefined));
}

/** A `draft.updated` event (from any of our devices) or a save's answer. */
export function applyDraft(draft: Draft) {
  draftsStore.update((all) => withEntry(all, draftKey(draft.chatId, draft.threadRootId), draft.text === '' ? undefined : draft.text));
}

/** After (re)connecting: the drafts as the server has them now. */
export async function loadDrafts() {
  const { items } = await parley.drafts.list();
  draftsStore.set(Object.fromEntries(items.map((d) => [draftKey(d.chatId, d.threadRootId), d.text])));
}

export function resetDrafts() {
  for (const timer of timers.values()) window.clearTimeout(timer);
  timers.clear();
  pending.clear();
  chains.clear();
  draftsStore.set({});
}

/**
 * On every (re)connect the list is loaded again (a resume replays missed events too; the
 * list makes a reload of our stream safe), and a new connection starts from nothing.
 */
onEachConnection((realtime, isNew) => {
  if (isNew) {
    resetDrafts();
    realtime.on('draft.updated', (data) => applyDraft(data as Draft));
  }
  void loadDrafts().catch(() => undefined);
});

export const useStoredDraft = (chatId: string, rootId?: string) => useStore(draftsStore, (all) => all[draftKey(chatId, rootId)]);
