/**
 * The loaded part of one chat's history: a contiguous run of messages (by seq) with
 * flags saying whether older or newer ones exist beyond it. Long chats are never loaded
 * whole: pages come in as the reader scrolls, and the window drops messages at the far
 * end once it holds more than WINDOW_MAX, so the list (and the DOM) stays small.
 * Pure functions; the messages store applies them.
 */
import type { Message, MessagePage } from '@parley/protocol';

export const PAGE_SIZE = 50;
export const WINDOW_MAX = 200;

export interface MessageWindow {
  /** Oldest first, unique by seq. */
  items: Message[];
  hasOlder: boolean;
  /** True when the window does not reach the newest message: live messages wait until it does. */
  hasNewer: boolean;
}

export const emptyWindow: MessageWindow = { items: [], hasOlder: false, hasNewer: false };

export function fromPage(page: MessagePage): MessageWindow {
  return { items: page.items, hasOlder: page.hasOlder, hasNewer: page.hasNewer };
}

/** Union of two runs sorted by seq; on a clash the later copy (`b`) wins. */
export function mergeBySeq(a: readonly Message[], b: readonly Message[]): Message[] {
  const bySeq = new Map<number, Message>();
  for (const message of a) bySeq.set(message.seq, message);
  for (const message of b) bySeq.set(message.seq, message);
  return [...bySeq.values()].sort((x, y) => x.seq - y.seq);
}

export function withOlderPage(window: MessageWindow, page: MessagePage): MessageWindow {
  const items = mergeBySeq(page.items, window.items);
  if (items.length <= WINDOW_MAX) return { ...window, items, hasOlder: page.hasOlder };
  return { items: items.slice(0, WINDOW_MAX), hasOlder: page.hasOlder, hasNewer: true };
}

export function withNewerPage(window: MessageWindow, page: MessagePage): MessageWindow {
  const items = mergeBySeq(window.items, page.items);
  if (items.length <= WINDOW_MAX) return { ...window, items, hasNewer: page.hasNewer };
  return { items: items.slice(-WINDOW_MAX), hasOlder: true, hasNewer: page.hasNewer };
}

/**
 * The latest page arrived while live messages were already being added (events racing
 * the load): keep both, newest wins.
 */
export function withLatestPage(window: MessageWindow | undefined, page: MessagePage): MessageWindow {
  if (!window || window.hasNewer || page.hasNewer) return fromPage(page);
  const newest = page.items.at(-1)?.seq ?? 0;
  const live = window.items.filter((m) => m.seq > newest);
  return { items: mergeBySeq(page.items, live), hasOlder: page.hasOlder, hasNewer: false };
}

/** A live message: added when the window reaches the present; a long stream drops the oldest. */
export function withLiveMessage(window: MessageWindow, message: Message): MessageWindow {
  if (window.hasNewer) return window;
  const last = window.items.at(-1);
  const items = last && last.seq < message.seq ? [...window.items, message] : mergeBySeq(window.items, [message]);
  if (items.length <= WINDOW_MAX + PAGE_SIZE) return { ...window, items };
  return { ...window, items: items.slice(-WINDOW_MAX), hasOlder: true };
}

function mapItems(window: MessageWindow, change: (message: Message) => Message): MessageWindow {
  let changed = false;
  const items = window.items.map((message) => {
    const next = change(message);
    if (next !== message) changed = true;
    return next;
  });
  return changed ? { ...window, items } : window;
}

/** An edited (or re-sent) message; reply quotes of it follow the new text. */
export function withMessageReplaced(window: MessageWindow, updated: Message): MessageWindow {
  return mapItems(window, (message) => {
    if (message.id === updated.id) return updated;
    if (message.replyTo?.id === updated.id) {
      const text = updated.deletedAt ? '' : updated.text.slice(0, 200);
      return { ...message, replyTo: { ...message.replyTo, text, deleted: updated.deletedAt !== null } };
    }
    return message;
  });
}

export function withMessageDeleted(window: MessageWindow, messageId: string, deletedAt: string): MessageWindow {
  return mapItems(window, (message) => {
    if (message.id === messageId) return { ...message, text: '', deletedAt, reactions: [], mentions: [], mentionsAll: false };
    if (message.replyTo?.id === messageId) return { ...message, replyTo: { ...message.replyTo, text: '', deleted: true } };
    return message;
  });
}

export function withReactions(window: MessageWindow, messageId: string, reactions: Message['reactions']): MessageWindow {
  return mapItems(window, (message) => (message.id === messageId ? { ...message, reactions } : message));
}

/** One person added or took back one reaction (the `reaction.changed` delta). */
export interface ReactionChange {
  emoji: string;
  userId: string;
  added: boolean;
}

/** Applies a reaction delta; applying it twice changes nothing (replays after a REST load). */
export function withReactionChange(reactions: Message['reactions'], { emoji, userId, added }: ReactionChange): Message['reactions'] {
  const current = reactions.find((r) => r.emoji === emoji);
  if (added === Boolean(current?.userIds.includes(userId))) return reactions;
  if (added && !current) return [...reactions, { emoji, count: 1, userIds: [userId] }];
  return reactions.flatMap((r) => {
    if (r.emoji !== emoji) return [r];
    const userIds = added ? [...r.userIds, userId] : r.userIds.filter((id) => id !== userId);
    return userIds.length ? [{ emoji, count: userIds.length, userIds }] : [];
  });
}

export function withReaction(window: MessageWindow, messageId: string, change: ReactionChange): MessageWindow {
  return mapItems(window, (message) =>
    message.id === messageId && message.deletedAt === null
      ? { ...message, reactions: withReactionChange(message.reactions, change) }
      : message,
  );
}
