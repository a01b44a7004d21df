/**
 * Threads (E15): a thread with its root, its replies page by page, the Threads view (the
 * threads you follow, with unread counts), reading a thread and following it. Replying is
 * a send (`messages.send` with `threadRootId`, see thread-replies.ts). Each method checks
 * access first — a root in a chat you are not in, or a message you may not see, answers
 * 404 — and every change of a person's thread state is one `thread.updated` event in their
 * own stream, so their other devices follow it live.
 */
import type {
  FollowThreadParams,
  MarkThreadReadParams,
  MessagePage,
  Thread,
  ThreadList,
  ThreadListQuery,
  ThreadRef,
  ThreadRepliesParams,
  ThreadState,
} from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../../access/actor.js';
import { type MessageRow, requireVisibleMessage } from '../../access/chat-access.js';
import type { RateLimits } from '../../access/rate-limits.js';
import { assertCanBeThreadRoot } from '../../access/thread-access.js';
import { now } from '../../clock.js';
import type { Transact } from '../../realtime/event-log.js';
import { decodeCursor, encodeCursor } from '../../storage/cursor.js';
import type { Database } from '../../storage/schema.js';
import { presentMessages } from '../messages/messages.present.js';
import { presentState, presentSummary, repliersOf, threadStateOf } from './threads.present.js';
import { type ThreadMemberRow, threadsRepo } from './threads.repo.js';

export type ThreadsService = ReturnType<typeof createThreadsService>;

export function createThreadsService(db: Kysely<Database>, transact: Transact, limits: RateLimits) {
  const threads = threadsRepo(db);

  /** The root of a thread: a message the actor may see that can have one. */
  async function requireRoot(actor: Actor, ref: ThreadRef): Promise<MessageRow> {
    const { message } = await requireVisibleMessage(db, actor, ref.chatId, ref.rootId);
    assertCanBeThreadRoot(message, 'rootId');
    return message;
  }

  /** Roots with their summaries and the viewer's state, in the order of `rootIds`. */
  async function presentThreads(viewerId: string, rootIds: string[]): Promise<Thread[]> {
    const [roots, rows, members, unread] = await Promise.all([
      threads.findMessages(rootIds),
      threads.findMany(rootIds),
      threads.membersOf(viewerId, rootIds),
      threads.unreadCounts(viewerId, rootIds),
    ]);
    const names = new Map((await threads.userNames([...new Set(rows.flatMap(repliersOf))])).map((u) => [u.id, u.display_name]));
    const presented = new Map((await presentMessages(db, roots)).map((m) => [m.id, m]));
    const rowBy = new Map(rows.map((r) => [r.root_id, r]));
    const memberBy = new Map(members.map((m) => [m.root_id, m]));
    return rootIds.flatMap((id) => {
      const root = roots.find((r) => r.id === id);
      const message = presented.get(id);
      if (!root || !message) return [];
      const row = rowBy.get(id);
      const state = presentState(root, row, memberBy.get(id), unread.get(id) ?? 0);
      return [{ root: message, summary: presentSummary(row, names), state }];
    });
  }

  /** Writes the actor's state of a thread and tells their devices, when it changed. */
  async function saveState(actor: Actor, root: MessageRow, next: Pick<ThreadMemberRow, 'following' | 'last_read_seq'>) {
    await transact(async (uow) => {
      await threadsRepo(uow.db).saveMember({ user_id: actor.userId, root_id: root.id, chat_id: root.chat_id, ...next, updated_at: now() });
      await uow.emit({ name: 'thread.updated', userId: actor.userId, data: await threadStateOf(uow.db, actor.userId, root) });
    });
  }

  return {
    /** The Threads view: threads you take part in or follow, in chats you are in, newest reply first, with unread counts. */
    async list(actor: Actor, query: ThreadListQuery): Promise<ThreadList> {
      const limit = query.limit ?? 20;
      const after = query.cursor ? { at: Number(decodeCursor(query.cursor, 'at')), rootId: decodeCursor(query.cursor, 'rootId') } : null;
      const [rows, unreadThreads] = await Promise.all([
        threads.followed(actor.userId, after, limit + 1),
        threads.unreadThreads(actor.userId),
      ]);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: await presentThreads(
          actor.userId,
          page.map((r) => r.root_id),
        ),
        nextCursor: rows.length > limit && last ? encodeCursor({ at: Number(last.last_reply_at), rootId: last.root_id }) : null,
        unreadThreads,
      };
    },

    async get(actor: Actor, ref: ThreadRef): Promise<Thread> {
      const root = await requireRoot(actor, ref);
      const [thread] = await presentThreads(actor.userId, [root.id]);
      if (!thread) throw new Error(`thread ${root.id} vanished while presented`);
      return thread;
    },

    /** Replies oldest first: the newest page, or those before / after a seq. */
    async replies(actor: Actor, params: ThreadRepliesParams): Promise<MessagePage> {
      const root = await requireRoot(actor, params);
      const limit = params.limit ?? 50;
      if (params.after !== undefined) {
        const newer = await threads.newerReplies(root.id, actor.userId, params.after, limit + 1);
        return { items: await presentMessages(db, newer.slice(0, limit)), hasOlder: params.after > 0, hasNewer: newer.length > limit };
      }
      const older = await threads.olderReplies(root.id, actor.userId, params.before ?? null, limit + 1);
      return {
        items: await presentMessages(db, older.slice(0, limit).reverse()),
        hasOlder: older.length > limit,
        hasNewer: params.before !== undefined,
      };
    },

    /** Moves the actor's read position in the thread forward (never back, never past its newest reply). */
    async markRead(actor: Actor, params: MarkThreadReadParams): Promise<ThreadState> {
      const root = await requireRoot(actor, params);
      await limits.consume('readTyping', actor.userId);
      const [thread, member] = await Promise.all([threads.find(root.id), threads.member(actor.userId, root.id)]);
      const target = Math.min(params.seq, Number(thread?.last_reply_seq ?? 0));
      if (target <= Number(member?.last_read_seq ?? 0)) return threadStateOf(db, actor.userId, root);
      // Reading a thread does not follow it.
      await saveState(actor, root, { following: member?.following ?? 0, last_read_seq: target });
      return threadStateOf(db, actor.userId, root);
    },

    /** Follow (its replies count in your Threads view) or unfollow; a change to what it was emits nothing. */
    async follow(actor: Actor, params: FollowThreadParams): Promise<ThreadState> {
      const root = await requireRoot(actor, params);
      await limits.consume('action', actor.userId);
      const member = await threads.member(actor.userId, root.id);
      const following = params.following ? 1 : 0;
      if ((member?.following ?? 0) === following) return threadStateOf(db, actor.userId, root);
      await saveState(actor, root, { following, last_read_seq: Number(member?.last_read_seq ?? 0) });
      return threadStateOf(db, actor.userId, root);
    },
  };
}
