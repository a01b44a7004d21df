/**
 * What one person may see of another. The profile is public to every signed-in user, but
 * when someone was last online is for the people they talk with: themself, and those who
 * share a chat with them (the same people who receive their presence events) — and of
 * those only whom their privacy settings and blocks allow (access/people-access.ts).
 */
import type { Kysely } from 'kysely';
import { usersRepo } from '../modules/users/users.repo.js';
import type { Database } from '../storage/schema.js';
import type { Actor } from './actor.js';
import { presenceVisibleTo } from './people-access.js';

/** Of `userIds`, those whose `lastSeenAt` the actor may see. */
export async function lastSeenVisibleTo(db: Kysely<Database>, actor: Actor, userIds: string[]): Promise<Set<string>> {
  const others = [...new Set(userIds)].filter((id) => id !== actor.userId);
  const [sharing, allowed] = await Promise.all([
    usersRepo(db).sharingAChatWith(actor.userId, others),
    presenceVisibleTo(db, actor.userId, others),
  ]);
  return new Set([actor.userId, ...sharing.filter((id) => allowed.has(id))].filter((id) => userIds.includes(id)));
}
