/** Profiles: read anyone's public profile, search people, edit your own profile. */
import { type Me, type PublicUser, type SearchUsersQuery, type UpdateMeBody, USERNAME_PATTERN, type UserPage } from '@parley/protocol';
import type { Actor } from '../../access/actor.js';
import { emailFindable, profileAudience } from '../../access/people-access.js';
import type { RateLimits } from '../../access/rate-limits.js';
import { lastSeenVisibleTo } from '../../access/user-access.js';
import { now } from '../../clock.js';
import { AppError, notFound } from '../../errors.js';
import type { EphemeralEvent } from '../../realtime/bus.js';
import type { Transact } from '../../realtime/event-log.js';
import { decodeCursor, encodeCursor } from '../../storage/cursor.js';
import type { Storage } from '../../storage/database.js';
import { presentMe, presentUser } from './users.present.js';
import { usersRepo } from './users.repo.js';

export type UsersService = ReturnType<typeof createUsersService>;

const USERNAME_RULE = new RegExp(USERNAME_PATTERN);

export function createUsersService(
  storage: Storage,
  transact: Transact,
  limits: RateLimits,
  publishEphemeral: (event: EphemeralEvent) => void = () => undefined,
) {
  const users = usersRepo(storage.db);

  const requireLiveUser = async (id: string) => {
    const row = await users.findById(id);
    if (!row || row.deleted_at !== null) throw notFound('user_not_found', 'User');
    return row;
  };

  return {
    async getMe(actor: Actor): Promise<Me> {
      return presentMe(await requireLiveUser(actor.userId));
    },

    /** Deleted accounts stay visible as anonymised profiles, so old messages keep an author. */
    async getUser(actor: Actor, id: string): Promise<PublicUser> {
      await requireLiveUser(actor.userId);
      const row = await users.findById(id);
      if (!row) throw notFound('user_not_found', 'User');
      const seen = await lastSeenVisibleTo(storage.db, actor, [row.id]);
      return presentUser(row, { seesLastSeen: seen.has(row.id) });
    },

    async search(actor: Actor, query: SearchUsersQuery): Promise<UserPage> {
      await requireLiveUser(actor.userId);
      const limit = query.limit ?? 20;
      const prefix = query.q.trim().toLowerCase();
      if (prefix.length === 0)
        throw new AppError('validation_failed', 'q must not be blank', { location: 'query', field: 'q', rule: 'minLength' });
      const after = query.cursor ? decodeCursor(query.cursor, 'username') : null;
      // An email finds only someone who does not hide it (privacy settings); then only the username and name do.
      const email = prefix.includes('@') && (await emailFindable(storage.db, prefix)) ? prefix : null;
      const rows = await users.search(prefix.replace(/^@/, ''), email, after, limit + 1);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      const seen = await lastSeenVisibleTo(
        storage.db,
        actor,
        page.map((u) => u.id),
      );
      return {
        items: page.map((row) => presentUser(row, { seesLastSeen: seen.has(row.id) })),
        nextCursor: rows.length > limit && last ? encodeCursor({ username: last.username }) : null,
      };
    },

    /** Free and allowed by the sign-up rules (3–32 of `a-z 0-9 _ .`, ignoring case). */
    async isUsernameAvailable(username: string): Promise<boolean> {
      const name = username.toLowerCase();
      if (!USERNAME_RULE.test(name)) return false;
      return !(await users.findByUsername(name));
    },

    async updateMe(actor: Actor, changes: UpdateMeBody): Promise<Me> {
      const row = await requireLiveUser(actor.userId);
      const displayName = changes.displayName?.trim();
      if (displayName !== undefined && displayName.length === 0) {
        throw new AppError('validation_failed', 'displayName must not be blank', {
          location: 'body',
          field: 'displayName',
          rule: 'minLength',
        });
      }
      await limits.consume('action', actor.userId);
      const next = {
        ...(displayName !== undefined && { display_name: displayName, display_name_search: displayName.toLowerCase() }),
        ...(changes.statusText !== undefined && { status_text: changes.statusText.trim() }),
        ...(changes.bio !== undefined && { bio: changes.bio }),
        ...(changes.language !== undefined && { language: changes.language }),
        updated_at: now(),
      };
      const updated = { ...row, ...next };
      await transact(async (uow) => {
        await usersRepo(uow.db).update(row.id, next);
        // The user's own devices hear it from their stream…
        await uow.emit({ name: 'user.updated', userId: row.id, data: { user: presentUser(updated, { seesLastSeen: true }) } });
      });
      // …and the people who see them (shared chats, contacts) live, without last seen.
      publishEphemeral({
        kind: 'ephemeral',
        name: 'user.updated',
        chatId: null,
        userIds: await profileAudience(storage.db, row.id),
        exceptUserId: row.id,
        data: { user: presentUser(updated, { seesLastSeen: false }) },
      });
      return presentMe(updated);
    },
  };
}
