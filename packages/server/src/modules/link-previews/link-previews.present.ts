/** Cached preview rows → the `LinkPreview` of a message (E18); batched for pages of history. */
import type { LinkPreview } from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { type CachedPreviewRow, linkPreviewsRepo } from './link-previews.repo.js';

type Shown = Pick<CachedPreviewRow, 'title' | 'description' | 'site_name' | 'image_key' | 'image_width' | 'image_height'>;

export const presentPreview = (url: string, row: Shown): LinkPreview => ({
  url,
  siteName: row.site_name,
  title: row.title ?? '',
  description: row.description,
  image: row.image_key && row.image_width && row.image_height ? { width: row.image_width, height: row.image_height } : null,
});

/** The previews among a page of messages, by message id: one query. */
export async function previewsByMessage(db: Kysely<Database>, messageIds: string[]): Promise<Map<string, LinkPreview>> {
  if (messageIds.length === 0) return new Map();
  const rows = await linkPreviewsRepo(db).shownFor(messageIds);
  return new Map(rows.map((row) => [row.message_id, presentPreview(row.url, row)]));
}
