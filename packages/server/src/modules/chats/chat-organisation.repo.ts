/** SQL for organising one's chat list: pinned chats in order, archived chats. */
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';

export const chatOrganisationRepo = (db: Kysely<Database>) => ({
  /** The member's pinned chats, top first. */
  pinned: async (userId: string) =>
    (
      await db
        .selectFrom('chat_members')
        .select('chat_id')
        .where('user_id', '=', userId)
        .where('pin_order', 'is not', null)
        .orderBy('pin_order')
        .orderBy('chat_id')
        .execute()
    ).map((r) => r.chat_id),

  /**
   * Archived chats: archived, and either muted or without a message since — so a new
   * message brings a chat back without a write per message.
   */
  archived: async (userId: string) =>
    (
      await db
        .selectFrom('chat_members')
        .innerJoin('chats', 'chats.id', 'chat_members.chat_id')
        .select('chat_members.chat_id')
        .where('chat_members.user_id', '=', userId)
        .where('chat_members.archived_seq', 'is not', null)
        .where((eb) => eb.or([eb('chat_members.muted', '=', 1), eb('chats.last_seq', '<=', eb.ref('chat_members.archived_seq'))]))
        .execute()
    ).map((r) => r.chat_id),

  topPinOrder: async (userId: string) => {
    const row = await db
      .selectFrom('chat_members')
      .select((eb) => eb.fn.min('pin_order').as('top'))
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row?.top === null || row?.top === undefined ? null : Number(row.top);
  },

  setPinOrder: (chatId: string, userId: string, order: number | null) =>
    db.updateTable('chat_members').set({ pin_order: order }).where('chat_id', '=', chatId).where('user_id', '=', userId).execute(),

  setArchivedSeq: (chatId: string, userId: string, seq: number | null) =>
    db.updateTable('chat_members').set({ archived_seq: seq }).where('chat_id', '=', chatId).where('user_id', '=', userId).execute(),
});
