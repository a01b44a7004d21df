/**
 * Thread rows → the `ThreadSummary` on a root and a person's `ThreadState`. The look-ups go
 * through the repository, in batches: one query for the threads of a page of history (and
 * one for their repliers' names only when the page has threads).
 */
import type { ThreadState, ThreadSummary } from '@parley/protocol';
import type { Kysely } from 'kysely';
import { toIso } from '../../clock.js';
import type { Database } from '../../storage/schema.js';
import { type ThreadMemberRow, type ThreadRow, threadsRepo } from './threads.repo.js';

export const repliersOf = (row: ThreadRow): string[] => JSON.parse(row.repliers) as string[];

export function presentSummary(row: ThreadRow | undefined, names: ReadonlyMap<string, string>): ThreadSummary {
  if (!row) return { replyCount: 0, lastReplySeq: 0, lastReplyAt: null, repliers: [] };
  return {
    replyCount: Number(row.reply_count),
    lastReplySeq: Number(row.last_reply_seq),
    lastReplyAt: Number(row.reply_count) > 0 ? toIso(Number(row.last_reply_at)) : null,
    repliers: repliersOf(row).map((id) => ({ id, displayName: names.get(id) ?? '' })),
  };
}

/** The summaries of the roots among these messages that have replies, by root id. */
export async function threadSummariesByRoot(db: Kysely<Database>, messageIds: string[]): Promise<Map<string, ThreadSummary>> {
  const repo = threadsRepo(db);
  const rows = (await repo.findMany(messageIds)).filter((row) => Number(row.reply_count) > 0);
  if (rows.length === 0) return new Map();
  const names = new Map((await repo.userNames([...new Set(rows.flatMap(repliersOf))])).map((u) => [u.id, u.display_name]));
  return new Map(rows.map((row) => [row.root_id, presentSummary(row, names)]));
}

export function presentState(
  root: { id: string; chat_id: string },
  thread: ThreadRow | undefined,
  member: ThreadMemberRow | undefined,
  unreadCount: number,
): ThreadState {
  return {
    chatId: root.chat_id,
    rootId: root.id,
    following: member?.following === 1,
    lastReadSeq: Number(member?.last_read_seq ?? 0),
    lastReplySeq: Number(thread?.last_reply_seq ?? 0),
    unreadCount,
  };
}

/** One person's state of one thread, read now (inside a change's transaction when `db` is one). */
export async function threadStateOf(db: Kysely<Database>, userId: string, root: { id: string; chat_id: string }): Promise<ThreadState> {
  const repo = threadsRepo(db);
  const [thread, member] = await Promise.all([repo.find(root.id), repo.member(userId, root.id)]);
  const unread = thread ? await repo.unreadCount(root.id, userId, Number(member?.last_read_seq ?? 0)) : 0;
  return presentState(root, thread, member, unread);
}
