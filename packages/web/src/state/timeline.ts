/**
 * The rows a conversation shows, computed from the loaded messages: a separator at each
 * new day, the "new messages" divider before the first unread message from someone else,
 * and consecutive messages of one sender grouped (one name, one avatar) while they
 * follow each other within a few minutes. Pure, so it is unit-tested.
 */
import type { Message } from '@parley/protocol';

/** A message of ours not yet acknowledged by the server (the SDK outbox holds it). */
export interface PendingMessage {
  clientId: string;
  chatId: string;
  text: string;
  replyTo: Message['replyTo'];
  privateTo: string | null;
  /** Uploaded files it carries (ids), if any. */
  attachments?: string[];
  /** Files still uploading (views/attachments/upload-tracker.ts keys): it is sent once they are done. */
  uploads?: string[];
  createdAt: string;
  /** The server refused it (not a network problem): offer to retry or discard. */
  failed: boolean;
}

export type TimelineRow =
  | { kind: 'day'; key: string; at: string }
  | { kind: 'unread'; key: 'unread' }
  | { kind: 'system'; key: string; message: Message }
  | { kind: 'message'; key: string; message: Message; first: boolean; last: boolean }
  | { kind: 'pending'; key: string; pending: PendingMessage; first: boolean; last: boolean };

export const GROUP_WINDOW_MS = 5 * 60_000;

/** The local calendar day of a timestamp, as a comparable key. */
export function localDayKey(iso: string): string {
  const date = new Date(iso);
  return `${date.getFullYear()}-${date.getMonth() + 1}-${date.getDate()}`;
}

/**
 * React keys that survive the ack: a pending message and the stored message it becomes
 * share a key (sender + clientId), so the row is updated in place rather than replaced.
 */
export const messageKey = (senderId: string | null, clientId: string | null, id: string) =>
  senderId && clientId ? `c:${senderId}:${clientId}` : `m:${id}`;

interface Groupable {
  senderId: string | null;
  privateTo: string | null;
  createdAt: string;
  system: boolean;
}

function groupsWith(previous: Groupable | null, next: Groupable): boolean {
  if (!previous || previous.system || next.system) return false;
  if (previous.senderId !== next.senderId || previous.privateTo !== next.privateTo) return false;
  const gap = Date.parse(next.createdAt) - Date.parse(previous.createdAt);
  return gap >= 0 && gap < GROUP_WINDOW_MS;
}

export interface TimelineOptions {
  meId: string;
  /** Messages from others after this seq are new to the reader; null for no divider. */
  unreadAfterSeq: number | null;
  dayKey?: (iso: string) => string;
}

export function buildTimeline(messages: readonly Message[], pending: readonly PendingMessage[], options: TimelineOptions): TimelineRow[] {
  const dayKey = options.dayKey ?? localDayKey;
  const rows: TimelineRow[] = [];
  let previous: Groupable | null = null;
  let previousRow: Extract<TimelineRow, { first: boolean }> | null = null;
  let currentDay: string | null = null;
  let dividerPlaced = options.unreadAfterSeq === null;

  /** Adds a day separator when `createdAt` starts a new day; says whether it did. */
  const enterDay = (createdAt: string): boolean => {
    const day = dayKey(createdAt);
    if (day === currentDay) return false;
    rows.push({ kind: 'day', key: `day:${day}`, at: createdAt });
    currentDay = day;
    return true;
  };

  for (const message of messages) {
    const item: Groupable = {
      senderId: message.senderId,
      privateTo: message.privateTo,
      createdAt: message.createdAt,
      system: message.kind === 'system',
    };
    let separated = enterDay(item.createdAt);
    if (!dividerPlaced && options.unreadAfterSeq !== null && message.seq > options.unreadAfterSeq && message.senderId !== options.meId) {
      if (message.kind === 'text') {
        rows.push({ kind: 'unread', key: 'unread' });
        dividerPlaced = true;
        separated = true;
      }
    }
    const grouped = !separated && groupsWith(previous, item);
    if (grouped && previousRow) previousRow.last = false;
    if (message.kind === 'system') {
      rows.push({ kind: 'system', key: `m:${message.id}`, message });
      previousRow = null;
    } else {
      const row = {
        kind: 'message' as const,
        key: messageKey(message.senderId, message.clientId, message.id),
        message,
        first: !grouped,
        last: true,
      };
      rows.push(row);
      previousRow = row;
    }
    previous = item;
  }

  for (const entry of pending) {
    const item: Groupable = { senderId: options.meId, privateTo: entry.privateTo, createdAt: entry.createdAt, system: false };
    const separated = enterDay(item.createdAt);
    const grouped = !separated && groupsWith(previous, item);
    if (grouped && previousRow) previousRow.last = false;
    const row = {
      kind: 'pending' as const,
      key: messageKey(options.meId, entry.clientId, entry.clientId),
      pending: entry,
      first: !grouped,
      last: true,
    };
    rows.push(row);
    previousRow = row;
    previous = item;
  }
  return rows;
}
