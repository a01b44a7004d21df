/**
 * Drafts synced across devices (I5). What is typed is saved on the server after a pause
 * (debounced per chat), so the person's other devices show it; `draft.updated` events from
 * their other devices land here. Saves of one chat go out one after another, so a late save
 * can never bring back a draft that sending has just cleared.
 */
import type { Draft } from '@parley/protocol';
import { parley } from '../api/client.js';
import { onEachConnection } from './follow-realtime.js';
import { createStore, useStore, withEntry } from './store.js';

/** The draft the server holds per chat (what our other devices see). */
export const draftsStore = createStore<Readonly<Record<string, string>>>({});

export const DRAFT_SAVE_DELAY_MS = 700;

const timers = new Map<string, number>();
const pending = new Map<string, string>();
const chains = new Map<string, Promise<unknown>>();

function send(chatId: string, text: string) {
  const previous = chains.get(chatId) ?? Promise.resolve();
  const next = previous
    .then(() => parley.drafts.save(chatId, text))
    .then(applyDraft)
    // A failed save is retried by the next keystroke; drafts are best effort.
    .catch(() => undefined);
  chains.set(chatId, next);
  return next;
}

/** Saves the draft after a pause in typing. */
export function saveDraftSoon(chatId: string, text: string) {
  window.clearTimeout(timers.get(chatId));
  pending.set(chatId, text);
  timers.set(
    chatId,
    window.setTimeout(() => {
      timers.delete(chatId);
      const latest = pending.get(chatId) ?? '';
      pending.delete(chatId);
      if (latest !== (draftsStore.get()[chatId] ?? '')) void send(chatId, latest);
    }, DRAFT_SAVE_DELAY_MS),
  );
}

/** The message was sent: drop any save still waiting, and clear the stored draft if there is one. */
export function clearDraft(chatId: string) {
  const waiting = timers.has(chatId);
  window.clearTimeout(timers.get(chatId));
  timers.delete(chatId);
  pending.delete(chatId);
  if (waiting || draftsStore.get()[chatId] !== undefined || chains.has(chatId)) void send(chatId, '');
  draftsStore.update((all) => withEntry(all, chatId, undefined));
}

/** A `draft.updated` event (from any of our devices) or a save's answer. */
export function applyDraft(draft: Draft) {
  draftsStore.update((all) => withEntry(all, draft.chatId, draft.text === '' ? undefined : draft.text));
}

/** After (re)connecting: the drafts as the server has them now. */
export async function loadDrafts() {
  const { items } = await parley.drafts.list();
  draftsStore.set(Object.fromEntries(items.map((d) => [d.chatId, d.text])));
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

export const useStoredDraft = (chatId: string) => useStore(draftsStore, (all) => all[chatId]);
