/** Database rows → API shapes. The only place a user row becomes JSON. */
import { isUiLanguage, type Me, type PublicUser } from '@parley/protocol';
import { toIso } from '../../clock.js';
import type { UserRow } from './users.repo.js';

export interface UserViewer {
  /** The viewer is the user or shares a chat with them (access/user-access.ts). */
  seesLastSeen: boolean;
}

export const presentUser = (row: UserRow, viewer: UserViewer): PublicUser => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
  statusText: row.status_text,
  bio: row.bio,
  deleted: row.deleted_at !== null,
  bot: row.bot_owner_id != null,
  createdAt: toIso(row.created_at),
  lastSeenAt: row.last_seen_at === null || !viewer.seesLastSeen ? null : toIso(row.last_seen_at),
  avatarId: row.avatar_id ?? null,
});

export const presentMe = (row: UserRow): Me => ({
  ...presentUser(row, { seesLastSeen: true }),
  email: row.email ?? '',
  language: isUiLanguage(row.language) ? row.language : null,
  emailVerified: row.email_verified_at !== null,
  role: row.server_role ?? 'user',
});
