/**
 * Export of my data (J7): a zip of JSON files described by these schemas (format 1), plus
 * the files I uploaded under `files/` and the server's custom emoji my messages and
 * reactions use under `emoji/`. `manifest.json` names everything in the archive.
 */
import { type Static, Type } from '@sinclair/typebox';
import { Id, Nullable, SafeInteger, Timestamp } from './common.js';

export const EXPORT_FORMAT = 1;

export const DataExport = Type.Object({
  id: Id,
  status: Type.Union([Type.Literal('pending'), Type.Literal('ready'), Type.Literal('failed')]),
  createdAt: Timestamp,
  /** When ready: the download link (no session needed), valid until `expiresAt`. */
  downloadUrl: Nullable(Type.String()),
  expiresAt: Nullable(Timestamp),
  size: Nullable(SafeInteger()),
});
export type DataExport = Static<typeof DataExport>;

export const DataExportList = Type.Object({ items: Type.Array(DataExport) });
export type DataExportList = Static<typeof DataExportList>;

export const ExportTokenParams = Type.Object({ token: Type.String({ minLength: 20, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' }) });

/** `profile.json` */
export const ExportProfile = Type.Object(
  {
    id: Id,
    username: Type.String(),
    displayName: Type.String(),
    email: Type.String(),
    statusText: Type.String(),
    bio: Type.String(),
    createdAt: Timestamp,
  },
  { additionalProperties: false },
);

/** `chats.json`: the chats I am in. */
export const ExportChats = Type.Array(
  Type.Object(
    {
      id: Id,
      kind: Type.Union([Type.Literal('direct'), Type.Literal('group'), Type.Literal('room')]),
      name: Type.String(),
      role: Type.Union([Type.Literal('owner'), Type.Literal('admin'), Type.Literal('member')]),
      joinedAt: Timestamp,
    },
    { additionalProperties: false },
  ),
);

/** `messages.json`: the messages I sent, oldest first per chat. */
export const ExportMessages = Type.Array(
  Type.Object(
    {
      id: Id,
      chatId: Id,
      seq: SafeInteger({ minimum: 1 }),
      text: Type.String(),
      createdAt: Timestamp,
      editedAt: Nullable(Timestamp),
      deleted: Type.Boolean(),
      replyTo: Nullable(Id),
      privateTo: Nullable(Id),
      attachments: Type.Array(Id),
    },
    { additionalProperties: false },
  ),
);

/** `reactions.json`: my reactions. */
export const ExportReactions = Type.Array(
  Type.Object({ messageId: Id, chatId: Id, emoji: Type.String(), createdAt: Timestamp }, { additionalProperties: false }),
);

/** `manifest.json` */
export const ExportManifest = Type.Object(
  {
    format: Type.Literal(EXPORT_FORMAT),
    createdAt: Timestamp,
    userId: Id,
    counts: Type.Object({ chats: SafeInteger(), messages: SafeInteger(), reactions: SafeInteger(), files: SafeInteger() }),
    /** Each uploaded file: its id, name, size, and where it is in the archive. */
    files: Type.Array(
      Type.Object({ id: Id, name: Type.String(), size: SafeInteger(), path: Type.String() }, { additionalProperties: false }),
    ),
    /**
     * The custom emoji (E19) that my messages' text or my reactions name as `:shortName:`
     * and that the server still has: the picture (WebP) at `path`, so the export reads
     * the same once the server is gone.
     */
    emoji: Type.Array(
      Type.Object({ shortName: Type.String(), animated: Type.Boolean(), path: Type.String() }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);
