/**
 * The admin console's actions (A8, J6): people (suspend, delete, end sessions, server
 * role), rooms (archive, delete, owner, retention, removing messages and members),
 * server settings, invites, stats and the audit log. Each method asks access/server-access.ts
 * first and records what it did in the audit log.
 */
import { randomBytes } from 'node:crypto';
import type {
  AdminListQuery,
  AdminRoom,
  AdminRoomPage,
  AdminUser,
  AdminUserPage,
  AuditPage,
  AuditQuery,
  CreateInviteBody,
  Invite,
  InviteList,
  ServerRole,
  ServerSettings,
  ServerStats,
  UpdateAdminRoomBody,
  UpdateServerSettingsBody,
} from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../../access/actor.js';
import type { ChatRow } from '../../access/chat-access.js';
import {
  assertCanManageUser,
  assertCanModerateChat,
  assertCanSuspend,
  requireServerPermission,
  type ServerActor,
  type ServerPermission,
} from '../../access/server-access.js';
import { now } from '../../clock.js';
import { notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import { decodeCursor, encodeCursor } from '../../storage/cursor.js';
import type { Database } from '../../storage/schema.js';
import { presentAdminRoom, presentAdminUser, presentAudit, presentInvite } from './admin.present.js';
import { adminRepo } from './admin.repo.js';
import { hashCode } from './admission.js';
import { type AuditActor, type AuditRecord, recordAudit } from './audit-log.js';
import type { ServerSettingsStore } from './server-settings.js';

/** Where a console request came from, for the audit log. */
export interface RequestOrigin {
  ip: string;
}

/** What the admin service asks of other modules (wired in services.ts). */
export interface AdminDeps {
  accounts: {
    /** Ends every session of the user; their sockets close with 4003. */
    endSessions(userId: string): Promise<number>;
    /** Deletes the account as account deletion does (anonymised, chats handed over). */
    erase(userId: string): Promise<void>;
  };
  moderation: {
    removeMember(chat: ChatRow, userId: string, byId: string): Promise<void>;
    deleteChat(chat: ChatRow, byId: string): Promise<void>;
    /** Archives (a time) or reopens (null) a group or room, telling its members live. */
    setArchived(chat: ChatRow, archivedAt: number | null, byId: string): Promise<void>;
    transferOwnership(chat: ChatRow, toId: string, byId: string): Promise<void>;
    deleteMessage(chatId: string, messageId: string, byId: string): Promise<void>;
  };
  /** Bytes of the files directory, when files live on disk. */
  fileBytes?(): Promise<number>;
}

const STATS_DAYS = 30;
const DAY_MS = 86_400_000;

export type AdminService = ReturnType<typeof createAdminService>;

export function createAdminService(db: Kysely<Database>, settings: ServerSettingsStore, deps: AdminDeps) {
  const repo = adminRepo(db);

  const who = (actor: ServerActor, origin: RequestOrigin): AuditActor => ({
    userId: actor.userId,
    username: actor.username,
    ip: origin.ip,
  });
  const audit = (actor: ServerActor, origin: RequestOrigin, record: AuditRecord) => recordAudit(db, who(actor, origin), record);
  const allow = (actor: Actor, permission: ServerPermission) => requireServerPermission(db, actor, permission);

  async function requireUser(userId: string) {
    const row = await repo.user(userId);
    if (!row) throw notFound('user_not_found', 'User');
    return row;
  }

  async function requireLiveUser(userId: string) {
    const row = await requireUser(userId);
    if (row.deleted_at !== null) throw notFound('user_not_found', 'User');
    return row;
  }

  async function requireRoom(chatId: string) {
    const row = await repo.room(chatId);
    if (!row) throw notFound('chat_not_found', 'Chat');
    return row;
  }

  async function viewUser(userId: string): Promise<AdminUser> {
    return presentAdminUser(await requireUser(userId));
  }

  async function viewRoom(chatId: string): Promise<AdminRoom> {
    const row = await repo.roomView(chatId);
    if (!row) throw notFound('chat_not_found', 'Chat');
    return presentAdminRoom(row);
  }

  return {
    async listUsers(actor: Actor, query: AdminListQuery): Promise<AdminUserPage> {
      await allow(actor, 'users.read');
      const limit = query.limit ?? 20;
      const q = query.q?.trim().toLowerCase() || null;
      const after = query.cursor ? decodeCursor(query.cursor, 'u') : null;
      const rows = await repo.users(q, q?.includes('@') ? q : null, after, limit + 1);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return { items: page.map(presentAdminUser), nextCursor: rows.length > limit && last ? encodeCursor({ u: last.username }) : null };
    },

    async getUser(actor: Actor, userId: string): Promise<AdminUser> {
      await allow(actor, 'users.read');
      return viewUser(userId);
    },

    async suspend(actor: Actor, origin: RequestOrigin, userId: string, reason: string): Promise<AdminUser> {
      const admin = await allow(actor, 'users.suspend');
      const target = await requireLiveUser(userId);
      assertCanSuspend(admin, target);
      await repo.setSuspension(userId, now(), reason);
      const ended = await deps.accounts.endSessions(userId);
      await audit(admin, origin, {
        action: 'user.suspend',
        targetType: 'user',
        targetId: userId,
        details: { username: target.username, reason, sessionsEnded: ended },
      });
      return viewUser(userId);
    },

    async unsuspend(actor: Actor, origin: RequestOrigin, userId: string): Promise<AdminUser> {
      const admin = await allow(actor, 'users.suspend');
      const target = await requireLiveUser(userId);
      assertCanSuspend(admin, target);
      await repo.setSuspension(userId, null, null);
      await audit(admin, origin, {
        action: 'user.unsuspend',
        targetType: 'user',
        targetId: userId,
        details: { username: target.username },
      });
      return viewUser(userId);
    },

    async resetSessions(actor: Actor, origin: RequestOrigin, userId: string): Promise<AdminUser> {
      const admin = await allow(actor, 'users.manage');
      const target = await requireLiveUser(userId);
      const ended = await deps.accounts.endSessions(userId);
      await audit(admin, origin, {
        action: 'user.sessions_reset',
        targetType: 'user',
        targetId: userId,
        details: { username: target.username, sessionsEnded: ended },
      });
      return viewUser(userId);
    },

    async setRole(actor: Actor, origin: RequestOrigin, userId: string, role: ServerRole): Promise<AdminUser> {
      const admin = await allow(actor, 'users.manage');
      const target = await requireLiveUser(userId);
      assertCanManageUser(admin, target);
      const before = target.server_role ?? 'user';
      if (before !== role) {
        await repo.setServerRole(userId, role);
        await audit(admin, origin, {
          action: 'user.role',
          targetType: 'user',
          targetId: userId,
          details: { username: target.username, from: before, to: role },
        });
      }
      return viewUser(userId);
    },

    async deleteUser(actor: Actor, origin: RequestOrigin, userId: string): Promise<void> {
      const admin = await allow(actor, 'users.manage');
      const target = await requireLiveUser(userId);
      assertCanManageUser(admin, target);
      await deps.accounts.erase(userId);
      await audit(admin, origin, { action: 'user.delete', targetType: 'user', targetId: userId, details: { username: target.username } });
    },

    async listRooms(actor: Actor, query: AdminListQuery): Promise<AdminRoomPage> {
      await allow(actor, 'rooms.read');
      const limit = query.limit ?? 20;
      const q = query.q?.trim().toLowerCase() || null;
      const after = query.cursor ? (JSON.parse(decodeCursor(query.cursor, 'r')) as { name: string; id: string }) : null;
      const rows = await repo.rooms(q, after, limit + 1);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(presentAdminRoom),
        nextCursor: rows.length > limit && last ? encodeCursor({ r: JSON.stringify({ name: last.name_search, id: last.id }) }) : null,
      };
    },

    async updateRoom(actor: Actor, origin: RequestOrigin, chatId: string, body: UpdateAdminRoomBody): Promise<AdminRoom> {
      const admin = await allow(actor, 'rooms.manage');
      const room = await requireRoom(chatId);
      if (body.ownerId !== undefined && body.ownerId !== room.owner_id) {
        await requireLiveUser(body.ownerId);
        await deps.moderation.transferOwnership(room, body.ownerId, admin.userId);
        await audit(admin, origin, {
          action: 'room.owner',
          targetType: 'room',
          targetId: chatId,
          details: { name: room.name, from: room.owner_id, to: body.ownerId },
        });
      }
      if (body.archived !== undefined && body.archived !== (room.archived_at != null)) {
        await deps.moderation.setArchived(room, body.archived ? now() : null, admin.userId);
        await audit(admin, origin, {
          action: body.archived ? 'room.archive' : 'room.unarchive',
          targetType: 'room',
          targetId: chatId,
          details: { name: room.name },
        });
      }
      if (body.retentionDays !== undefined) {
        await repo.updateRoom(chatId, { retention_days: body.retentionDays });
        await audit(admin, origin, {
          action: 'room.retention',
          targetType: 'room',
          targetId: chatId,
          details: { name: room.name, retentionDays: body.retentionDays },
        });
      }
      return viewRoom(chatId);
    },

    async deleteRoom(actor: Actor, origin: RequestOrigin, chatId: string): Promise<void> {
      const admin = await allow(actor, 'rooms.manage');
      const room = await requireRoom(chatId);
      await deps.moderation.deleteChat(room, admin.userId);
      await audit(admin, origin, {
        action: 'room.delete',
        targetType: 'room',
        targetId: chatId,
        details: { name: room.name, kind: room.kind },
      });
    },

    async removeMessage(actor: Actor, origin: RequestOrigin, chatId: string, messageId: string): Promise<void> {
      const admin = await allow(actor, 'rooms.moderate');
      const room = await requireRoom(chatId);
      assertCanModerateChat(admin, room);
      await deps.moderation.deleteMessage(chatId, messageId, admin.userId);
      await audit(admin, origin, {
        action: 'message.remove',
        targetType: 'message',
        targetId: messageId,
        details: { chatId, room: room.name },
      });
    },

    async removeMember(actor: Actor, origin: RequestOrigin, chatId: string, userId: string): Promise<void> {
      const admin = await allow(actor, 'rooms.moderate');
      const room = await requireRoom(chatId);
      assertCanModerateChat(admin, room);
      await deps.moderation.removeMember(room, userId, admin.userId);
      await audit(admin, origin, {
        action: 'room.member_remove',
        targetType: 'room',
        targetId: chatId,
        details: { room: room.name, userId },
      });
    },

    async getSettings(actor: Actor): Promise<ServerSettings> {
      await allow(actor, 'settings.manage');
      return settings.get();
    },

    async updateSettings(actor: Actor, origin: RequestOrigin, body: UpdateServerSettingsBody): Promise<ServerSettings> {
      const admin = await allow(actor, 'settings.manage');
      const before = await settings.get();
      const after = await settings.update(body, now());
      // Only what changed: the console sends the whole form.
      const changed = Object.keys(body)
        .map((key) => key as keyof ServerSettings)
        .filter((key) => before[key] !== after[key])
        .map((key) => [key, { from: before[key], to: after[key] }]);
      if (changed.length > 0)
        await audit(admin, origin, { action: 'settings.update', targetType: 'settings', details: Object.fromEntries(changed) });
      return after;
    },

    async listInvites(actor: Actor): Promise<InviteList> {
      await allow(actor, 'settings.manage');
      return { items: (await repo.invites()).map((row) => presentInvite(row)) };
    },

    async createInvite(actor: Actor, origin: RequestOrigin, body: CreateInviteBody): Promise<Invite> {
      const admin = await allow(actor, 'settings.manage');
      const code = randomBytes(18).toString('base64url');
      const at = now();
      const row = {
        id: newId(),
        code_hash: hashCode(code),
        created_by: admin.userId,
        created_at: at,
        expires_at: body.expiresInHours ? at + body.expiresInHours * 3_600_000 : null,
        max_uses: body.maxUses ?? null,
        uses: 0,
        revoked_at: null,
      };
      await repo.insertInvite(row);
      await audit(admin, origin, {
        action: 'invite.create',
        targetType: 'invite',
        targetId: row.id,
        details: { maxUses: row.max_uses, expiresAt: row.expires_at },
      });
      return presentInvite(row, code);
    },

    async revokeInvite(actor: Actor, origin: RequestOrigin, inviteId: string): Promise<void> {
      const admin = await allow(actor, 'settings.manage');
      if ((await repo.revokeInvite(inviteId, now())) === 0) throw notFound('not_found', 'Invite');
      await audit(admin, origin, { action: 'invite.revoke', targetType: 'invite', targetId: inviteId });
    },

    async stats(actor: Actor): Promise<ServerStats> {
      await allow(actor, 'stats.read');
      return serverStats();
    },

    async audit(actor: Actor, query: AuditQuery): Promise<AuditPage> {
      await allow(actor, 'audit.read');
      const limit = query.limit ?? 50;
      const before = query.cursor ? (JSON.parse(decodeCursor(query.cursor, 'a')) as { at: number; id: string }) : null;
      const rows = await repo.audit(query.action ?? null, before, limit + 1);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(presentAudit),
        nextCursor: rows.length > limit && last ? encodeCursor({ a: JSON.stringify({ at: Number(last.at), id: last.id }) }) : null,
      };
    },
  };

  async function serverStats(): Promise<ServerStats> {
    const at = now();
    const [counts, databaseBytes, fileBytes] = await Promise.all([
      repo.stats(at, STATS_DAYS),
      repo.databaseBytes(),
      deps.fileBytes ? deps.fileBytes() : repo.fileBytes(),
    ]);
    const byDay = new Map(counts.perDay.map((d) => [d.day, d.count]));
    const firstDay = counts.from / DAY_MS;
    const messagesPerDay = Array.from({ length: STATS_DAYS }, (_, i) => ({
      day: new Date((firstDay + i) * DAY_MS).toISOString().slice(0, 10),
      count: byDay.get(firstDay + i) ?? 0,
    }));
    return {
      people: counts.total,
      activeToday: counts.active,
      suspended: counts.suspended,
      rooms: counts.rooms,
      messages: counts.messages,
      messagesPerDay,
      storage: { databaseBytes, fileBytes },
    };
  }
}
