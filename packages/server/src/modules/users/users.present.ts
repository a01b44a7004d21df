/** Database rows → API shapes. The only place a user row becomes JSON. */
import type { Me, PublicUser } from '@parley/protocol';
import { toIso } from '../../clock.js';
import type { UserRow } from './users.repo.js';

export const presentUser = (row: UserRow): PublicUser => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
  statusText: row.status_text,
  bio: row.bio,
  deleted: row.deleted_at !== null,
  createdAt: toIso(row.created_at),
  lastSeenAt: row.last_seen_at === null ? null : toIso(row.last_seen_at),
});

export const presentMe = (row: UserRow): Me => ({ ...presentUser(row), email: row.email ?? '' });
