/** The REST calls of link previews (E18) and custom emoji (E19), part of the typed client (conversations.ts). */
import type { CreateEmojiBody, CustomEmoji, CustomEmojiList, RenameEmojiBody } from '@parley/protocol';
import type { HttpClient } from './http.js';

const enc = encodeURIComponent;

/** Where a message's preview image is served (for an <img src>): the server's copy, never the page's own. */
export const previewImagePath = (chatId: string, messageId: string) =>
  `/api/v1/chats/${enc(chatId)}/messages/${enc(messageId)}/preview/image`;
/** A custom emoji's image (for an <img src>). */
export const emojiImagePath = (emojiId: string) => `/api/v1/emoji/${enc(emojiId)}/image`;

export function previewsEmojiApi(http: HttpClient) {
  return {
    linkPreviews: {
      /** The sender takes the preview off their message. */
      remove: (chatId: string, messageId: string) =>
        http.request<void>('DELETE', `/api/v1/chats/${enc(chatId)}/messages/${enc(messageId)}/preview`),
    },
    emoji: {
      list: () => http.request<CustomEmojiList>('GET', '/api/v1/emoji'),
      /** `fileId`: a finished upload of yours (purpose `attachment`) holding the picture. */
      create: (body: CreateEmojiBody) => http.request<CustomEmoji>('POST', '/api/v1/emoji', { body }),
      rename: (emojiId: string, body: RenameEmojiBody) => http.request<CustomEmoji>('PATCH', `/api/v1/emoji/${enc(emojiId)}`, { body }),
      delete: (emojiId: string) => http.request<void>('DELETE', `/api/v1/emoji/${enc(emojiId)}`),
    },
  };
}
