/**
 * What a thread root shows in the conversation (E15): how many replies, who replied last
 * and when. Its own file so `Message` (messages.ts) can carry it without importing the
 * threads schemas, which themselves name `Message`.
 */
import { type Static, Type } from '@sinclair/typebox';
import { Id, Nullable, SafeInteger, Timestamp } from './common.js';

export const ThreadReplier = Type.Object({ id: Id, displayName: Type.String() });

export const ThreadSummary = Type.Object({
  /** Replies not deleted; the same for everyone who sees the root (a thread's replies share its audience). */
  replyCount: SafeInteger(),
  /** The chat `seq` of the newest reply; 0 when there is none. */
  lastReplySeq: SafeInteger(),
  lastReplyAt: Nullable(Timestamp),
  /** The latest people to reply, newest first, at most THREAD_REPLIERS_SHOWN. */
  repliers: Type.Array(ThreadReplier),
});
export type ThreadSummary = Static<typeof ThreadSummary>;

export const THREAD_REPLIERS_SHOWN = 3;
