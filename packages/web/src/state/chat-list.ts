/**
 * How the chat list changes with events, as pure functions of one Chat: a new message
 * moves the chat up and counts as unread (unless it is ours or already counted), an edit
 * or deletion updates the preview, a read position clears the badge. Applying the same
 * event twice changes nothing, so events that raced a REST load are harmless.
 */
import type { Chat, Message } from '@parley/protocol';

/**
 * When the chat last changed as this reader sees it: its newest message they can see. The
 * chat's own lastActivityAt also moves for a private message between two others, which
 * must not bring the chat up for the rest of the group.
 */
export const seenActivity = (chat: Chat): string => chat.lastMessage?.createdAt ?? chat.lastActivityAt;

/** Newest activity first; ties by id so the order is stable. */
export function sortChats(chats: readonly Chat[]): Chat[] {
  return [...chats].sort((a, b) => seenActivity(b).localeCompare(seenActivity(a)) || a.id.localeCompare(b.id));
}

const fold = (value: string) => value.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

/** Chats whose name, handle or peer's username contains every word of the query. */
export function filterChats(chats: readonly Chat[], query: string): Chat[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...chats];
  return chats.filter((chat) => {
    const haystack = fold([chat.name, chat.handle ?? '', chat.peer?.username ?? '', chat.peer?.displayName ?? ''].join(' '));
    return words.every((word) => haystack.includes(word));
  });
}

export function withMessage(chat: Chat, message: Message, meId: string): Chat {
  const isNew = message.seq > chat.lastSeq;
  const newestShown = !chat.lastMessage || message.seq >= chat.lastMessage.seq;
  if (!isNew && !newestShown) return chat;
  const next: Chat = { ...chat, lastSeq: Math.max(chat.lastSeq, message.seq) };
  if (newestShown) next.lastMessage = message;
  if (message.createdAt > chat.lastActivityAt) next.lastActivityAt = message.createdAt;
  if (!isNew) return next;
  if (message.senderId === meId) {
    // Sending reads the chat up to your own message, on every device.
    return { ...next, lastReadSeq: message.seq, unreadCount: 0, mentionCount: 0 };
  }
  if (message.kind !== 'text' || message.seq <= chat.lastReadSeq) return next;
  return {
    ...next,
    unreadCount: chat.unreadCount + 1,
    mentionCount: chat.mentionCount + (message.mentions.includes(meId) || (message.mentionsAll && message.senderId !== meId) ? 1 : 0),
  };
}

/** An edit, a reaction, or a deletion reaching the message shown as the preview. */
export function withMessageChange(chat: Chat, messageId: string, change: (message: Message) => Message): Chat {
  if (chat.lastMessage?.id !== messageId) return chat;
  return { ...chat, lastMessage: change(chat.lastMessage) };
}

/**
 * Our read position moved (here or on another device). At the newest message the badge
 * clears; short of it the exact counts need the server (`refresh`).
 */
/**
 * `remaining`: the unread messages left after `lastReadSeq`, when the reader's device can
 * count them (it holds every message up to the newest); then the badge is exact at once.
 */
export function withReadPosition(chat: Chat, lastReadSeq: number, remaining?: number): { chat: Chat; refresh: boolean } {
  if (lastReadSeq <= chat.lastReadSeq) return { chat, refresh: false };
  if (lastReadSeq >= chat.lastSeq) return { chat: { ...chat, lastReadSeq, unreadCount: 0, mentionCount: 0 }, refresh: false };
  if (remaining !== undefined) {
    const unreadCount = Math.min(remaining, chat.unreadCount);
    return { chat: { ...chat, lastReadSeq, unreadCount, mentionCount: unreadCount === 0 ? 0 : chat.mentionCount }, refresh: false };
  }
  return { chat: { ...chat, lastReadSeq }, refresh: chat.unreadCount > 0 };
}

/** Unread messages in chats that are not muted: the number in the page title. */
export function totalUnread(chats: readonly Chat[]): number {
  return chats.reduce((sum, chat) => sum + (chat.muted ? 0 : chat.unreadCount), 0);
}

/**
 * Our view of a chat fetched from the server, over what we hold. An answer can leave the
 * server before messages we have already applied from events: then the newer preview and
 * position stay, and the counts keep the larger value.
 */
export function withFetched(current: Chat | undefined, fetched: Chat): Chat {
  if (!current || fetched.lastSeq >= current.lastSeq) return fetched;
  return {
    ...fetched,
    lastSeq: current.lastSeq,
    lastMessage: current.lastMessage,
    lastActivityAt: current.lastActivityAt,
    lastReadSeq: Math.max(current.lastReadSeq, fetched.lastReadSeq),
    unreadCount: Math.max(current.unreadCount, fetched.unreadCount),
    mentionCount: Math.max(current.mentionCount, fetched.mentionCount),
  };
}

/** Fields every member sees alike (what `chat.*` and `member.*` events carry). */
export type ChatCore = Pick<
  Chat,
  | 'id'
  | 'kind'
  | 'name'
  | 'description'
  | 'handle'
  | 'ownerId'
  | 'membersCanEdit'
  | 'membersCanAdd'
  | 'memberCount'
  | 'createdAt'
  | 'lastActivityAt'
  | 'lastSeq'
>;

/** Event data over our own view; a direct chat's name stays the peer's (events carry it empty). */
export function withCore(chat: Chat, core: ChatCore): Chat {
  return {
    ...chat,
    ...core,
    name: chat.kind === 'direct' ? chat.name : core.name,
    lastSeq: Math.max(chat.lastSeq, core.lastSeq),
    lastActivityAt: Date.parse(core.lastActivityAt) > Date.parse(chat.lastActivityAt) ? core.lastActivityAt : chat.lastActivityAt,
  };
}
