/**
 * Scheduled send and reminders (E17). Each row is queued with a job in the same
 * transaction (`scheduled.send` at `sendAt`, `reminder.due` at `remindAt`), so it exists
 * exactly when the row does and survives a restart. A job names the time it was queued
 * for; after an edit moves the time, the old job finds a different time and does nothing.
 *
 * The send goes through the messages service as if its author sent it then — membership,
 * posting rights, blocks, rate budget — with the client id `scheduled-<id>`, so a job that
 * runs twice sends once. If the author may no longer post there, the row stays as `failed`
 * with the error's code. A due reminder lands in the owner's notification centre (kind
 * `reminder`), which tells their devices. Rows are the owner's alone: anyone else's id
 * answers 404.
 */
import type {
  Reminder,
  ReminderList,
  RemindParams,
  ScheduledList,
  ScheduledMessage,
  ScheduleParams,
  UpdateScheduledParams,
} from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../../access/actor.js';
import { assertCanPost, requireMember, requireVisibleMessage } from '../../access/chat-access.js';
import type { RateLimits } from '../../access/rate-limits.js';
import { now, toIso } from '../../clock.js';
import { AppError, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import type { Transact, UnitOfWork } from '../../realtime/event-log.js';
import type { Database } from '../../storage/schema.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { MessagesService } from '../messages/messages.service.js';
import type { NotificationCentre } from '../notification-centre/notification-centre.service.js';
import { type ReminderRow, type ScheduledRow, scheduledRepo } from './scheduled.repo.js';

export type ScheduledService = ReturnType<typeof createScheduledService>;

const SEND_JOB = 'scheduled.send';
const REMIND_JOB = 'reminder.due';
const MIN_AHEAD_MS = 1000;
const MAX_AHEAD_MS = 366 * 24 * 3_600_000;

const presentScheduled = (row: ScheduledRow): ScheduledMessage => ({
  id: row.id,
  chatId: row.chat_id,
  text: row.text,
  sendAt: toIso(Number(row.send_at)),
  createdAt: toIso(Number(row.created_at)),
  status: row.status,
  error: row.error,
});

const presentReminder = (row: ReminderRow): Reminder => ({
  id: row.id,
  chatId: row.chat_id,
  messageId: row.message_id,
  remindAt: toIso(Number(row.remind_at)),
  createdAt: toIso(Number(row.created_at)),
});

/** A time in the future (a few seconds at least) and at most a year away. */
function futureTime(value: string, field: string, at: number): number {
  const time = Date.parse(value);
  if (time - at >= MIN_AHEAD_MS && time - at <= MAX_AHEAD_MS) return time;
  throw new AppError('validation_failed', `${field} must be in the future (a second at least) and at most a year away`, {
    location: 'body',
    field,
    rule: 'range',
  });
}

export function createScheduledService(
  db: Kysely<Database>,
  transact: Transact,
  limits: RateLimits,
  jobs: Pick<JobQueue, 'enqueue' | 'handle' | 'cancel'>,
  messages: Pick<MessagesService, 'send'>,
  centre: Pick<NotificationCentre, 'addIn'>,
) {
  const repo = scheduledRepo(db);

  const emitScheduled = (uow: UnitOfWork, userId: string, id: string, row: ScheduledRow | null) =>
    uow.emit({ name: 'scheduled.updated', userId, data: { id, scheduled: row && presentScheduled(row) } });
  const emitReminder = (uow: UnitOfWork, userId: string, id: string, row: ReminderRow | null) =>
    uow.emit({ name: 'reminder.updated', userId, data: { id, reminder: row && presentReminder(row) } });
  const queueSend = (uow: UnitOfWork, row: ScheduledRow) =>
    jobs.enqueue(
      SEND_JOB,
      { id: row.id, sendAt: row.send_at },
      { runAt: row.send_at, uniqueKey: `${SEND_JOB}:${row.id}:${row.send_at}`, db: uow.db },
    );

  async function ownScheduled(actor: Actor, id: string): Promise<ScheduledRow> {
    const row = await repo.findScheduled(id);
    if (!row || row.user_id !== actor.userId) throw notFound('scheduled_not_found', 'Scheduled message');
    return row;
  }

  async function sendDue(payload: { id: string; sendAt: number }) {
    const row = await repo.findScheduled(payload.id);
    // Cancelled, already sent, failed, or moved to another time (that time has its own job).
    if (row?.status !== 'pending' || Number(row.send_at) !== payload.sendAt) return;
    const author: Actor = { userId: row.user_id, sessionId: `scheduled:${row.id}` };
    try {
      await messages.send(author, { chatId: row.chat_id, clientId: `scheduled-${row.id}`, text: row.text });
    } catch (error) {
      // A refusal (left the chat, blocked, read-only) will not change by retrying; anything else is retried.
      if (!(error instanceof AppError) || error.code === 'rate_limited') throw error;
      await transact(async (uow) => {
        const failed: ScheduledRow = { ...row, status: 'failed', error: error.code };
        await scheduledRepo(uow.db).updateScheduled(row.id, { status: 'failed', error: error.code });
        await emitScheduled(uow, row.user_id, row.id, failed);
      });
      return;
    }
    await transact(async (uow) => {
      if (await scheduledRepo(uow.db).removeScheduled(row.id)) await emitScheduled(uow, row.user_id, row.id, null);
    });
  }

  async function remindDue(payload: { id: string }) {
    await transact(async (uow) => {
      const store = scheduledRepo(uow.db);
      const row = await store.findReminder(payload.id);
      if (!row) return;
      await store.removeReminder(row.id);
      const message = await store.messageExcerpt(row.message_id);
      await centre.addIn(uow, row.user_id, {
        kind: 'reminder',
        chatId: row.chat_id,
        messageId: row.message_id,
        data: { excerpt: message && message.deleted_at === null ? message.text.slice(0, 200) : '', seq: Number(message?.seq ?? 0) },
      });
      await emitReminder(uow, row.user_id, row.id, null);
    });
  }

  return {
    async schedule(actor: Actor, params: ScheduleParams): Promise<ScheduledMessage> {
      assertCanPost(await requireMember(db, actor, params.chatId));
      const at = now();
      const sendAt = futureTime(params.sendAt, 'sendAt', at);
      await limits.consume('action', actor.userId);
      const row: ScheduledRow = {
        id: newId(),
        user_id: actor.userId,
        chat_id: params.chatId,
        text: params.text,
        send_at: sendAt,
        status: 'pending',
        error: null,
        created_at: at,
      };
      await transact(async (uow) => {
        await scheduledRepo(uow.db).insertScheduled(row);
        await queueSend(uow, row);
        await emitScheduled(uow, actor.userId, row.id, row);
      });
      return presentScheduled(row);
    },

    async list(actor: Actor): Promise<ScheduledList> {
      return { items: (await repo.scheduledOf(actor.userId)).map(presentScheduled) };
    },

    /** New text and/or time; a failed one given a new time is pending again. */
    async update(actor: Actor, params: UpdateScheduledParams): Promise<ScheduledMessage> {
      const row = await ownScheduled(actor, params.scheduledId);
      const sendAt = params.sendAt === undefined ? Number(row.send_at) : futureTime(params.sendAt, 'sendAt', now());
      await limits.consume('action', actor.userId);
      const moved = sendAt !== Number(row.send_at) || row.status === 'failed';
      const next: ScheduledRow = {
        ...row,
        text: params.text ?? row.text,
        send_at: sendAt,
        ...(moved && { status: 'pending', error: null }),
      };
      await transact(async (uow) => {
        await scheduledRepo(uow.db).updateScheduled(row.id, {
          text: next.text,
          send_at: next.send_at,
          status: next.status,
          error: next.error,
        });
        if (moved) await queueSend(uow, next);
        await emitScheduled(uow, actor.userId, row.id, next);
      });
      if (moved) await jobs.cancel(`${SEND_JOB}:${row.id}:${row.send_at}`);
      return presentScheduled(next);
    },

    async cancel(actor: Actor, params: { scheduledId: string }): Promise<void> {
      const row = await ownScheduled(actor, params.scheduledId);
      await limits.consume('action', actor.userId);
      await transact(async (uow) => {
        if (await scheduledRepo(uow.db).removeScheduled(row.id)) await emitScheduled(uow, actor.userId, row.id, null);
      });
      await jobs.cancel(`${SEND_JOB}:${row.id}:${row.send_at}`);
    },

    async remind(actor: Actor, params: RemindParams): Promise<Reminder> {
      await requireVisibleMessage(db, actor, params.chatId, params.messageId);
      const at = now();
      const remindAt = futureTime(params.remindAt, 'remindAt', at);
      await limits.consume('action', actor.userId);
      const row: ReminderRow = {
        id: newId(),
        user_id: actor.userId,
        chat_id: params.chatId,
        message_id: params.messageId,
        remind_at: remindAt,
        created_at: at,
      };
      await transact(async (uow) => {
        await scheduledRepo(uow.db).insertReminder(row);
        await jobs.enqueue(REMIND_JOB, { id: row.id }, { runAt: remindAt, uniqueKey: `${REMIND_JOB}:${row.id}`, db: uow.db });
        await emitReminder(uow, actor.userId, row.id, row);
      });
      return presentReminder(row);
    },

    async reminders(actor: Actor): Promise<ReminderList> {
      return { items: (await repo.remindersOf(actor.userId)).map(presentReminder) };
    },

    async cancelReminder(actor: Actor, params: { reminderId: string }): Promise<void> {
      const row = await repo.findReminder(params.reminderId);
      if (!row || row.user_id !== actor.userId) throw notFound('reminder_not_found', 'Reminder');
      await limits.consume('action', actor.userId);
      await transact(async (uow) => {
        if (await scheduledRepo(uow.db).removeReminder(row.id)) await emitReminder(uow, actor.userId, row.id, null);
      });
      await jobs.cancel(`${REMIND_JOB}:${row.id}`);
    },

    registerJobs() {
      jobs.handle(SEND_JOB, (payload) => sendDue(payload as { id: string; sendAt: number }));
      jobs.handle(REMIND_JOB, (payload) => remindDue(payload as { id: string }));
    },
  };
}
