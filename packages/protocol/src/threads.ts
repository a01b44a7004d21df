/**
 * Threads (E15): replies to one message (the root) kept beside the chat instead of in it.
 * A reply is a message of the same chat with `threadRootId`; with `alsoToChat` it shows in
 * the chat too. Each person has their own state per thread — following or not, and how far
 * they read — so a thread's unread count is separate from the chat's and the same on all of
 * their devices: every change of it is one `thread.updated` event in their own stream.
 */
import { type Static, Type } from '@sinclair/typebox';
import { Id, Nullable, PageQuery, SafeInteger } from './common.js';
import { Message } from './messages.js';
import { ThreadSummary } from './thread-summary.js';

export * from './thread-summary.js';

/** One person's view of one thread: the `thread.updated` event carries it. */
export const ThreadState = Type.Object({
  chatId: Id,
  rootId: Id,
  following: Type.Boolean(),
  /** The chat `seq` of the last reply read in this thread (0: none). */
  lastReadSeq: SafeInteger(),
  /** The thread's newest reply when this state was taken: a client counts only replies after it. */
  lastReplySeq: SafeInteger(),
  /** Replies by others after `lastReadSeq`, at that moment. */
  unreadCount: SafeInteger(),
});
export type ThreadState = Static<typeof ThreadState>;

/** A thread with its root message: the side panel's header and a row of the Threads view. */
export const Thread = Type.Object({
  root: Message,
  summary: ThreadSummary,
  state: ThreadState,
});
export type Thread = Static<typeof Thread>;

export const ThreadList = Type.Object({
  /** Threads you take part in (wrote the root or a reply) or follow, newest reply first. */
  items: Type.Array(Thread),
  nextCursor: Nullable(Type.String()),
  /** How many followed threads have unread replies (the Threads badge), over all pages. */
  unreadThreads: SafeInteger(),
});
export type ThreadList = Static<typeof ThreadList>;

export const ThreadListQuery = Type.Object(PageQuery, { additionalProperties: false });
export type ThreadListQuery = Static<typeof ThreadListQuery>;

export const ThreadRef = Type.Object({ chatId: Id, rootId: Id }, { additionalProperties: false });
export type ThreadRef = Static<typeof ThreadRef>;
export const ThreadPath = Type.Object({ id: Id, rootId: Id });

const RepliesFields = {
  before: Type.Optional(SafeInteger({ minimum: 1, description: 'replies with seq below this' })),
  after: Type.Optional(SafeInteger({ minimum: 0, description: 'replies with seq above this' })),
  limit: Type.Optional(SafeInteger({ minimum: 1, maximum: 200, default: 50 })),
};
export const ThreadRepliesQuery = Type.Object(RepliesFields, { additionalProperties: false });
export const ThreadRepliesParams = Type.Object({ chatId: Id, rootId: Id, ...RepliesFields }, { additionalProperties: false });
export type ThreadRepliesParams = Static<typeof ThreadRepliesParams>;

export const MarkThreadReadBody = Type.Object({ seq: SafeInteger() }, { additionalProperties: false });
export const MarkThreadReadParams = Type.Object({ chatId: Id, rootId: Id, seq: SafeInteger() }, { additionalProperties: false });
export type MarkThreadReadParams = Static<typeof MarkThreadReadParams>;

export const FollowThreadBody = Type.Object({ following: Type.Boolean() }, { additionalProperties: false });
export const FollowThreadParams = Type.Object({ chatId: Id, rootId: Id, following: Type.Boolean() }, { additionalProperties: false });
export type FollowThreadParams = Static<typeof FollowThreadParams>;

/** The `thread.updated` event (stream `u:<userId>`): followed, unfollowed, or read further. */
export type ThreadUpdated = ThreadState;
