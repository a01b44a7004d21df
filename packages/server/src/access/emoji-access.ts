/**
 * Custom emoji (E19): who may add, rename and delete them. Adding is for server admins, or
 * for everyone signed in when the server setting `customEmojiUploads` is `everyone`;
 * renaming and deleting stay with admins (an emoji is everybody's once added).
 */
import type { CustomEmojiUploads } from '@parley/protocol';
import type { Kysely } from 'kysely';
import { AppError } from '../errors.js';
import type { Database } from '../storage/schema.js';
import type { Actor } from './actor.js';
import { roleAllows, type ServerRole } from './server-access.js';

/** The actor's server role, from their row (a bot or a deleted account is a plain user). */
export async function serverRoleOf(db: Kysely<Database>, actor: Actor): Promise<ServerRole> {
  const row = await db.selectFrom('users').select(['server_role', 'deleted_at']).where('id', '=', actor.userId).executeTakeFirst();
  if (!row || row.deleted_at !== null || actor.bot) return 'user';
  return row.server_role;
}

export const mayAddEmoji = (role: ServerRole, uploads: CustomEmojiUploads) => uploads === 'everyone' || roleAllows(role, 'emoji.manage');
export const mayManageEmoji = (role: ServerRole) => roleAllows(role, 'emoji.manage');

export function assertCanAddEmoji(role: ServerRole, uploads: CustomEmojiUploads) {
  if (mayAddEmoji(role, uploads)) return;
  throw new AppError('forbidden', 'Only server admins may add custom emoji on this server');
}

export function assertCanManageEmoji(role: ServerRole) {
  if (mayManageEmoji(role)) return;
  throw new AppError('forbidden', 'Only server admins may rename or delete custom emoji');
}
