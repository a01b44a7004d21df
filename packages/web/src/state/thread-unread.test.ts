/** The thread badge's arithmetic (state/thread-unread.ts): whatever order snapshots and replies arrive in, each reply counts once. */
import { describe, expect, it } from 'vitest';
import { unreadOf, withReply, withReplyDeleted, withSnapshot } from './thread-unread.js';

const snapshot = (lastReadSeq: number, lastReplySeq: number, unreadCount: number) => ({ lastReadSeq, lastReplySeq, unreadCount });

describe('thread unread', () => {
  it('counts replies from others after the snapshot, and not ours', () => {
    let state = withSnapshot(undefined, snapshot(0, 10, 2));
    state = withReply(state, { seq: 12, mine: false });
    state = withReply(state, { seq: 12, mine: false });
    expect(unreadOf(state)).toBe(3);
    state = withReply(state, { seq: 13, mine: true });
    expect(unreadOf(state)).toBe(0);
  });

  it('a reply the snapshot already counted (it trailed the snapshot) is not counted again', () => {
    let state = withSnapshot(undefined, snapshot(4, 11, 2));
    state = withReply(state, { seq: 11, mine: false });
    expect(unreadOf(state)).toBe(2);
  });

  it('a read on the other device clears the badge, whether its reply came first or after', () => {
    // The reply came first, then the read that covers it.
    let first = withSnapshot(undefined, snapshot(0, 10, 1));
    first = withReply(first, { seq: 12, mine: false });
    first = withSnapshot(first, snapshot(12, 12, 0));
    expect(unreadOf(first)).toBe(0);
    // The read came first (our own stream was ahead), then the reply it covered.
    let second = withSnapshot(undefined, snapshot(0, 10, 1));
    second = withSnapshot(second, snapshot(12, 12, 0));
    second = withReply(second, { seq: 12, mine: false });
    expect(unreadOf(second)).toBe(0);
    // A reply after the read counts.
    second = withReply(second, { seq: 14, mine: false });
    expect(unreadOf(second)).toBe(1);
  });

  it('a snapshot older than what we know (a slow load) changes nothing', () => {
    const state = withSnapshot(withSnapshot(undefined, snapshot(0, 10, 3)), snapshot(10, 10, 0));
    expect(withSnapshot(state, snapshot(0, 10, 3))).toBe(state);
  });

  it('a deleted unread reply stops counting; a read or own one changes nothing', () => {
    let state = withSnapshot(undefined, snapshot(5, 10, 2));
    state = withReply(state, { seq: 11, mine: false });
    state = withReplyDeleted(state, { seq: 11, mine: false }) ?? state;
    expect(unreadOf(state)).toBe(2);
    state = withReplyDeleted(state, { seq: 9, mine: false }) ?? state;
    expect(unreadOf(state)).toBe(1);
    expect(withReplyDeleted(state, { seq: 3, mine: false })).toBe(state);
  });
});
