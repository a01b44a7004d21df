/** SQL of custom emoji (E19), and the rename of reactions that carry one. */
import type { Kysely, Selectable } from 'kysely';
import type { CustomEmojiTable } from '../../storage/previews-emoji-schema.js';
import type { Database } from '../../storage/schema.js';

export type CustomEmojiRow = Selectable<CustomEmojiTable>;

export const customEmojiRepo = (db: Kysely<Database>) => ({
  all: () => db.selectFrom('custom_emoji').selectAll().orderBy('short_name').execute(),
  byId: (id: string) => db.selectFrom('custom_emoji').selectAll().where('id', '=', id).executeTakeFirst(),
  byShortName: (shortName: string) => db.selectFrom('custom_emoji').selectAll().where('short_name', '=', shortName).executeTakeFirst(),
  insert: (row: CustomEmojiRow) => db.insertInto('custom_emoji').values(row).execute(),
  rename: (id: string, shortName: string, at: number) =>
    db.updateTable('custom_emoji').set({ short_name: shortName, updated_at: at }).where('id', '=', id).returningAll().executeTakeFirst(),
  remove: (id: string) => db.deleteFrom('custom_emoji').where('id', '=', id).execute(),

  /**
   * Reactions given as `:from:` become `:to:` (a rename keeps them). Where one person had
   * given both on one message, the old one is dropped first, so the primary key holds.
   */
  async renameReactions(from: string, to: string) {
    await db
      .deleteFrom('reactions')
      .where('emoji', '=', from)
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('reactions as other')
            .select('other.emoji')
            .whereRef('other.message_id', '=', 'reactions.message_id')
            .whereRef('other.user_id', '=', 'reactions.user_id')
            .where('other.emoji', '=', to),
        ),
      )
      .execute();
    await db.updateTable('reactions').set({ emoji: to }).where('emoji', '=', from).execute();
  },
});
