/**
 * Delivery and read state, as the sender and the reader see it: whether our own message
 * has reached a recipient's device and been read (✓ sent, ✓✓ delivered, coloured ✓✓ read)
 * and by whom, and where the reader's unread messages begin. Pure.
 */
import type { Message } from '@parley/protocol';

export type Delivery = 'pending' | 'failed' | 'sent' | 'delivered' | 'read';

export interface ReadPosition {
  userId: string;
  lastReadSeq: number;
  /** Received by one of their devices up to here; read implies delivered. */
  deliveredSeq?: number;
}

/** The other members who have read up to `message` (for a private message, only its recipient counts). */
export function readersOf(message: Pick<Message, 'seq' | 'privateTo'>, positions: readonly ReadPosition[], meId: string): ReadPosition[] {
  return positions.filter(
    (p) => p.userId !== meId && p.lastReadSeq >= message.seq && (message.privateTo === null || p.userId === message.privateTo),
  );
}

/** Whether a device of another member (for a private message, its recipient) has received `message`. */
export const deliveredToSomeone = (
  message: Pick<Message, 'seq' | 'privateTo'>,
  positions: readonly ReadPosition[],
  meId: string,
): boolean =>
  positions.some(
    (p) =>
      p.userId !== meId &&
      Math.max(p.deliveredSeq ?? 0, p.lastReadSeq) >= message.seq &&
      (message.privateTo === null || p.userId === message.privateTo),
  );

/** The mark of a stored message we sent: read once another member read it, else delivered once a device of theirs has it. */
export const deliveryOf = (readers: readonly ReadPosition[], delivered = false): Delivery =>
  readers.length > 0 ? 'read' : delivered ? 'delivered' : 'sent';

/** The seq of the first text message from someone else after `lastReadSeq`, among those loaded. */
export function firstUnreadSeq(messages: readonly Message[], lastReadSeq: number, meId: string): number | null {
  const first = messages.find((m) => m.seq > lastReadSeq && m.kind === 'text' && m.senderId !== meId);
  return first ? first.seq : null;
}

/** The newest position the reader has now seen: the highest seq among messages on screen. */
export function readUpTo(visibleSeqs: readonly number[], currentLastRead: number): number | null {
  const highest = Math.max(currentLastRead, ...visibleSeqs);
  return highest > currentLastRead ? highest : null;
}
