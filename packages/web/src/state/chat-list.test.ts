import type { Chat, Message } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import {
  filterChats,
  sortChats,
  totalUnread,
  withCore,
  withFetched,
  withMessage,
  withMessageChange,
  withReadPosition,
} from './chat-list.js';

const ME = 'me';

function chat(overrides: Partial<Chat> = {}): Chat {
  return {
    id: 'c1',
    kind: 'group',
    name: 'Team',
    description: '',
    handle: null,
    ownerId: ME,
    membersCanEdit: false,
    membersCanAdd: false,
    memberCount: 3,
    createdAt: '2024-05-01T10:00:00.000Z',
    lastActivityAt: '2024-05-01T10:00:00.000Z',
    lastSeq: 4,
    role: 'owner',
    lastReadSeq: 4,
    unreadCount: 0,
    mentionCount: 0,
    muted: false,
    lastMessage: null,
    peer: null,
    ...overrides,
  };
}

function message(seq: number, overrides: Partial<Message> = {}): Message {
  return {
    id: `m${seq}`,
    chatId: 'c1',
    seq,
    kind: 'text',
    senderId: 'ann',
    sender: { id: 'ann', username: 'ann', displayName: 'Ann' },
    clientId: null,
    text: `message ${seq}`,
    replyTo: null,
    forwardedFrom: null,
    privateTo: null,
    system: null,
    mentions: [],
    mentionsAll: false,
    reactions: [],
    createdAt: `2024-05-01T11:00:0${seq % 10}.000Z`,
    editedAt: null,
    deletedAt: null,
    ...overrides,
  };
}

describe('the chat list under events', () => {
  it('counts a new message from someone else as unread, a mention as a mention, and moves the chat up', () => {
    const next = withMessage(chat(), message(5, { mentions: [ME] }), ME);
    expect(next).toMatchObject({ lastSeq: 5, unreadCount: 1, mentionCount: 1, lastActivityAt: '2024-05-01T11:00:05.000Z' });
    expect(next.lastMessage?.id).toBe('m5');
  });

  it('counts @all as a mention for everyone but its sender', () => {
    expect(withMessage(chat(), message(5, { mentionsAll: true }), ME).mentionCount).toBe(1);
    expect(withMessage(chat(), message(5, { mentionsAll: true, senderId: ME }), ME).mentionCount).toBe(0);
  });

  it('counts the same message once, however often it arrives (replay after a REST load)', () => {
    const once = withMessage(chat(), message(5), ME);
    expect(withMessage(once, message(5), ME)).toEqual(once);
    expect(withMessage(chat({ lastSeq: 5 }), message(5), ME).unreadCount).toBe(0);
  });

  it('clears the badge when we send: our own message reads the chat', () => {
    const next = withMessage(chat({ unreadCount: 3, mentionCount: 1, lastReadSeq: 1 }), message(5, { senderId: ME }), ME);
    expect(next).toMatchObject({ unreadCount: 0, mentionCount: 0, lastReadSeq: 5 });
  });

  it('does not count system messages as unread', () => {
    expect(withMessage(chat(), message(5, { kind: 'system', senderId: null }), ME).unreadCount).toBe(0);
  });

  it('updates the preview when its message is edited or deleted, and nothing else', () => {
    const withLast = chat({ lastMessage: message(4) });
    expect(withMessageChange(withLast, 'm4', (m) => ({ ...m, text: 'edited' })).lastMessage?.text).toBe('edited');
    expect(withMessageChange(withLast, 'm3', (m) => ({ ...m, text: 'edited' }))).toBe(withLast);
  });

  it('clears unread at the newest message, and asks the server for counts short of it', () => {
    const unread = chat({ lastSeq: 9, lastReadSeq: 4, unreadCount: 5, mentionCount: 1 });
    expect(withReadPosition(unread, 9)).toEqual({ chat: { ...unread, lastReadSeq: 9, unreadCount: 0, mentionCount: 0 }, refresh: false });
    expect(withReadPosition(unread, 6)).toEqual({ chat: { ...unread, lastReadSeq: 6 }, refresh: true });
    expect(withReadPosition(unread, 3)).toEqual({ chat: unread, refresh: false });
  });

  it('sorts by last activity, filters by name or handle ignoring case and accents, sums unread of unmuted chats', () => {
    const a = chat({ id: 'a', name: 'Café crew', lastActivityAt: '2024-05-02T00:00:00.000Z', unreadCount: 2 });
    const b = chat({ id: 'b', name: 'Rooms', handle: 'general', lastActivityAt: '2024-05-03T00:00:00.000Z', unreadCount: 5, muted: true });
    const c = chat({ id: 'c', kind: 'direct', name: 'Grace Hopper', lastActivityAt: '2024-05-01T00:00:00.000Z', unreadCount: 1 });
    expect(sortChats([a, b, c]).map((x) => x.id)).toEqual(['b', 'a', 'c']);
    expect(filterChats([a, b, c], 'cafe').map((x) => x.id)).toEqual(['a']);
    expect(filterChats([a, b, c], 'GENERAL').map((x) => x.id)).toEqual(['b']);
    expect(filterChats([a, b, c], 'grace hop').map((x) => x.id)).toEqual(['c']);
    expect(totalUnread([a, b, c])).toBe(3);
  });

  it('keeps messages that arrived while a fetch of the chat was on its way', () => {
    const fetched = chat({ lastSeq: 4, unreadCount: 0, name: 'Renamed' });
    const current = withMessage(chat({ lastSeq: 4 }), message(5), ME);
    expect(withFetched(current, fetched)).toMatchObject({ name: 'Renamed', lastSeq: 5, unreadCount: 1, lastMessage: { id: 'm5' } });
    expect(withFetched(current, chat({ lastSeq: 6, unreadCount: 2 }))).toMatchObject({ lastSeq: 6, unreadCount: 2 });
    expect(withFetched(undefined, fetched)).toBe(fetched);
  });

  it('takes shared fields from events but keeps a direct chat’s name (events carry it empty)', () => {
    const direct = chat({ kind: 'direct', name: 'Grace', lastSeq: 7 });
    const next = withCore(direct, { ...direct, name: '', memberCount: 2, lastSeq: 6 });
    expect(next).toMatchObject({ name: 'Grace', memberCount: 2, lastSeq: 7 });
  });
});

describe('what the reader sees of a chat', () => {
  it('orders by the newest message the reader can see, not by a private message between two others', () => {
    // "b" had a private message between two others at 12:00; its newest visible message is older than a's.
    const a = chat({ id: 'a', lastActivityAt: '2024-05-01T11:00:05.000Z', lastMessage: message(5, { chatId: 'a' }) });
    const b = chat({ id: 'b', lastActivityAt: '2024-05-01T12:00:00.000Z', lastMessage: message(3, { chatId: 'b' }) });
    expect(sortChats([b, a]).map((c) => c.id)).toEqual(['a', 'b']);
    // A chat without messages still sorts by its activity (created, joined).
    const empty = chat({ id: 'e', lastActivityAt: '2024-05-02T00:00:00.000Z' });
    expect(sortChats([a, empty])[0]?.id).toBe('e');
  });

  it('takes the count left after a read mark from the reading device when it knows it', () => {
    const unread = chat({ lastSeq: 10, lastReadSeq: 4, unreadCount: 6, mentionCount: 1 });
    expect(withReadPosition(unread, 7, 3)).toEqual({ chat: { ...unread, lastReadSeq: 7, unreadCount: 3 }, refresh: false });
    expect(withReadPosition(unread, 7, 0).chat).toMatchObject({ unreadCount: 0, mentionCount: 0 });
    // Without a count, the server is asked.
    expect(withReadPosition(unread, 7).refresh).toBe(true);
  });
});
