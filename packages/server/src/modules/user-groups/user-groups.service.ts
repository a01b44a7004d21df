/**
 * User groups (E20). A group is a handle (like a username, and never one that a person
 * has), a name and its members. A message mentioning `@handle` mentions those members who
 * are in the chat (messages.service resolves it with `groupMembersInChat`), so they are
 * notified as for their own name. Groups are not secret: every signed-in person may list
 * them (to be offered when typing `@`).
 */
import type { CreateUserGroupBody, UpdateUserGroupBody, UserGroup, UserGroupList } from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../../access/actor.js';
import type { RateLimits } from '../../access/rate-limits.js';
import { assertCanManageGroup } from '../../access/user-group-access.js';
import { now, toIso } from '../../clock.js';
import { AppError, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import type { Database } from '../../storage/schema.js';
import { isUniqueViolation } from '../../storage/unique-violation.js';
import { type UserGroupRow, userGroupsRepo } from './user-groups.repo.js';

export type UserGroupsService = ReturnType<typeof createUserGroupsService>;

const handleTaken = (handle: string) =>
  new AppError('handle_taken', `@${handle} is taken`, { location: 'body', field: 'handle', rule: 'unique' });

export function createUserGroupsService(db: Kysely<Database>, limits: RateLimits) {
  const repo = userGroupsRepo(db);

  async function present(rows: UserGroupRow[]): Promise<UserGroup[]> {
    const members = await repo.membersOf(rows.map((r) => r.id));
    return rows.map((row) => ({
      id: row.id,
      handle: row.handle,
      name: row.name,
      creatorId: row.creator_id,
      memberIds: members.get(row.id) ?? [],
      createdAt: toIso(Number(row.created_at)),
    }));
  }

  async function assertPeopleExist(memberIds: string[]) {
    if ((await repo.countUsers(memberIds)) !== memberIds.length)
      throw new AppError('user_not_found', 'Some memberIds are not people here', { location: 'body', field: 'memberIds', rule: 'exists' });
  }

  async function manageable(actor: Actor, id: string): Promise<UserGroupRow> {
    const group = await repo.find(id);
    if (!group) throw notFound('user_group_not_found', 'User group');
    assertCanManageGroup(group, actor.userId, await repo.serverRoleOf(actor.userId));
    return group;
  }

  return {
    async list(_actor: Actor): Promise<UserGroupList> {
      return { items: await present(await repo.all()) };
    },

    async create(actor: Actor, body: CreateUserGroupBody): Promise<UserGroup> {
      const handle = body.handle.toLowerCase();
      if (handle === 'all' || (await repo.usernameExists(handle))) throw handleTaken(handle);
      await assertPeopleExist(body.memberIds);
      await limits.consume('action', actor.userId);
      const row: UserGroupRow = { id: newId(), handle, name: body.name, creator_id: actor.userId, created_at: now() };
      try {
        await db.transaction().execute((trx) => userGroupsRepo(trx).insert(row, body.memberIds));
      } catch (error) {
        if (isUniqueViolation(error, 'handle')) throw handleTaken(handle);
        throw error;
      }
      const [group] = await present([row]);
      return group as UserGroup;
    },

    async update(actor: Actor, id: string, body: UpdateUserGroupBody): Promise<UserGroup> {
      const group = await manageable(actor, id);
      if (body.memberIds) await assertPeopleExist(body.memberIds);
      await limits.consume('action', actor.userId);
      await db.transaction().execute(async (trx) => {
        const store = userGroupsRepo(trx);
        if (body.name !== undefined) await store.rename(group.id, body.name);
        if (body.memberIds) await store.setMembers(group.id, body.memberIds);
      });
      const [presented] = await present([{ ...group, name: body.name ?? group.name }]);
      return presented as UserGroup;
    },

    async remove(actor: Actor, id: string): Promise<void> {
      const group = await manageable(actor, id);
      await limits.consume('action', actor.userId);
      await repo.remove(group.id);
    },
  };
}
