/**
 * The stored outbox of thread replies (E15, beside outbox.ts for the chats'): replies typed
 * while offline survive a reload. Every change to the pending replies is written to
 * localStorage under the signed-in user's id; when that user's next connection opens they
 * are pending again and sent once (same clientIds, which the server answers with the
 * original). Refused replies ("Not sent") are not kept: they need a person.
 */
import type { PendingReply } from './threads.js';

export const threadOutboxKey = (userId: string) => `parley.outbox.${userId}.threads`;

function isPendingReply(value: unknown): value is PendingReply {
  const p = value as Partial<PendingReply> | null;
  return (
    typeof p?.clientId === 'string' &&
    typeof p.chatId === 'string' &&
    typeof p.rootId === 'string' &&
    typeof p.text === 'string' &&
    typeof p.createdAt === 'string'
  );
}

export function readStoredReplies(userId: string): PendingReply[] {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(threadOutboxKey(userId)) ?? '[]');
    return Array.isArray(parsed)
      ? parsed.filter(isPendingReply).map((p) => ({ ...p, alsoToChat: p.alsoToChat === true, failed: false }))
      : [];
  } catch {
    return [];
  }
}

export function storeReplies(userId: string, pending: readonly PendingReply[]) {
  try {
    const waiting = pending.filter((p) => !p.failed);
    if (waiting.length === 0) window.localStorage.removeItem(threadOutboxKey(userId));
    else window.localStorage.setItem(threadOutboxKey(userId), JSON.stringify(waiting));
  } catch {
    // Storage full or disabled: the outbox then lasts as long as the page.
  }
}
