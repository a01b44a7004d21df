/**
 * Attachments and media (F1–F5, B1, D2): files uploaded over tus, attached to messages,
 * shown in the chat gallery; avatars of people and groups.
 */
import { type Static, Type } from '@sinclair/typebox';
import { Id, Nullable, SafeInteger, Text, Timestamp } from './common.js';

/** The tus endpoint (https://tus.io/protocols/resumable-upload); uploads are `POST`ed here. */
export const UPLOADS_PATH = '/api/v1/uploads';

/** File ids are 128 random bits, base64url: unguessable, unlike message or chat ids. */
export const FileId = Type.String({ minLength: 16, maxLength: 32, pattern: '^[A-Za-z0-9_-]+$' });

/**
 * How an attachment is shown, decided by the server from the file's content (magic bytes),
 * never from its name or the uploader's Content-Type. `voice`: audio recorded as a voice message.
 */
export const AttachmentKind = Type.Union([
  Type.Literal('image'),
  Type.Literal('video'),
  Type.Literal('audio'),
  Type.Literal('voice'),
  Type.Literal('file'),
]);
export type AttachmentKind = Static<typeof AttachmentKind>;

/** What an upload is for: tus metadata `purpose`. */
export const UploadPurpose = Type.Union([Type.Literal('attachment'), Type.Literal('voice'), Type.Literal('avatar')]);
export type UploadPurpose = Static<typeof UploadPurpose>;

/** Thumbnail widths (px, longest side) the app asks for: gallery grid, message bubble, viewer. */
export const THUMBNAIL_SIZES = [160, 480, 1280] as const;
export type ThumbnailSize = (typeof THUMBNAIL_SIZES)[number];
/** Square avatar sizes: chat list / message rows, and the profile. */
export const AVATAR_SIZES = [96, 512] as const;
export type AvatarSize = (typeof AVATAR_SIZES)[number];

export const Attachment = Type.Object({
  id: FileId,
  kind: AttachmentKind,
  /** The uploader's file name (shown; never used to decide the type). */
  name: Type.String(),
  size: SafeInteger(),
  /** The type found in the content; `application/octet-stream` when none is recognised. */
  mime: Type.String(),
  /** Whether the browser may show it inline (an allowlisted image, video or audio type). */
  inline: Type.Boolean(),
  width: Nullable(SafeInteger()),
  height: Nullable(SafeInteger()),
  durationMs: Nullable(SafeInteger()),
  /** Base64 thumbhash (https://evanw.github.io/thumbhash/): a blurred stand-in while the image loads. */
  placeholder: Nullable(Type.String()),
  /** Voice messages: 0–255 loudness samples, base64. */
  waveform: Nullable(Type.String()),
  /** Images, and videos with a poster frame: thumbnails exist (or will) in THUMBNAIL_SIZES. */
  thumbnails: Type.Boolean(),
  /** An animated GIF/WebP: play the original instead of a still thumbnail. */
  animated: Type.Boolean(),
});
export type Attachment = Static<typeof Attachment>;

/** At most this many files in one message. */
export const MESSAGE_MAX_ATTACHMENTS = 10;

export const AttachmentIds = Type.Array(FileId, { minItems: 1, maxItems: MESSAGE_MAX_ATTACHMENTS, uniqueItems: true });

/** An uploaded file of your own, before (or after) it is attached. */
export const UploadedFile = Type.Object({ ...Attachment.properties, sha256: Nullable(Type.String()), createdAt: Timestamp });
export type UploadedFile = Static<typeof UploadedFile>;

export const FileParams = Type.Object({ fileId: FileId });
export const ThumbnailParams = Type.Object({
  fileId: FileId,
  size: Type.Union(THUMBNAIL_SIZES.map((s) => Type.Literal(String(s)))),
});
export const AvatarParams = Type.Object({
  fileId: FileId,
  size: Type.Union(AVATAR_SIZES.map((s) => Type.Literal(String(s)))),
});
export const FileQuery = Type.Object(
  { download: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('0')])) },
  { additionalProperties: false },
);

/** Gallery tabs (F3). `media`: images and videos; `voice`: voice messages and audio; `links`: messages with a URL. */
export const GalleryTab = Type.Union([Type.Literal('media'), Type.Literal('files'), Type.Literal('voice'), Type.Literal('links')]);
export type GalleryTab = Static<typeof GalleryTab>;

export const GalleryQuery = Type.Object(
  {
    tab: GalleryTab,
    /** Items of messages with seq below this (the previous page's `nextBefore`). */
    before: Type.Optional(SafeInteger({ minimum: 1 })),
    limit: Type.Optional(SafeInteger({ minimum: 1, maximum: 100, default: 30 })),
  },
  { additionalProperties: false },
);
export type GalleryQuery = Static<typeof GalleryQuery>;

export const GalleryItem = Type.Object({
  messageId: Id,
  seq: SafeInteger(),
  senderId: Nullable(Type.String()),
  createdAt: Timestamp,
  /** Null on the links tab. */
  attachment: Nullable(Attachment),
  /** Links tab: the URLs found in the message. */
  links: Type.Array(Type.String()),
  text: Type.String(),
});
export type GalleryItem = Static<typeof GalleryItem>;

export const GalleryPage = Type.Object({
  items: Type.Array(GalleryItem, { description: 'newest first' }),
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: Nullable(SafeInteger()),
});
export type GalleryPage = Static<typeof GalleryPage>;

/** WebSocket `gallery.list`: the chat and the page. */
export const GalleryListParams = Type.Object({ chatId: Id, ...GalleryQuery.properties }, { additionalProperties: false });
export type GalleryListParams = Static<typeof GalleryListParams>;

/** Setting (or clearing, with null) an avatar: an uploaded image of yours with purpose `avatar`. */
export const SetAvatarBody = Type.Object({ fileId: Nullable(FileId) }, { additionalProperties: false });
export type SetAvatarBody = Static<typeof SetAvatarBody>;

/** WebSocket `chat.setAvatar`. */
export const ChatAvatarParams = Type.Object({ chatId: Id, fileId: Nullable(FileId) }, { additionalProperties: false });
export type ChatAvatarParams = Static<typeof ChatAvatarParams>;

/** tus `Upload-Metadata` keys the server reads. */
export const UploadMetadata = Type.Object({
  filename: Type.Optional(Text({ maxLength: 255 })),
  purpose: Type.Optional(UploadPurpose),
  /** Voice: recorded length in ms (MediaRecorder output often has no duration in its header). */
  durationMs: Type.Optional(Type.String({ pattern: '^\\d{1,9}$' })),
  /** Voice: base64 of up to 128 loudness samples. */
  waveform: Type.Optional(Type.String({ maxLength: 200, pattern: '^[A-Za-z0-9+/=]*$' })),
});
