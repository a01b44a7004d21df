/**
 * Link previews (E18): the title, description and image of the first link in a message,
 * fetched by the server (never by clients) in a background job and cached per URL. The
 * preview reaches the chat as one `message.preview` event when it is ready; its sender
 * may remove it (the same event, with `preview: null`).
 */
import { type Static, Type } from '@sinclair/typebox';
import { Id, Nullable, SafeInteger } from './common.js';

export const LinkPreview = Type.Object({
  /** The link in the message the preview is of. */
  url: Type.String(),
  /** og:site_name, else the host the page was served from. */
  siteName: Nullable(Type.String()),
  title: Type.String(),
  description: Nullable(Type.String()),
  /**
   * The image, stored by the server: fetch `GET /api/v1/chats/{chatId}/messages/{messageId}/preview/image`
   * (never the page's own image URL). Null when the page names none or it could not be read.
   */
  image: Nullable(Type.Object({ width: SafeInteger(), height: SafeInteger() })),
});
export type LinkPreview = Static<typeof LinkPreview>;

/** The `message.preview` event: a message's preview arrived, or its sender removed it (null). */
export interface MessagePreviewUpdated {
  chatId: string;
  messageId: string;
  preview: LinkPreview | null;
}

export const RemovePreviewParams = Type.Object({ chatId: Id, messageId: Id }, { additionalProperties: false });
export type RemovePreviewParams = Static<typeof RemovePreviewParams>;
