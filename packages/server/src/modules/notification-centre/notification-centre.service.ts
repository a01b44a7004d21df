/**
 * The notification centre (issue 13): one list per person of what asked for their
 * attention — contact requests, group invitations, mentions; other features add kinds
 * (`add(userId, {kind, …})`). Read/unread and clearing sync to every device through the
 * person's own stream; each event carries the unread count, which is the badge. Nothing
 * is added from someone the person blocked.
 */
import type { CentreNotification, NotificationPage, NotificationQuery, NotificationsRef } from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../../access/actor.js';
import type { RateLimits } from '../../access/rate-limits.js';
import { now, toIso } from '../../clock.js';
import { AppError } from '../../errors.js';
import { newId } from '../../ids.js';
import type { Transact, UnitOfWork } from '../../realtime/event-log.js';
import { encodeCursor } from '../../storage/cursor.js';
import type { Database } from '../../storage/schema.js';
import { contactsRepo } from '../contacts/contacts.repo.js';
import { type NotificationRow, notificationCentreRepo } from './notification-centre.repo.js';

export interface NewNotification {
  /** `contact_request`, `contact_accepted`, `group_invite`, `mention`, or a kind another feature adds. */
  kind: string;
  /** Who caused it; nothing is added when the recipient blocked them. */
  actorId?: string | null;
  chatId?: string | null;
  messageId?: string | null;
  requestId?: string | null;
  data?: Record<string, unknown>;
}

export type NotificationCentre = ReturnType<typeof createNotificationCentre>;

/**
 * The most members an `@all` or `@here` puts a notification in front of: the fan-out is
 * written with the message, so in a chat bigger than this it is skipped (the message still
 * counts as a mention in everyone's chat list, and pushes as one).
 */
export const EVERYONE_MENTION_CENTRE_MAX = 500;

/** A message mentioning everyone (`@all`) or everyone online (`@here`). */
export interface EveryoneMention {
  everyone: 'all' | 'here';
  chatId: string;
  messageId: string;
  senderId: string | null;
  /** Already notified by name. */
  skipIds: readonly string[];
  data: Record<string, unknown>;
}

function decodeNotificationCursor(cursor: string): { at: number; id: string } {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { at?: unknown; id?: unknown };
    if (typeof parsed.at === 'number' && typeof parsed.id === 'string') return { at: parsed.at, id: parsed.id };
  } catch {
    // refused below
  }
  throw new AppError('validation_failed', 'cursor is not a cursor this server issued', {
    location: 'query',
    field: 'cursor',
    rule: 'cursor',
  });
}

export function createNotificationCentre(
  db: Kysely<Database>,
  transact: Transact,
  limits: RateLimits,
  /** Who is online now, for `@here` (realtime/presence.ts). */
  isOnline: (userId: string) => boolean = () => false,
) {
  /** `q`: the unit of work's connection when inside one (SQLite has one connection: the pool would wait for it). */
  async function present(q: Kysely<Database>, rows: NotificationRow[]): Promise<CentreNotification[]> {
    const actors = await notificationCentreRepo(q).actors([...new Set(rows.flatMap((r) => (r.actor_id ? [r.actor_id] : [])))]);
    return rows.map((row) => {
      const actor = actors.find((a) => a.id === row.actor_id);
      return {
        id: row.id,
        kind: row.kind,
        actor: actor ? { id: actor.id, username: actor.username, displayName: actor.display_name } : null,
        chatId: row.chat_id,
        messageId: row.message_id,
        requestId: row.request_id,
        data: JSON.parse(row.data) as Record<string, unknown>,
        read: row.read_at !== null,
        createdAt: toIso(row.created_at),
      };
    });
  }

  /** Adds inside the caller's unit of work, so the notification commits with what caused it. */
  async function addIn(uow: UnitOfWork, userId: string, notification: NewNotification): Promise<CentreNotification | null> {
    const actorId = notification.actorId ?? null;
    if (actorId === userId) return null;
    if (actorId && (await contactsRepo(uow.db).relationship(userId, actorId))?.blocked === 1) return null;
    const row: NotificationRow = {
      id: newId(),
      user_id: userId,
      kind: notification.kind,
      actor_id: actorId,
      chat_id: notification.chatId ?? null,
      message_id: notification.messageId ?? null,
      request_id: notification.requestId ?? null,
      data: JSON.stringify(notification.data ?? {}),
      read_at: null,
      created_at: now(),
    };
    const repo = notificationCentreRepo(uow.db);
    await repo.insert(row);
    const [presented] = await present(uow.db, [row]);
    if (!presented) return null;
    await uow.emit({
      name: 'notification.created',
      userId,
      data: { notification: presented, unreadCount: await repo.unreadCount(userId) },
    });
    return presented;
  }

  async function removeIn(uow: UnitOfWork, userId: string, ids: string[]): Promise<void> {
    const repo = notificationCentreRepo(uow.db);
    const removed = await repo.remove(userId, ids);
    if (removed.length)
      await uow.emit({ name: 'notification.removed', userId, data: { ids: removed, unreadCount: await repo.unreadCount(userId) } });
  }

  /** `@all` / `@here`: a mention in the centre of each member (online ones for `@here`), inside the message's unit of work. */
  async function addForEveryone(uow: UnitOfWork, mention: EveryoneMention): Promise<void> {
    const memberIds = await notificationCentreRepo(uow.db).chatMemberIds(mention.chatId, EVERYONE_MENTION_CENTRE_MAX + 1);
    if (memberIds.length > EVERYONE_MENTION_CENTRE_MAX) return;
    const skip = new Set(mention.skipIds);
    for (const userId of memberIds) {
      if (userId === mention.senderId || skip.has(userId)) continue;
      if (mention.everyone === 'here' && !isOnline(userId)) continue;
      await addIn(uow, userId, {
        kind: 'mention',
        actorId: mention.senderId,
        chatId: mention.chatId,
        messageId: mention.messageId,
        data: { ...mention.data, everyone: mention.everyone },
      });
    }
  }

  return {
    addIn,
    removeIn,
    addForEveryone,

    /** For other features: adds in a transaction of its own. Resolves with null when nothing was added (blocked actor). */
    add: (userId: string, notification: NewNotification) => transact((uow) => addIn(uow, userId, notification)),

    /** Removes the notifications of a contact request (it was cancelled or answered elsewhere). */
    async removeForRequest(uow: UnitOfWork, userId: string, requestId: string): Promise<void> {
      const ids = await notificationCentreRepo(uow.db).idsForRequest(userId, requestId);
      if (ids.length) await removeIn(uow, userId, ids);
    },

    async list(actor: Actor, query: NotificationQuery): Promise<NotificationPage> {
      const limit = query.limit ?? 20;
      const before = query.cursor ? decodeNotificationCursor(query.cursor) : null;
      const repo = notificationCentreRepo(db);
      const rows = await repo.page(actor.userId, before, limit + 1);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: await present(db, page),
        nextCursor: rows.length > limit && last ? encodeCursor({ at: Number(last.created_at), id: last.id }) : null,
        unreadCount: await repo.unreadCount(actor.userId),
      };
    },

    async markRead(actor: Actor, ref: NotificationsRef): Promise<{ unreadCount: number }> {
      await limits.consume('readTyping', actor.userId);
      return transact(async (uow) => {
        const repo = notificationCentreRepo(uow.db);
        const changed = await repo.markRead(actor.userId, ref.ids ?? null, now());
        const unreadCount = await repo.unreadCount(actor.userId);
        if (changed.length) await uow.emit({ name: 'notification.read', userId: actor.userId, data: { ids: changed, unreadCount } });
        return { unreadCount };
      });
    },

    async clear(actor: Actor, ref: NotificationsRef): Promise<{ unreadCount: number }> {
      await limits.consume('action', actor.userId);
      return transact(async (uow) => {
        const repo = notificationCentreRepo(uow.db);
        const removed = await repo.remove(actor.userId, ref.ids ?? null);
        const unreadCount = await repo.unreadCount(actor.userId);
        if (removed.length) await uow.emit({ name: 'notification.removed', userId: actor.userId, data: { ids: removed, unreadCount } });
        return { unreadCount };
      });
    },
  };
}
