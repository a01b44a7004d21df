/**
 * Server roles (A8): what an admin, a moderator and a plain user may do on the server as
 * a whole. Every admin route asks here first. A user gets 403 on every admin route (the
 * console is no secret, the data behind it is); a moderator may look people and rooms up,
 * suspend plain users, and remove messages and members in public rooms; an admin may do
 * everything.
 */
import type { Kysely } from 'kysely';
import { AppError } from '../errors.js';
import type { Database } from '../storage/schema.js';
import type { Actor } from './actor.js';

export type ServerRole = 'admin' | 'moderator' | 'user';

export type ServerPermission =
  | 'users.read'
  | 'users.suspend'
  | 'users.manage'
  | 'rooms.read'
  | 'rooms.moderate'
  | 'rooms.manage'
  | 'settings.manage'
  | 'emoji.manage'
  | 'stats.read'
  | 'audit.read';

const MODERATOR_PERMISSIONS: ReadonlySet<ServerPermission> = new Set(['users.read', 'users.suspend', 'rooms.read', 'rooms.moderate']);

export function roleAllows(role: ServerRole, permission: ServerPermission): boolean {
  if (role === 'admin') return true;
  if (role === 'moderator') return MODERATOR_PERMISSIONS.has(permission);
  return false;
}

/** Who is acting on the server, with the name the audit log keeps. */
export interface ServerActor extends Actor {
  role: ServerRole;
  username: string;
}

const forbidden = (message: string) => new AppError('forbidden', message);

export async function requireServerPermission(db: Kysely<Database>, actor: Actor, permission: ServerPermission): Promise<ServerActor> {
  const row = await db
    .selectFrom('users')
    .select(['server_role', 'username', 'deleted_at', 'suspended_at'])
    .where('id', '=', actor.userId)
    .executeTakeFirst();
  const role = row?.server_role ?? 'user';
  if (!row || row.deleted_at !== null || row.suspended_at != null) throw forbidden('This account may not use the admin console');
  if (!roleAllows(role, permission)) throw forbidden(`Your server role (${role}) does not allow ${permission}`);
  return { ...actor, role, username: row.username };
}

/** Suspension: never yourself, and a moderator only plain users. */
export function assertCanSuspend(actor: ServerActor, target: { id: string; server_role?: ServerRole }) {
  if (target.id === actor.userId) throw forbidden('You cannot suspend yourself');
  if (actor.role === 'admin') return;
  if ((target.server_role ?? 'user') === 'user') return;
  throw forbidden('Only an admin may suspend an admin or a moderator');
}

/** Changing someone's server role or deleting them: an admin, and never on themself (the CLI can). */
export function assertCanManageUser(actor: ServerActor, target: { id: string }) {
  if (target.id === actor.userId) throw forbidden('Use another admin account (or the admin CLI) to change your own account');
}

/** Moderators act in public rooms only; admins in groups and rooms. Direct chats are nobody's to moderate. */
export function assertCanModerateChat(actor: ServerActor, chat: { kind: 'direct' | 'group' | 'room' }) {
  if (chat.kind === 'direct') throw forbidden('Direct chats are private to their two members');
  if (chat.kind === 'room') return;
  if (actor.role === 'admin') return;
  throw forbidden('Moderators act in public rooms only');
}
