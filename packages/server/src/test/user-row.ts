/** A users row for tests that set up accounts straight in the database (no sign-up, no password). */
import { randomBytes } from 'node:crypto';
import { newId } from '../ids.js';
import type { UserRow } from '../modules/users/users.repo.js';

/** A realistic millisecond timestamp past 2^32, so a bigint column that truncated would show it. */
export const FIXTURE_AT = 1_767_225_600_123;

export function userRow(overrides: Partial<UserRow> = {}): UserRow {
  const tag = randomBytes(5).toString('hex');
  return {
    id: newId(),
    username: `u_${tag}`,
    email: `${tag}@example.org`,
    display_name: `User ${tag}`,
    display_name_search: `user ${tag}`,
    status_text: '',
    bio: '',
    password_hash: null,
    created_at: FIXTURE_AT,
    updated_at: FIXTURE_AT,
    deleted_at: null,
    last_seen_at: null,
    language: null,
    email_verified_at: null,
    event_seq: 0,
    server_role: 'user',
    suspended_at: null,
    suspended_reason: null,
    bot_owner_id: null,
    avatar_id: null,
    ...overrides,
  };
}
