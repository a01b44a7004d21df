/**
 * People as the signed-in user files them (issue 13): contacts and requests (with the
 * pending badge), aliases, stars and blocks; the notification centre and its unread badge;
 * the chat list's pins and archive; each open chat's pinned messages; the profile on
 * screen. Loaded over REST after every (re)connect and kept current by the events of our
 * own stream (`applyPeopleEvent`, called from sync.ts).
 */
import type { CentreNotification, ChatOrganisation, EventFrame, PinnedMessageList, Relationship } from '@parley/protocol';
import { parley } from '../api/client.js';
import { createStore, useStore, withEntry } from './store.js';

export interface RelationsState {
  byId: Record<string, Relationship>;
  pendingCount: number;
}
export const relationsStore = createStore<RelationsState>({ byId: {}, pendingCount: 0 });

export interface CentreState {
  items: CentreNotification[];
  unreadCount: number;
}
export const centreStore = createStore<CentreState>({ items: [], unreadCount: 0 });

export const organisationStore = createStore<ChatOrganisation>({ pinned: [], archived: [] });

/** Pinned messages per chat, loaded when the chat opens. */
export const pinsStore = createStore<Record<string, PinnedMessageList>>({});

/** Away: presence events say so; the rest of presence lives in people.ts. */
export const awayStore = createStore<Record<string, boolean>>({});

/** The person whose profile is open, if any. */
export const profileStore = createStore<string | null>(null);
export const openProfile = (userId: string) => profileStore.set(userId);
export const closeProfile = () => profileStore.set(null);

export function rememberRelationship(relationship: Relationship, pendingCount?: number) {
  relationsStore.update((state) => ({
    byId: withEntry(state.byId, relationship.user.id, relationship),
    pendingCount: pendingCount ?? state.pendingCount,
  }));
}

export async function loadRelations() {
  const list = await parley.contacts.list();
  relationsStore.set({ byId: Object.fromEntries(list.items.map((r) => [r.user.id, r])), pendingCount: list.pendingCount });
}

export async function loadCentre() {
  const page = await parley.notificationCentre.list({ limit: 50 });
  centreStore.set({ items: page.items, unreadCount: page.unreadCount });
}

export async function loadOrganisation() {
  organisationStore.set(await parley.organise.get());
}

export async function loadPins(chatId: string) {
  const list = await parley.organise.pins(chatId);
  pinsStore.update((all) => withEntry(all, chatId, list));
}

/** Everything of this module, after a (re)connect. */
export function loadPeopleState() {
  void Promise.all([loadRelations(), loadCentre(), loadOrganisation()]).catch(() => undefined);
}

export function resetPeopleState() {
  relationsStore.set({ byId: {}, pendingCount: 0 });
  centreStore.set({ items: [], unreadCount: 0 });
  organisationStore.set({ pinned: [], archived: [] });
  pinsStore.set({});
  awayStore.set({});
  profileStore.set(null);
}

/** Applies an event of this module; false for events it does not own (presence is shared with people.ts). */
export function applyPeopleEvent(frame: EventFrame): boolean {
  switch (frame.event) {
    case 'contact.updated': {
      const { relationship, pendingCount } = frame.data as { relationship: Relationship; pendingCount: number };
      rememberRelationship(relationship, pendingCount);
      return true;
    }
    case 'notification.created': {
      const { notification, unreadCount } = frame.data as { notification: CentreNotification; unreadCount: number };
      centreStore.update((state) => ({
        items: [notification, ...state.items.filter((n) => n.id !== notification.id)],
        unreadCount,
      }));
      return true;
    }
    case 'notification.read': {
      const { ids, unreadCount } = frame.data as { ids: string[]; unreadCount: number };
      centreStore.update((state) => ({ items: state.items.map((n) => (ids.includes(n.id) ? { ...n, read: true } : n)), unreadCount }));
      return true;
    }
    case 'notification.removed': {
      const { ids, unreadCount } = frame.data as { ids: string[]; unreadCount: number };
      centreStore.update((state) => ({ items: state.items.filter((n) => !ids.includes(n.id)), unreadCount }));
      return true;
    }
    case 'chat.organised':
      organisationStore.set(frame.data as ChatOrganisation);
      return true;
    case 'message.pinned':
    case 'message.unpinned': {
      const { chatId } = frame.data as { chatId: string };
      if (pinsStore.get()[chatId]) void loadPins(chatId).catch(() => undefined);
      return true;
    }
    case 'presence': {
      const { userId, online, away } = frame.data as { userId: string; online: boolean; away?: boolean };
      awayStore.update((all) => withEntry(all, userId, online && away ? true : undefined));
      return false;
    }
    default:
      return false;
  }
}

/** A new message brings an archived chat back unless it is muted (the server's rule, applied at once). */
export function unarchiveOnMessage(chatId: string, muted: boolean) {
  if (muted) return;
  organisationStore.update((state) =>
    state.archived.includes(chatId) ? { ...state, archived: state.archived.filter((id) => id !== chatId) } : state,
  );
}

export const useRelationship = (userId: string | null) => useStore(relationsStore, (s) => (userId ? s.byId[userId] : undefined));
export const usePendingCount = () => useStore(relationsStore, (s) => s.pendingCount);
export const useAlias = (userId: string | null) => useStore(relationsStore, (s) => (userId ? (s.byId[userId]?.alias ?? null) : null));
export const useBlocked = (userId: string | null) => useStore(relationsStore, (s) => (userId ? s.byId[userId]?.blocked === true : false));
export const useAway = (userId: string | null) => useStore(awayStore, (s) => (userId ? s[userId] === true : false));

/** Pinned chats first, in their order; archived chats apart. */
export function organiseChats<T extends { id: string }>(chats: readonly T[], organisation: ChatOrganisation): { main: T[]; archived: T[] } {
  const archived = chats.filter((c) => organisation.archived.includes(c.id));
  const rest = chats.filter((c) => !organisation.archived.includes(c.id));
  const pinnedOrder = (id: string) => organisation.pinned.indexOf(id);
  const pinned = rest.filter((c) => pinnedOrder(c.id) >= 0).sort((a, b) => pinnedOrder(a.id) - pinnedOrder(b.id));
  return { main: [...pinned, ...rest.filter((c) => pinnedOrder(c.id) < 0)], archived };
}
