/**
 * Members of the chats we look at (loaded when a chat opens): roles for the info panel,
 * names for mentions and "seen by", and delivered and read positions for ✓✓. Kept current
 * by member.*, delivered.updated and read.updated events; a sender's own message also moves
 * their position.
 */
import type { ChatMember, Role } from '@parley/protocol';
import { parley } from '../api/client.js';
import { rememberMembers } from './people.js';
import { createStore, useStore, withEntry } from './store.js';

export const membersStore = createStore<Record<string, ChatMember[]>>({});

const loading = new Map<string, Promise<void>>();

export function loadMembers(chatId: string): Promise<void> {
  const running = loading.get(chatId);
  if (running) return running;
  const request = parley.chats
    .members(chatId)
    .then((list) => {
      rememberMembers(list.items);
      membersStore.update((all) => withEntry(all, chatId, list.items));
    })
    .catch(() => undefined)
    .finally(() => loading.delete(chatId));
  loading.set(chatId, request);
  return request;
}

function updateMembers(chatId: string, change: (members: ChatMember[]) => ChatMember[]) {
  membersStore.update((all) => {
    const members = all[chatId];
    if (!members) return all;
    const next = change(members);
    return next === members ? all : withEntry(all, chatId, next);
  });
}

export function applyJoined(chatId: string, joined: readonly ChatMember[]) {
  rememberMembers(joined);
  updateMembers(chatId, (members) => {
    const ids = new Set(joined.map((m) => m.user.id));
    return [...members.filter((m) => !ids.has(m.user.id)), ...joined];
  });
}

export function applyLeft(chatId: string, userId: string) {
  updateMembers(chatId, (members) => members.filter((m) => m.user.id !== userId));
}

export function applyRole(chatId: string, userId: string, role: Role) {
  updateMembers(chatId, (members) => members.map((m) => (m.user.id === userId && m.role !== role ? { ...m, role } : m)));
}

export function applyReadPosition(chatId: string, userId: string, lastReadSeq: number) {
  updateMembers(chatId, (members) => {
    const member = members.find((m) => m.user.id === userId);
    if (!member || member.lastReadSeq >= lastReadSeq) return members;
    return members.map((m) => (m === member ? { ...m, lastReadSeq } : m));
  });
}

export function applyDeliveredPosition(chatId: string, userId: string, deliveredSeq: number) {
  updateMembers(chatId, (members) => {
    const member = members.find((m) => m.user.id === userId);
    if (!member || member.deliveredSeq >= deliveredSeq) return members;
    return members.map((m) => (m === member ? { ...m, deliveredSeq } : m));
  });
}

export function forgetMembers(chatId: string) {
  membersStore.update((all) => withEntry(all, chatId, undefined));
}

const NO_MEMBERS: ChatMember[] = [];
export const useMembers = (chatId: string) => useStore(membersStore, (all) => all[chatId] ?? NO_MEMBERS);

export function resetMembers() {
  loading.clear();
  membersStore.set({});
}
