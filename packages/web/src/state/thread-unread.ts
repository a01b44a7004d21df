/**
 * A thread's unread count on this device, kept right whatever order its inputs arrive in
 * (E15). The server's snapshots (`ThreadState`: from a load, a read on any of our devices,
 * a follow) arrive in our own stream; replies arrive in the chat's stream; the two are not
 * ordered against each other. So a snapshot carries the newest reply it counted
 * (`lastReplySeq`): a reply at or below it is already in the snapshot's count, and only
 * replies after it are added — a read on the other device clears the badge here, and a
 * reply that overtook or trailed that read is counted exactly once. Pure functions.
 */
import type { ThreadState } from '@parley/protocol';

export interface ThreadUnread {
  lastReadSeq: number;
  /** The newest reply the snapshot counted. */
  snapshotHead: number;
  /** Unread replies up to `snapshotHead`, as the server counted them. */
  snapshotUnread: number;
  /** Others' replies that arrived after the snapshot, by seq. */
  liveOthers: readonly number[];
}

export const unreadOf = (state: ThreadUnread | undefined): number =>
  state ? state.snapshotUnread + state.liveOthers.filter((seq) => seq > state.lastReadSeq).length : 0;

/** A server snapshot; one older than what we know (a slow load overtaken by an event) is ignored. */
export function withSnapshot(
  current: ThreadUnread | undefined,
  snapshot: Pick<ThreadState, 'lastReadSeq' | 'lastReplySeq' | 'unreadCount'>,
): ThreadUnread {
  if (current && (snapshot.lastReplySeq < current.snapshotHead || snapshot.lastReadSeq < current.lastReadSeq)) {
    if (snapshot.lastReplySeq <= current.snapshotHead && snapshot.lastReadSeq <= current.lastReadSeq) return current;
  }
  const lastReadSeq = Math.max(snapshot.lastReadSeq, current?.lastReadSeq ?? 0);
  // Read further here than the snapshot knew (our own reply after it): its count is all read.
  const snapshotUnread = lastReadSeq > snapshot.lastReadSeq && lastReadSeq >= snapshot.lastReplySeq ? 0 : snapshot.unreadCount;
  return {
    lastReadSeq,
    snapshotHead: Math.max(snapshot.lastReplySeq, current?.snapshotHead ?? 0),
    snapshotUnread,
    liveOthers: (current?.liveOthers ?? []).filter((seq) => seq > snapshot.lastReplySeq),
  };
}

/** A reply arrived live. Ours is read (and everything before it); another's counts once. */
export function withReply(current: ThreadUnread | undefined, reply: { seq: number; mine: boolean }): ThreadUnread {
  const state = current ?? { lastReadSeq: 0, snapshotHead: 0, snapshotUnread: 0, liveOthers: [] };
  if (reply.mine) {
    if (reply.seq <= state.lastReadSeq) return state;
    return {
      lastReadSeq: reply.seq,
      snapshotHead: state.snapshotHead,
      snapshotUnread: reply.seq >= state.snapshotHead ? 0 : state.snapshotUnread,
      liveOthers: state.liveOthers.filter((seq) => seq > reply.seq),
    };
  }
  if (reply.seq <= state.snapshotHead || state.liveOthers.includes(reply.seq)) return state;
  return { ...state, liveOthers: [...state.liveOthers, reply.seq] };
}

/** A reply was deleted: it no longer counts (if it did). */
export function withReplyDeleted(current: ThreadUnread | undefined, reply: { seq: number; mine: boolean }): ThreadUnread | undefined {
  if (!current || reply.mine || reply.seq <= current.lastReadSeq) return current;
  if (current.liveOthers.includes(reply.seq)) return { ...current, liveOthers: current.liveOthers.filter((seq) => seq !== reply.seq) };
  if (reply.seq <= current.snapshotHead) return { ...current, snapshotUnread: Math.max(0, current.snapshotUnread - 1) };
  return current;
}
