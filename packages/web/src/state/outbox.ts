/**
 * The stored outbox (I3): messages typed while offline survive a reload. Every change to
 * the pending messages is written to localStorage under the signed-in user's id; on the
 * next start they are pending again and sent once (restorePending keeps their clientIds).
 * Refused messages ("Not sent", offered for retry) are not kept: they need a person.
 */
import { pendingStore, restorePending } from './messages.js';
import { storeReplies } from './thread-outbox.js';
import type { PendingMessage } from './timeline.js';

const keyFor = (userId: string) => `parley.outbox.${userId}`;

function read(userId: string): PendingMessage[] {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(keyFor(userId)) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isPending) : [];
  } catch {
    return [];
  }
}

function isPending(value: unknown): value is PendingMessage {
  const p = value as Partial<PendingMessage> | null;
  return typeof p?.clientId === 'string' && typeof p.chatId === 'string' && typeof p.text === 'string' && typeof p.createdAt === 'string';
}

function write(userId: string, pending: PendingMessage[]) {
  try {
    if (pending.length === 0) window.localStorage.removeItem(keyFor(userId));
    else window.localStorage.setItem(keyFor(userId), JSON.stringify(pending));
  } catch {
    // Storage full or disabled: the outbox then lasts as long as the page.
  }
}

/** Restores this user's stored outbox and keeps it stored until the returned function is called. */
export function keepOutbox(userId: string, onError: (error: unknown) => void): () => void {
  const stored = read(userId).map((p) => ({ ...p, failed: false }));
  restorePending(stored, onError);
  const save = () =>
    write(
      userId,
      Object.values(pendingStore.get())
        .flat()
        // One still waiting for its uploads cannot be restored: the files are not stored.
        .filter((p) => !p.failed && !p.uploads),
    );
  save();
  return pendingStore.subscribe(save);
}

/** Signing out forgets what was waiting, thread replies too: the next person on this browser must not send it. */
export function dropStoredOutbox(userId: string) {
  write(userId, []);
  storeReplies(userId, []);
}
