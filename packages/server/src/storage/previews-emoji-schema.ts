/**
 * The tables of link previews (E18, migration 0013-link-previews) and custom emoji (E19,
 * 0013-custom-emoji). `Database` (schema.ts) extends these.
 */

/** What a page said about itself, cached per URL (by its SHA-256) until `expires_at`. */
export interface LinkPreviewsTable {
  url_hash: string;
  url: string;
  /** ready: title (and maybe more) found; failed: refused, unreachable or nothing to show. */
  status: 'ready' | 'failed';
  title: string | null;
  description: string | null;
  site_name: string | null;
  /** File storage key of the stored (resized) image, or null. */
  image_key: string | null;
  image_width: number | null;
  image_height: number | null;
  /** Why a fetch failed (an operator's hint; never shown to users). */
  error: string | null;
  fetched_at: number;
  expires_at: number;
}

/** The preview of one message: its first link, and whether its sender removed the preview. */
export interface MessageLinkPreviewsTable {
  message_id: string;
  chat_id: string;
  url: string;
  url_hash: string;
  removed_at: number | null;
}

export interface CustomEmojiTable {
  id: string;
  short_name: string;
  /** File storage key of the WebP image. */
  image_key: string;
  animated: number;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface PreviewsEmojiTables {
  link_previews: LinkPreviewsTable;
  message_link_previews: MessageLinkPreviewsTable;
  custom_emoji: CustomEmojiTable;
}
