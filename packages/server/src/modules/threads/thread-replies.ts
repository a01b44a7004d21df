/**
 * Where threads join the messages module's send and delete (E15), inside their units of
 * work: checking a send's thread root, recording a reply on its root's summary and its
 * people's state, and taking a deleted reply off the summary. A send without a thread
 * calls none of this.
 */
import { THREAD_REPLIERS_SHOWN } from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../../access/actor.js';
import { canSeeMessage, type MessageRow } from '../../access/chat-access.js';
import { assertCanReplyInThread } from '../../access/thread-access.js';
import { AppError, notFound } from '../../errors.js';
import type { UnitOfWork } from '../../realtime/event-log.js';
import type { Database } from '../../storage/schema.js';
import { repliersOf, threadStateOf } from './threads.present.js';
import { threadsRepo } from './threads.repo.js';

/** The root a send replies under, checked; null for a send to the chat itself. */
export async function threadRootOfSend(
  db: Kysely<Database>,
  actor: Actor,
  send: { chatId: string; threadRootId?: string | undefined; alsoToChat?: boolean | undefined },
  privateTo: string | null,
): Promise<MessageRow | null> {
  if (!send.threadRootId) {
    if (send.alsoToChat)
      throw new AppError('validation_failed', 'alsoToChat is for a reply in a thread', {
        location: 'body',
        field: 'alsoToChat',
        rule: 'thread',
      });
    return null;
  }
  const repo = threadsRepo(db);
  const [root] = await repo.findMessages([send.threadRootId]);
  if (!root || root.chat_id !== send.chatId || !canSeeMessage(actor, root)) throw notFound('message_not_found', 'Thread root');
  const hasThread = root.deleted_at !== null && (await repo.find(root.id)) !== undefined;
  assertCanReplyInThread(root, { sender_id: actor.userId, private_to: privateTo }, hasThread);
  return root;
}

/** A person's thread state changed (followed): their devices hear it in their own stream. */
async function emitState(uow: UnitOfWork, userId: string, root: MessageRow) {
  await uow.emit({ name: 'thread.updated', userId, data: await threadStateOf(uow.db, userId, root) });
}

/**
 * A reply was appended: the root's summary counts it, its sender follows the thread and has
 * read it up to there, and the root's author follows from the first reply on (unless they
 * already chose). Someone whose following changes hears it; the reply itself reaches the
 * chat as its `message.created`.
 */
export async function recordThreadReply(uow: UnitOfWork, root: MessageRow, reply: MessageRow): Promise<void> {
  const repo = threadsRepo(uow.db);
  const senderId = reply.sender_id;
  if (!senderId) return;
  const at = Number(reply.created_at);
  const seq = Number(reply.seq);
  // The send holds the chat's row lock: replies to one thread are recorded one at a time.
  const current = await repo.find(root.id);
  const repliers = JSON.stringify(
    [senderId, ...(current ? repliersOf(current) : []).filter((id) => id !== senderId)].slice(0, THREAD_REPLIERS_SHOWN),
  );
  if (current)
    await repo.updateSummary(root.id, { reply_count: Number(current.reply_count) + 1, last_reply_seq: seq, last_reply_at: at, repliers });
  else
    await repo.insert({
      root_id: root.id,
      chat_id: root.chat_id,
      reply_count: 1,
      last_reply_seq: seq,
      last_reply_at: at,
      repliers,
      created_at: at,
    });

  const sender = await repo.member(senderId, root.id);
  await repo.saveMember({
    user_id: senderId,
    root_id: root.id,
    chat_id: root.chat_id,
    following: 1,
    last_read_seq: Math.max(seq, Number(sender?.last_read_seq ?? 0)),
    updated_at: at,
  });
  if (sender?.following !== 1) await emitState(uow, senderId, root);

  const authorId = root.sender_id;
  if (!authorId || authorId === senderId) return;
  if (await repo.member(authorId, root.id)) return;
  if (!(await repo.isChatMember(root.chat_id, authorId))) return;
  await repo.saveMember({ user_id: authorId, root_id: root.id, chat_id: root.chat_id, following: 1, last_read_seq: 0, updated_at: at });
  await emitState(uow, authorId, root);
}

/**
 * A reply was deleted (after its row was tombstoned in this unit): the summary counts what
 * is left. The newest reply's position stays: it only ever grows, so a client can tell a
 * state it already knows from a newer one by it.
 */
export async function recordThreadReplyDeleted(uow: UnitOfWork, reply: MessageRow): Promise<void> {
  if (!reply.thread_root_id) return;
  const repo = threadsRepo(uow.db);
  const current = await repo.find(reply.thread_root_id);
  if (!current) return;
  const left = await repo.remainingReplies(reply.thread_root_id, THREAD_REPLIERS_SHOWN);
  await repo.updateSummary(reply.thread_root_id, {
    reply_count: left.count,
    last_reply_seq: Number(current.last_reply_seq),
    last_reply_at: Number(current.last_reply_at),
    repliers: JSON.stringify(left.repliers),
  });
}
