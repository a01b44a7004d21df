/** SQL for user groups (E20) and for resolving a group mention to the chat's members. */
import type { Kysely, Selectable } from 'kysely';
import type { UserGroupsTable } from '../../storage/conversations-schema.js';
import type { Database } from '../../storage/schema.js';

export type UserGroupRow = Selectable<UserGroupsTable>;

/** Members of the chat who belong to a group with one of these handles (lower-cased). */
export async function groupMembersInChat(db: Kysely<Database>, chatId: string, handles: string[]): Promise<string[]> {
  if (handles.length === 0) return [];
  const rows = await db
    .selectFrom('user_groups')
    .innerJoin('user_group_members', 'user_group_members.group_id', 'user_groups.id')
    .innerJoin('chat_members', (j) =>
      j.onRef('chat_members.user_id', '=', 'user_group_members.user_id').on('chat_members.chat_id', '=', chatId),
    )
    .select('user_group_members.user_id')
    .where('user_groups.handle', 'in', handles)
    .distinct()
    .execute();
  return rows.map((r) => r.user_id);
}

export function userGroupsRepo(db: Kysely<Database>) {
  return {
    all: () => db.selectFrom('user_groups').selectAll().orderBy('handle').execute(),
    find: (id: string) => db.selectFrom('user_groups').selectAll().where('id', '=', id).executeTakeFirst(),
    async membersOf(groupIds: string[]): Promise<Map<string, string[]>> {
      const byGroup = new Map<string, string[]>();
      if (groupIds.length === 0) return byGroup;
      const rows = await db
        .selectFrom('user_group_members')
        .select(['group_id', 'user_id'])
        .where('group_id', 'in', groupIds)
        .orderBy('user_id')
        .execute();
      for (const row of rows) byGroup.set(row.group_id, [...(byGroup.get(row.group_id) ?? []), row.user_id]);
      return byGroup;
    },
    /** How many of these ids are accounts (so a group holds people who exist). */
    async countUsers(userIds: string[]): Promise<number> {
      if (userIds.length === 0) return 0;
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('id', 'in', userIds)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    serverRoleOf: async (userId: string) =>
      (await db.selectFrom('users').select('server_role').where('id', '=', userId).executeTakeFirst())?.server_role,
    usernameExists: async (handle: string) =>
      (await db.selectFrom('users').select('id').where('username', '=', handle).executeTakeFirst()) !== undefined,
    async insert(row: UserGroupRow, memberIds: string[]): Promise<void> {
      await db.insertInto('user_groups').values(row).execute();
      await this.setMembers(row.id, memberIds);
    },
    async rename(id: string, name: string): Promise<void> {
      await db.updateTable('user_groups').set({ name }).where('id', '=', id).execute();
    },
    async setMembers(id: string, memberIds: string[]): Promise<void> {
      await db.deleteFrom('user_group_members').where('group_id', '=', id).execute();
      if (memberIds.length > 0)
        await db
          .insertInto('user_group_members')
          .values(memberIds.map((user_id) => ({ group_id: id, user_id })))
          .execute();
    },
    async remove(id: string): Promise<void> {
      await db.deleteFrom('user_groups').where('id', '=', id).execute();
    },
  };
}
