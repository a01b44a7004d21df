/**
 * Polls (E16). Creating one appends a message (its text is the question, so previews and
 * search show it) and the poll in one transaction, and queues its closing when it has a
 * close time (`poll.close` job, which survives a restart). Each change of a person's
 * votes, and the closing, is one `poll.updated` event to the chat; a vote that changes
 * nothing emits nothing. Access first: a poll in a chat you are not in, or in a message
 * you may not see, answers 404.
 */
import type { CreatePollParams, Message, MessageRef, PollState, VoteParams } from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../../access/actor.js';
import { requireMember, requireVisibleMessage } from '../../access/chat-access.js';
import { assertCanClosePoll, assertCanCreatePoll, assertCanVote } from '../../access/poll-access.js';
import type { RateLimits } from '../../access/rate-limits.js';
import { now } from '../../clock.js';
import { AppError, notFound } from '../../errors.js';
import type { Transact, UnitOfWork } from '../../realtime/event-log.js';
import type { Database } from '../../storage/schema.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { appendMessage } from '../messages/append-message.js';
import { presentMessage } from '../messages/messages.present.js';
import { messagesRepo } from '../messages/messages.repo.js';
import { presentPoll } from './polls.present.js';
import { type PollRow, pollsRepo } from './polls.repo.js';

export type PollsService = ReturnType<typeof createPollsService>;

const CLOSE_JOB = 'poll.close';
const MIN_OPEN_MS = 1000;
const MAX_OPEN_MS = 366 * 24 * 3_600_000;
const closeKey = (messageId: string) => `${CLOSE_JOB}:${messageId}`;

export function createPollsService(
  db: Kysely<Database>,
  transact: Transact,
  limits: RateLimits,
  jobs: Pick<JobQueue, 'enqueue' | 'handle' | 'cancel'>,
) {
  const polls = pollsRepo(db);

  /** The poll after a change, presented inside the change's transaction, as its one event. */
  async function emitPoll(uow: UnitOfWork, row: PollRow) {
    const repo = pollsRepo(uow.db);
    const current = (await repo.find(row.message_id)) ?? row;
    const poll = presentPoll(current, await repo.votesOf([row.message_id]));
    await uow.emit({ name: 'poll.updated', chatId: row.chat_id, data: { chatId: row.chat_id, messageId: row.message_id, poll } });
    return poll;
  }

  async function stateOf(row: PollRow, userId: string): Promise<PollState> {
    const poll = presentPoll(row, await polls.votesOf([row.message_id]));
    return { chatId: row.chat_id, messageId: row.message_id, poll, myVotes: await polls.myVotes(row.message_id, userId) };
  }

  /** The poll of a message the actor may see; a deleted one is gone. */
  async function requirePoll(actor: Actor, ref: MessageRef) {
    const { message } = await requireVisibleMessage(db, actor, ref.chatId, ref.messageId);
    const poll = message.deleted_at === null ? await polls.find(message.id) : undefined;
    if (!poll) throw notFound('poll_not_found', 'Poll');
    return poll;
  }

  function closingTime(closesAt: string | undefined, at: number): number | null {
    if (closesAt === undefined) return null;
    const time = Date.parse(closesAt);
    if (time - at < MIN_OPEN_MS || time - at > MAX_OPEN_MS)
      throw new AppError('validation_failed', 'closesAt must be in the future and at most a year away', {
        location: 'body',
        field: 'closesAt',
        rule: 'range',
      });
    return time;
  }

  return {
    async create(actor: Actor, params: CreatePollParams): Promise<Message> {
      const access = await requireMember(db, actor, params.chatId);
      assertCanCreatePoll(access);
      const existing = await messagesRepo(db).findByClientId(actor.userId, params.clientId);
      if (existing && existing.chat_id === params.chatId && (await polls.find(existing.id))) return presentMessage(db, existing);
      if (existing) throw new AppError('client_id_conflict', 'This clientId was used for another message');
      const at = now();
      const closesAt = closingTime(params.closesAt, at);
      await limits.consume('send', actor.userId);
      return transact(async (uow) => {
        const { row, message } = await appendMessage(uow, {
          chatId: params.chatId,
          kind: 'text',
          senderId: actor.userId,
          clientId: params.clientId,
          text: params.question,
        });
        const poll: PollRow = {
          message_id: row.id,
          chat_id: params.chatId,
          creator_id: actor.userId,
          question: params.question,
          options: JSON.stringify(params.options),
          multiple: params.multiple ? 1 : 0,
          anonymous: params.anonymous ? 1 : 0,
          closes_at: closesAt,
          closed_at: null,
          created_at: at,
        };
        await pollsRepo(uow.db).insert(poll);
        if (closesAt !== null)
          await jobs.enqueue(CLOSE_JOB, { messageId: row.id }, { runAt: closesAt, uniqueKey: closeKey(row.id), db: uow.db });
        return { ...message, poll: await emitPoll(uow, poll) };
      });
    },

    async get(actor: Actor, ref: MessageRef): Promise<PollState> {
      return stateOf(await requirePoll(actor, ref), actor.userId);
    },

    /** Replaces the actor's choice with `options` ([] takes the vote back). */
    async vote(actor: Actor, params: VoteParams): Promise<PollState> {
      const poll = await requirePoll(actor, params);
      const at = now();
      assertCanVote(poll, params.options, at);
      await limits.consume('action', actor.userId);
      const choice = [...params.options].sort((a, b) => a - b);
      const current = await polls.myVotes(poll.message_id, actor.userId);
      if (current.join() === choice.join()) return stateOf(poll, actor.userId);
      await transact(async (uow) => {
        await pollsRepo(uow.db).replaceVotes(poll.message_id, actor.userId, choice, at);
        await emitPoll(uow, poll);
      });
      return stateOf(poll, actor.userId);
    },

    async close(actor: Actor, ref: MessageRef): Promise<PollState> {
      const poll = await requirePoll(actor, ref);
      assertCanClosePoll(poll, actor.userId);
      await limits.consume('action', actor.userId);
      await transact(async (uow) => {
        if (await pollsRepo(uow.db).close(poll.message_id, now())) await emitPoll(uow, poll);
      });
      await jobs.cancel(closeKey(poll.message_id));
      return stateOf((await polls.find(poll.message_id)) ?? poll, actor.userId);
    },

    /** The `poll.close` job: closes a poll at its close time (idempotent: a closed poll stays as it is). */
    registerJobs() {
      jobs.handle(CLOSE_JOB, async (payload) => {
        const { messageId } = payload as { messageId: string };
        const poll = await polls.find(messageId);
        if (!poll || poll.closed_at !== null) return;
        await transact(async (uow) => {
          if (await pollsRepo(uow.db).close(messageId, now())) await emitPoll(uow, poll);
        });
      });
    },
  };
}
