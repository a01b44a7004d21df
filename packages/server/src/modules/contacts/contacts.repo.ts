/** SQL for people: contact requests, relationships (contact, alias, star, block), privacy settings. */
import type { Kysely, Selectable } from 'kysely';
import type { ContactRequestsTable, PrivacySettingsTable, RelationshipsTable } from '../../storage/people-schema.js';
import { precompile } from '../../storage/precompiled.js';
import type { Database } from '../../storage/schema.js';

export type ContactRequestRow = Selectable<ContactRequestsTable>;
export type RelationshipRow = Selectable<RelationshipsTable>;
export type PrivacyRow = Selectable<PrivacySettingsTable>;

const selectBlock = precompile(2, (db, ownerId: string, otherId: string) =>
  db
    .selectFrom('relationships')
    .select('owner_id')
    .where('owner_id', '=', ownerId)
    .where('other_id', '=', otherId)
    .where('blocked', '=', 1),
);

export const DEFAULT_PRIVACY: Omit<PrivacyRow, 'user_id' | 'updated_at'> = {
  hide_email: 0,
  direct_messages: 'everyone',
  group_invites: 'everyone',
  last_seen: 'everyone',
};

export const contactsRepo = (db: Kysely<Database>) => ({
  // ---- requests ----
  insertRequest: (row: ContactRequestRow) => db.insertInto('contact_requests').values(row).execute(),

  findRequest: (id: string) => db.selectFrom('contact_requests').selectAll().where('id', '=', id).executeTakeFirst(),

  /** The newest request from `fromId` to `toId` that is pending or declined (what the pair's state shows). */
  latestRequest: (fromId: string, toId: string) =>
    db
      .selectFrom('contact_requests')
      .selectAll()
      .where('from_id', '=', fromId)
      .where('to_id', '=', toId)
      .where('status', 'in', ['pending', 'declined'])
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst(),

  setRequestStatus: (id: string, status: ContactRequestRow['status'], at: number) =>
    db.updateTable('contact_requests').set({ status, updated_at: at }).where('id', '=', id).execute(),

  /**
   * Requests the user sent (pending, declined or cancelled: the newest tells the state) or
   * received, not silenced and still pending: the pair states of the list.
   */
  requestsOf: (userId: string) =>
    db
      .selectFrom('contact_requests')
      .selectAll()
      .where('status', '!=', 'accepted')
      .where((eb) =>
        eb.or([eb('from_id', '=', userId), eb.and([eb('to_id', '=', userId), eb('silenced', '=', 0), eb('status', '=', 'pending')])]),
      )
      .orderBy('created_at')
      .execute(),

  /** Requests waiting for the user's answer, leaving out senders the user blocked. */
  pendingCount: async (userId: string) => {
    const row = await db
      .selectFrom('contact_requests')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('to_id', '=', userId)
      .where('status', '=', 'pending')
      .where('silenced', '=', 0)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('relationships')
              .select('owner_id')
              .where('owner_id', '=', userId)
              .whereRef('other_id', '=', 'contact_requests.from_id')
              .where('blocked', '=', 1),
          ),
        ),
      )
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  },

  // ---- relationships ----
  relationship: (ownerId: string, otherId: string) =>
    db.selectFrom('relationships').selectAll().where('owner_id', '=', ownerId).where('other_id', '=', otherId).executeTakeFirst(),

  /** Whether `ownerId` blocked `otherId`: asked by every direct message, so precompiled. */
  blocks: async (ownerId: string, otherId: string) => (await selectBlock.execute(db, ownerId, otherId)).length > 0,

  /** Rows between `userId` and each of `others`, in both directions. */
  relationshipsBetween: (userId: string, others: string[]) =>
    others.length === 0
      ? Promise.resolve([] as RelationshipRow[])
      : db
          .selectFrom('relationships')
          .selectAll()
          .where((eb) =>
            eb.or([
              eb.and([eb('owner_id', '=', userId), eb('other_id', 'in', others)]),
              eb.and([eb('other_id', '=', userId), eb('owner_id', 'in', others)]),
            ]),
          )
          .execute(),

  contactIdsOf: async (ownerId: string) =>
    (await db.selectFrom('relationships').select('other_id').where('owner_id', '=', ownerId).where('contact', '=', 1).execute()).map(
      (r) => r.other_id,
    ),

  relationshipsOf: (ownerId: string) => db.selectFrom('relationships').selectAll().where('owner_id', '=', ownerId).execute(),

  /** Inserts or changes the owner's row. */
  async upsertRelationship(ownerId: string, otherId: string, changes: Partial<Omit<RelationshipRow, 'owner_id' | 'other_id'>>, at: number) {
    const updated = await db
      .updateTable('relationships')
      .set({ ...changes, updated_at: at })
      .where('owner_id', '=', ownerId)
      .where('other_id', '=', otherId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) return;
    await db
      .insertInto('relationships')
      .values({ owner_id: ownerId, other_id: otherId, contact: 0, alias: null, starred: 0, blocked: 0, ...changes, updated_at: at })
      .execute();
  },

  /** Whether `blockerId` blocked any of `others`, or any of them blocked `blockerId` (`direction`). */
  blockedAmong: async (ownerIds: string[], otherIds: string[]) =>
    ownerIds.length === 0 || otherIds.length === 0
      ? []
      : db
          .selectFrom('relationships')
          .select(['owner_id', 'other_id'])
          .where('owner_id', 'in', ownerIds)
          .where('other_id', 'in', otherIds)
          .where('blocked', '=', 1)
          .execute(),

  // ---- privacy ----
  privacyOf: (userIds: string[]) =>
    userIds.length === 0
      ? Promise.resolve([] as PrivacyRow[])
      : db.selectFrom('privacy_settings').selectAll().where('user_id', 'in', userIds).execute(),

  async upsertPrivacy(userId: string, changes: Partial<Omit<PrivacyRow, 'user_id'>>, at: number) {
    const updated = await db
      .updateTable('privacy_settings')
      .set({ ...changes, updated_at: at })
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) return;
    await db
      .insertInto('privacy_settings')
      .values({ user_id: userId, ...DEFAULT_PRIVACY, ...changes, updated_at: at })
      .execute();
  },

  /** Whether the account with this email hides it from search. */
  emailHidden: async (email: string) =>
    (await db
      .selectFrom('users')
      .innerJoin('privacy_settings', 'privacy_settings.user_id', 'users.id')
      .select('users.id')
      .where('users.email', '=', email)
      .where('privacy_settings.hide_email', '=', 1)
      .executeTakeFirst()) !== undefined,

  /** Whether the two already share a direct chat (its key is "smallerId:largerId"). */
  hasDirectChat: async (a: string, b: string) =>
    (await db
      .selectFrom('chats')
      .select('id')
      .where('direct_key', '=', a < b ? `${a}:${b}` : `${b}:${a}`)
      .executeTakeFirst()) !== undefined,

  /** Groups and rooms both users are members of. */
  sharedChats: (a: string, b: string) =>
    db
      .selectFrom('chat_members as mine')
      .innerJoin('chat_members as theirs', 'theirs.chat_id', 'mine.chat_id')
      .innerJoin('chats', 'chats.id', 'mine.chat_id')
      .select(['chats.id', 'chats.name', 'chats.kind'])
      .where('mine.user_id', '=', a)
      .where('theirs.user_id', '=', b)
      .where('chats.kind', '!=', 'direct')
      .orderBy('chats.name')
      .limit(100)
      .execute(),
});
