/**
 * The server's custom emoji (E19): loaded on every (re)connect and kept current by
 * `emoji.updated` events. A renamed emoji stays findable under its old name for this
 * session, so reactions and text already on screen keep their picture.
 */
import type { CustomEmoji, CustomEmojiList, EmojiUpdated } from '@parley/protocol';
import { parley } from '../api/client.js';
import { onEachConnection } from './follow-realtime.js';
import { createStore, useStore } from './store.js';

export interface CustomEmojiState {
  items: readonly CustomEmoji[];
  canAdd: boolean;
  canManage: boolean;
  /** `:old_name:` → the id it now has another name under. */
  renamed: Readonly<Record<string, string>>;
}

export const customEmojiStore = createStore<CustomEmojiState>({ items: [], canAdd: false, canManage: false, renamed: {} });

const byName = (items: readonly CustomEmoji[]) => [...items].sort((a, b) => a.shortName.localeCompare(b.shortName));

export function applyEmojiList(list: CustomEmojiList) {
  customEmojiStore.update((state) => ({ ...state, items: byName(list.items), canAdd: list.canAdd, canManage: list.canManage }));
}

export function applyEmojiUpdate({ id, emoji, previousShortName }: EmojiUpdated) {
  customEmojiStore.update((state) => ({
    ...state,
    items: byName([...state.items.filter((e) => e.id !== id), ...(emoji ? [emoji] : [])]),
    renamed: previousShortName ? { ...state.renamed, [`:${previousShortName}:`]: id } : state.renamed,
  }));
}

export async function loadCustomEmoji() {
  applyEmojiList(await parley.emoji.list());
}

/** The custom emoji a `:name:` names (or named before a rename), if any. */
export function findCustomEmoji(state: CustomEmojiState, code: string): CustomEmoji | undefined {
  const name = /^:([a-z0-9_-]{2,30}):$/.exec(code)?.[1];
  if (name === undefined) return undefined;
  const direct = state.items.find((e) => e.shortName === name);
  if (direct) return direct;
  const id = state.renamed[code];
  return id ? state.items.find((e) => e.id === id) : undefined;
}

export const useCustomEmoji = (code: string) => useStore(customEmojiStore, (state) => findCustomEmoji(state, code));
export const useCustomEmojiState = () => useStore(customEmojiStore, (state) => state);

export const customEmojiActions = {
  create: (shortName: string, fileId: string) => parley.emoji.create({ shortName, fileId }),
  rename: (id: string, shortName: string) => parley.emoji.rename(id, { shortName }),
  remove: (id: string) => parley.emoji.delete(id),
};

onEachConnection((realtime, isNew) => {
  void loadCustomEmoji().catch(() => undefined);
  if (!isNew) return;
  realtime.on('emoji.updated', (data) => applyEmojiUpdate(data as EmojiUpdated));
});
