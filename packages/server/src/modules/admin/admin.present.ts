/** Rows → the admin console's JSON. */
import type { AdminRoom, AdminUser, AuditEntry, Invite } from '@parley/protocol';
import type { ChatRow } from '../../access/chat-access.js';
import { toIso } from '../../clock.js';
import type { UserRow } from '../users/users.repo.js';
import type { AuditRow, InviteRow } from './admin.repo.js';

export const presentAdminUser = (row: UserRow & { session_count: number | string | bigint | null }): AdminUser => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
  email: row.email ?? '',
  role: row.server_role ?? 'user',
  bot: row.bot_owner_id != null,
  deleted: row.deleted_at !== null,
  suspended: row.suspended_at != null,
  suspendedAt: row.suspended_at == null ? null : toIso(Number(row.suspended_at)),
  suspendedReason: row.suspended_reason ?? null,
  createdAt: toIso(Number(row.created_at)),
  lastSeenAt: row.last_seen_at === null ? null : toIso(Number(row.last_seen_at)),
  sessions: Number(row.session_count ?? 0),
});

export const presentAdminRoom = (
  row: ChatRow & { owner_username?: string | null; message_count?: number | string | bigint | null },
): AdminRoom => ({
  id: row.id,
  kind: row.kind === 'room' ? 'room' : 'group',
  name: row.name,
  handle: row.handle,
  ownerId: row.owner_id,
  ownerUsername: row.owner_username ?? null,
  memberCount: Number(row.member_count),
  messageCount: Number(row.message_count ?? 0),
  archived: row.archived_at != null,
  retentionDays: row.retention_days ?? null,
  createdAt: toIso(Number(row.created_at)),
  lastActivityAt: toIso(Number(row.last_activity_at)),
});

export const presentAudit = (row: AuditRow): AuditEntry => ({
  id: row.id,
  at: toIso(Number(row.at)),
  actorId: row.actor_id,
  actorName: row.actor_name,
  action: row.action,
  targetType: row.target_type,
  targetId: row.target_id,
  details: JSON.parse(row.details) as Record<string, unknown>,
  ip: row.ip,
});

export const presentInvite = (row: InviteRow, code: string | null = null): Invite => ({
  id: row.id,
  code,
  createdBy: row.created_by,
  createdAt: toIso(Number(row.created_at)),
  expiresAt: row.expires_at === null ? null : toIso(Number(row.expires_at)),
  maxUses: row.max_uses,
  uses: Number(row.uses),
  revoked: row.revoked_at !== null,
});
