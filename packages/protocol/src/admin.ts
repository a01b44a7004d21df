/**
 * Running a server (A8, J6): server roles, suspension, the admin console's users, rooms,
 * settings, invites, stats and the audit log. Every route is under `/api/v1/admin`.
 */
import { type Static, Type } from '@sinclair/typebox';
import { Id, Nullable, Page, PageQuery, SafeInteger, Text, Timestamp } from './common.js';

/** What a person may do on the server as a whole (not in one chat). */
export const ServerRole = Type.Union([Type.Literal('admin'), Type.Literal('moderator'), Type.Literal('user')]);
export type ServerRole = Static<typeof ServerRole>;

export const AdminUser = Type.Object({
  id: Id,
  username: Type.String(),
  displayName: Type.String(),
  email: Type.String(),
  role: ServerRole,
  bot: Type.Boolean(),
  deleted: Type.Boolean(),
  suspended: Type.Boolean(),
  suspendedAt: Nullable(Timestamp),
  suspendedReason: Nullable(Type.String()),
  createdAt: Timestamp,
  lastSeenAt: Nullable(Timestamp),
  /** Live sessions (signed-in devices). */
  sessions: SafeInteger(),
});
export type AdminUser = Static<typeof AdminUser>;

export const AdminUserPage = Page(AdminUser);
export type AdminUserPage = Static<typeof AdminUserPage>;

export const AdminListQuery = Type.Object(
  {
    q: Type.Optional(Text({ maxLength: 64, description: 'Prefix of a username, display name or room name, or an exact email' })),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type AdminListQuery = Static<typeof AdminListQuery>;

export const AdminUserParams = Type.Object({ userId: Id });
export const AdminRoomParams = Type.Object({ chatId: Id });
export const AdminRoomMessageParams = Type.Object({ chatId: Id, messageId: Id });
export const AdminRoomMemberParams = Type.Object({ chatId: Id, userId: Id });

export const SuspendBody = Type.Object({ reason: Text({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false });
export type SuspendBody = Static<typeof SuspendBody>;

export const SetServerRoleBody = Type.Object({ role: ServerRole }, { additionalProperties: false });
export type SetServerRoleBody = Static<typeof SetServerRoleBody>;

export const AdminRoom = Type.Object({
  id: Id,
  kind: Type.Union([Type.Literal('group'), Type.Literal('room')]),
  name: Type.String(),
  handle: Nullable(Type.String()),
  ownerId: Nullable(Id),
  ownerUsername: Nullable(Type.String()),
  memberCount: SafeInteger(),
  messageCount: SafeInteger(),
  archived: Type.Boolean(),
  /** Messages older than this many days are removed; null follows the server-wide setting. */
  retentionDays: Nullable(SafeInteger()),
  createdAt: Timestamp,
  lastActivityAt: Timestamp,
});
export type AdminRoom = Static<typeof AdminRoom>;

export const AdminRoomPage = Page(AdminRoom);
export type AdminRoomPage = Static<typeof AdminRoomPage>;

export const UpdateAdminRoomBody = Type.Object(
  {
    archived: Type.Optional(Type.Boolean()),
    ownerId: Type.Optional(Id),
    retentionDays: Type.Optional(Nullable(SafeInteger({ minimum: 1, maximum: 36_500 }))),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateAdminRoomBody = Static<typeof UpdateAdminRoomBody>;

export const SignUpMode = Type.Union([Type.Literal('open'), Type.Literal('invite'), Type.Literal('closed')]);
export type SignUpMode = Static<typeof SignUpMode>;

export const CustomEmojiUploads = Type.Union([Type.Literal('admins'), Type.Literal('everyone')]);
export type CustomEmojiUploads = Static<typeof CustomEmojiUploads>;

export const ServerSettings = Type.Object({
  /** open: anyone may sign up; invite: only with an invite link; closed: nobody (the CLI still creates accounts). */
  signUp: SignUpMode,
  /**
   * New accounts must confirm their email before they may use the server. True when this
   * setting or the REQUIRE_EMAIL_VERIFICATION environment key says so.
   */
  requireEmailVerification: Type.Boolean(),
  /** The environment's REQUIRE_EMAIL_VERIFICATION: when true, the setting cannot turn it off. */
  requireEmailVerificationByConfig: Type.Boolean(),
  /** Largest upload in bytes; null uses UPLOAD_MAX_BYTES. Never above UPLOAD_MAX_BYTES. */
  uploadMaxBytes: Nullable(SafeInteger()),
  /** UPLOAD_MAX_BYTES, the ceiling of `uploadMaxBytes`. */
  uploadMaxBytesByConfig: SafeInteger(),
  /** Messages older than this many days are removed in every chat without its own retention; null keeps them. */
  retentionDays: Nullable(SafeInteger()),
  /** Link previews (E18): the server fetches the first link of new messages. Off: no page is fetched. */
  linkPreviews: Type.Boolean(),
  /** Who may add custom emoji (E19): `admins` (default) or `everyone` signed in. Renaming and deleting stay with admins. */
  customEmojiUploads: CustomEmojiUploads,
});
export type ServerSettings = Static<typeof ServerSettings>;

export const UpdateServerSettingsBody = Type.Object(
  {
    signUp: Type.Optional(SignUpMode),
    requireEmailVerification: Type.Optional(Type.Boolean()),
    uploadMaxBytes: Type.Optional(Nullable(SafeInteger({ minimum: 1 }))),
    retentionDays: Type.Optional(Nullable(SafeInteger({ minimum: 1, maximum: 36_500 }))),
    linkPreviews: Type.Optional(Type.Boolean()),
    customEmojiUploads: Type.Optional(CustomEmojiUploads),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateServerSettingsBody = Static<typeof UpdateServerSettingsBody>;

export const Invite = Type.Object({
  id: Id,
  /** The invite code, to be given as `invite` at sign-up; shown only when created. */
  code: Nullable(Type.String()),
  createdBy: Nullable(Id),
  createdAt: Timestamp,
  expiresAt: Nullable(Timestamp),
  maxUses: Nullable(SafeInteger()),
  uses: SafeInteger(),
  revoked: Type.Boolean(),
});
export type Invite = Static<typeof Invite>;

export const InviteList = Type.Object({ items: Type.Array(Invite) });
export type InviteList = Static<typeof InviteList>;

export const CreateInviteBody = Type.Object(
  {
    maxUses: Type.Optional(SafeInteger({ minimum: 1, maximum: 10_000 })),
    expiresInHours: Type.Optional(SafeInteger({ minimum: 1, maximum: 8760 })),
  },
  { additionalProperties: false },
);
export type CreateInviteBody = Static<typeof CreateInviteBody>;

export const InviteParams = Type.Object({ inviteId: Id });

export const ServerStats = Type.Object({
  people: SafeInteger({ description: 'Accounts that are not deleted and not bots' }),
  activeToday: SafeInteger({ description: 'People seen in the last 24 hours' }),
  suspended: SafeInteger(),
  rooms: SafeInteger({ description: 'Groups and public rooms' }),
  messages: SafeInteger(),
  /** The last 30 days, oldest first, UTC days. */
  messagesPerDay: Type.Array(Type.Object({ day: Type.String({ description: 'YYYY-MM-DD' }), count: SafeInteger() })),
  storage: Type.Object({ databaseBytes: SafeInteger(), fileBytes: SafeInteger() }),
});
export type ServerStats = Static<typeof ServerStats>;

export const AuditEntry = Type.Object({
  id: Id,
  at: Timestamp,
  actorId: Nullable(Id),
  /** The actor's username when the action was taken; `cli` for the admin command line. */
  actorName: Type.String(),
  action: Type.String({ description: 'e.g. user.suspend, room.delete, settings.update' }),
  targetType: Type.String(),
  targetId: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
  /** Where the action came from: the client address, or `cli`. */
  ip: Type.String(),
});
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditPage = Page(AuditEntry);
export type AuditPage = Static<typeof AuditPage>;

export const AuditQuery = Type.Object({ action: Type.Optional(Text({ maxLength: 64 })), ...PageQuery }, { additionalProperties: false });
export type AuditQuery = Static<typeof AuditQuery>;
