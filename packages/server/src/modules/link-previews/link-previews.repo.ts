/** SQL of link previews (E18): the per-URL cache and each message's preview. */
import type { Kysely, Selectable } from 'kysely';
import type { LinkPreviewsTable, MessageLinkPreviewsTable } from '../../storage/previews-emoji-schema.js';
import type { Database } from '../../storage/schema.js';

export type CachedPreviewRow = Selectable<LinkPreviewsTable>;
export type MessagePreviewRow = Selectable<MessageLinkPreviewsTable>;

export const linkPreviewsRepo = (db: Kysely<Database>) => ({
  insertForMessage: (row: MessagePreviewRow) =>
    db
      .insertInto('message_link_previews')
      .values(row)
      .onConflict((oc) => oc.doNothing())
      .execute(),

  removeForMessage: (messageId: string) => db.deleteFrom('message_link_previews').where('message_id', '=', messageId).execute(),

  forMessage: (messageId: string) =>
    db.selectFrom('message_link_previews').selectAll().where('message_id', '=', messageId).executeTakeFirst(),

  markRemoved: (messageId: string, at: number) =>
    db
      .updateTable('message_link_previews')
      .set({ removed_at: at })
      .where('message_id', '=', messageId)
      .where('removed_at', 'is', null)
      .executeTakeFirst(),

  cached: (urlHash: string) => db.selectFrom('link_previews').selectAll().where('url_hash', '=', urlHash).executeTakeFirst(),

  /** Stores a fetch's outcome for its URL, replacing an older one. */
  saveCached: (row: CachedPreviewRow) =>
    db
      .insertInto('link_previews')
      .values(row)
      .onConflict((oc) =>
        oc.column('url_hash').doUpdateSet({
          status: row.status,
          title: row.title,
          description: row.description,
          site_name: row.site_name,
          image_key: row.image_key,
          image_width: row.image_width,
          image_height: row.image_height,
          error: row.error,
          fetched_at: row.fetched_at,
          expires_at: row.expires_at,
        }),
      )
      .execute(),

  /** Previews of deleted messages are never shown again. */
  dropForDeletedMessages: () =>
    db
      .deleteFrom('message_link_previews')
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('messages')
            .select('messages.id')
            .whereRef('messages.id', '=', 'message_link_previews.message_id')
            .where('messages.deleted_at', 'is not', null),
        ),
      )
      .execute(),

  /**
   * Removes cached previews past their expiry that no shown preview uses (removed, deleted or
   * never shown), at most `limit`, in one statement; returns their picture keys.
   */
  dropUnused: async (before: number, limit: number) => {
    const unused = db
      .selectFrom('link_previews as p')
      .select('p.url_hash')
      .where('p.expires_at', '<', before)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('message_link_previews as m')
              .select('m.message_id')
              .whereRef('m.url_hash', '=', 'p.url_hash')
              .where('m.removed_at', 'is', null),
          ),
        ),
      )
      .limit(limit);
    return db.deleteFrom('link_previews').where('url_hash', 'in', unused).returning(['url_hash', 'image_key']).execute();
  },

  /** The shown previews of a page of messages: not removed, and fetched with something to show. */
  shownFor: (messageIds: string[]) =>
    db
      .selectFrom('message_link_previews as m')
      .innerJoin('link_previews as p', 'p.url_hash', 'm.url_hash')
      .select(['m.message_id', 'm.url', 'p.title', 'p.description', 'p.site_name', 'p.image_key', 'p.image_width', 'p.image_height'])
      .where('m.message_id', 'in', messageIds)
      .where('m.removed_at', 'is', null)
      .where('p.status', '=', 'ready')
      .execute(),
});
