/**
 * Custom emoji (E19): images a server admin (or, by the `customEmojiUploads` setting,
 * anyone) adds under a `:short_name:`. `:short_name:` in a message's text shows the image,
 * and the same `:short_name:` is a reaction. Every change of the set reaches everyone
 * signed in as one `emoji.updated` event; apps load the list when they connect.
 */
import { type Static, Type } from '@sinclair/typebox';
import { Id, Nullable, Timestamp } from './common.js';

/** What goes between the colons: 2–30 of a–z, 0–9, `_` and `-` (`:party_parrot:`, at most 32 with its colons, like any reaction). */
export const EmojiShortName = Type.String({ minLength: 2, maxLength: 30, pattern: '^[a-z0-9_-]+$' });

/** `:name:` — how a custom emoji is written in text and given as a reaction. */
export const CUSTOM_EMOJI_PATTERN = /^:([a-z0-9_-]{2,30}):$/;

export const CustomEmoji = Type.Object({
  id: Id,
  shortName: Type.String(),
  /** The image (WebP, at most 128 px a side): `GET /api/v1/emoji/{id}/image`. */
  animated: Type.Boolean(),
  createdBy: Nullable(Id),
  createdAt: Timestamp,
});
export type CustomEmoji = Static<typeof CustomEmoji>;

export const CustomEmojiList = Type.Object({
  items: Type.Array(CustomEmoji, { description: 'by short name' }),
  /** Whether you may add emoji (admins; everyone when the server allows it). */
  canAdd: Type.Boolean(),
  /** Whether you may rename and delete them (admins). */
  canManage: Type.Boolean(),
});
export type CustomEmojiList = Static<typeof CustomEmojiList>;

export const CreateEmojiBody = Type.Object(
  {
    shortName: EmojiShortName,
    /** A finished upload of yours (tus, purpose `attachment`) holding the image; it is resized and the upload removed. */
    fileId: Id,
  },
  { additionalProperties: false },
);
export type CreateEmojiBody = Static<typeof CreateEmojiBody>;

export const RenameEmojiBody = Type.Object({ shortName: EmojiShortName }, { additionalProperties: false });
export type RenameEmojiBody = Static<typeof RenameEmojiBody>;

export const EmojiParams = Type.Object({ emojiId: Id });

/** The `emoji.updated` event: one emoji added, renamed (`previousShortName`) or deleted (`emoji: null`). */
export interface EmojiUpdated {
  id: string;
  emoji: CustomEmoji | null;
  previousShortName?: string;
}
