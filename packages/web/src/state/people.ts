/**
 * What the app knows about people: names (from members, message authors, searches) and
 * presence (from member lists and `presence` events). Names of people we have not met
 * yet — the author of a system message about someone who left — are fetched once.
 */
import type { Chat, ChatMember, PublicUser } from '@parley/protocol';
import i18n from 'i18next';
import { useEffect } from 'react';
import { parley } from '../api/client.js';
import { createStore, useStore } from './store.js';

export interface Person {
  id: string;
  displayName: string;
  username: string;
  online: boolean;
  lastSeenAt: string | null;
  /** A deleted account: shown by the placeholder name in the reader's language. */
  deleted?: boolean;
  /** Their profile photo (a file id); null: none; absent: not known yet. */
  avatarId?: string | null;
}

/**
 * The name to show for a person or an author: a deleted account's stored name is the
 * server's English placeholder ("Deleted user"), so it is replaced by the reader's words.
 */
export const shownName = (user: { displayName: string; deleted?: boolean } | null | undefined): string =>
  !user ? '' : user.deleted ? i18n.t('common.deletedUser') : user.displayName;

/** A chat's title; a direct chat with a deleted account is named in the reader's language. */
export const chatTitle = (chat: Pick<Chat, 'kind' | 'name' | 'peer'>): string =>
  chat.kind === 'direct' && chat.peer?.deleted ? i18n.t('common.deletedUser') : chat.name;

export const peopleStore = createStore<Record<string, Person>>({});

const requested = new Set<string>();

function merge(id: string, change: Partial<Person>) {
  peopleStore.update((people) => {
    const current = people[id] ?? { id, displayName: '', username: '', online: false, lastSeenAt: null };
    const next = { ...current, ...change };
    if (
      next.displayName === current.displayName &&
      next.username === current.username &&
      next.online === current.online &&
      next.lastSeenAt === current.lastSeenAt &&
      next.deleted === current.deleted &&
      next.avatarId === current.avatarId &&
      people[id]
    )
      return people;
    return { ...people, [id]: next };
  });
}

export function rememberUser(
  user: Pick<PublicUser, 'id' | 'displayName' | 'username'> & { lastSeenAt?: string | null; deleted?: boolean; avatarId?: string | null },
) {
  merge(user.id, {
    displayName: user.displayName,
    username: user.username,
    ...(user.deleted !== undefined && { deleted: user.deleted }),
    ...(user.lastSeenAt !== undefined && { lastSeenAt: user.lastSeenAt }),
    ...(user.avatarId !== undefined && { avatarId: user.avatarId }),
  });
}

export function rememberMembers(members: readonly ChatMember[]) {
  for (const member of members) {
    merge(member.user.id, {
      displayName: member.user.displayName,
      username: member.user.username,
      deleted: member.user.deleted,
      online: member.online,
      lastSeenAt: member.user.lastSeenAt,
      ...(member.user.avatarId !== undefined && { avatarId: member.user.avatarId }),
    });
  }
}

/**
 * The connection is down: we no longer know who is online, so nobody is shown as online.
 * Those who were are "last seen" now (as far as we know); presence reloads on reconnect.
 */
export function forgetPresence(now: string = new Date().toISOString()) {
  peopleStore.update((people) => {
    if (!Object.values(people).some((p) => p.online)) return people;
    const next: Record<string, Person> = {};
    for (const [id, person] of Object.entries(people)) next[id] = person.online ? { ...person, online: false, lastSeenAt: now } : person;
    return next;
  });
}

export function setPresence(userId: string, online: boolean, lastSeenAt: string | null) {
  merge(userId, online ? { online } : { online, lastSeenAt });
}

function fetchPerson(id: string) {
  if (requested.has(id)) return;
  requested.add(id);
  parley.users.get(id).then(rememberUser, () => undefined);
}

/** A person's display name; fetched when unknown (null meanwhile). */
export function usePersonName(id: string | null): string | null {
  const name = useStore(peopleStore, (people) => (id ? shownName(people[id]) || null : null));
  useEffect(() => {
    if (id && name === null) fetchPerson(id);
  }, [id, name]);
  return name;
}

export function usePerson(id: string | null): Person | undefined {
  return useStore(peopleStore, (people) => (id ? people[id] : undefined));
}

export const personName = (id: string | null) => (id ? shownName(peopleStore.get()[id]) || null : null);

export function resetPeople() {
  requested.clear();
  peopleStore.set({});
}
