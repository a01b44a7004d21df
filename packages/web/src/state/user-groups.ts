/**
 * User groups (E20), for the composer's `@` suggestions: the list is loaded on every
 * (re)connect (groups change rarely and carry no live events).
 */
import type { UserGroup } from '@parley/protocol';
import { parley } from '../api/client.js';
import { onEachConnection } from './follow-realtime.js';
import { createStore, useStore } from './store.js';

export const userGroupsStore = createStore<readonly UserGroup[]>([]);

export async function loadUserGroups() {
  userGroupsStore.set((await parley.userGroups.list()).items);
}

/** Groups whose handle or name starts with what follows `@`, as mention suggestions. */
export function groupMentionOptions(groups: readonly UserGroup[], query: string) {
  const q = query.toLowerCase();
  return groups
    .filter((g) => g.handle.startsWith(q) || g.name.toLowerCase().startsWith(q))
    .map((g) => ({ id: `group:${g.id}`, username: g.handle, displayName: g.name }));
}

export const useUserGroups = () => useStore(userGroupsStore, (groups) => groups);

onEachConnection(() => {
  void loadUserGroups().catch(() => undefined);
});
