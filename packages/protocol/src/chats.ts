/** Conversations: direct chats, groups and public rooms, their members and read state. */
import { type Static, Type } from '@sinclair/typebox';
import { Id, Name, Nullable, PageQuery, SafeInteger, Text, Timestamp } from './common.js';
import { Message } from './messages.js';
import { PublicUser } from './users.js';

export const ChatKind = Type.Union([Type.Literal('direct'), Type.Literal('group'), Type.Literal('room')]);
export type ChatKind = Static<typeof ChatKind>;

export const Role = Type.Union([Type.Literal('owner'), Type.Literal('admin'), Type.Literal('member')]);
export type Role = Static<typeof Role>;

export const ChatName = Name({ minLength: 1, maxLength: 100 });
export const ChatDescription = Text({ maxLength: 1000 });
/** Room handles: unique, like usernames. */
export const RoomHandle = Type.String({ minLength: 3, maxLength: 32, pattern: '^[A-Za-z0-9_.-]{3,32}$' });

export const ChatMember = Type.Object({
  user: PublicUser,
  role: Role,
  joinedAt: Timestamp,
  lastReadSeq: SafeInteger(),
  /** The newest seq one of this member's devices received (E10); never below lastReadSeq. */
  deliveredSeq: SafeInteger(),
  online: Type.Boolean(),
});
export type ChatMember = Static<typeof ChatMember>;

export const Chat = Type.Object({
  id: Id,
  kind: ChatKind,
  /** For direct chats: the other person's display name. */
  name: Type.String(),
  description: Type.String(),
  handle: Nullable(Type.String()),
  ownerId: Nullable(Type.String()),
  membersCanEdit: Type.Boolean(),
  membersCanAdd: Type.Boolean(),
  /** Groups and rooms: whether every member may pin messages (otherwise the owner and admins). */
  membersCanPin: Type.Optional(Type.Boolean()),
  memberCount: SafeInteger(),
  createdAt: Timestamp,
  /**
   * The newest activity the reader may see: a private message between two other members does
   * not move it. Chat events, which reach every member alike, carry the newest all may see.
   */
  lastActivityAt: Timestamp,
  /** Sequence number of the newest message; 0 when there is none. */
  lastSeq: SafeInteger(),
  /** A group's or room's photo (a file id); null: initials. */
  avatarId: Type.Optional(Nullable(Type.String())),
  /**
   * When a server admin archived this group or room (admin console): its history stays
   * readable and it takes no new messages. Not the viewer's own archive (chat organisation).
   */
  archivedAt: Type.Optional(Nullable(Timestamp)),
  /** The viewer's own state: */
  role: Nullable(Role),
  lastReadSeq: SafeInteger(),
  unreadCount: SafeInteger(),
  mentionCount: SafeInteger(),
  muted: Type.Boolean(),
  lastMessage: Nullable(Message),
  /** For direct chats: the other person. */
  peer: Nullable(PublicUser),
});
export type Chat = Static<typeof Chat>;

export const ChatList = Type.Object({ items: Type.Array(Chat) });
export type ChatList = Static<typeof ChatList>;

export const MemberList = Type.Object({ items: Type.Array(ChatMember) });
export type MemberList = Static<typeof MemberList>;

export const RoomSummary = Type.Object({
  id: Id,
  name: Type.String(),
  handle: Type.String(),
  description: Type.String(),
  memberCount: SafeInteger(),
  joined: Type.Boolean(),
});
export type RoomSummary = Static<typeof RoomSummary>;

export const RoomPage = Type.Object({ items: Type.Array(RoomSummary), nextCursor: Nullable(Type.String()) });
export type RoomPage = Static<typeof RoomPage>;

// ---- Parameters (the same schemas serve REST bodies and WebSocket command params) ----

export const ChatRef = Type.Object({ chatId: Id }, { additionalProperties: false });
export type ChatRef = Static<typeof ChatRef>;

export const OpenDirectParams = Type.Object({ userId: Id }, { additionalProperties: false });
export type OpenDirectParams = Static<typeof OpenDirectParams>;

export const CreateChatParams = Type.Object(
  {
    kind: Type.Union([Type.Literal('group'), Type.Literal('room')]),
    name: ChatName,
    description: Type.Optional(ChatDescription),
    handle: Type.Optional(RoomHandle),
    memberIds: Type.Optional(Type.Array(Id, { maxItems: 500, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type CreateChatParams = Static<typeof CreateChatParams>;

export const UpdateChatFields = {
  name: Type.Optional(ChatName),
  description: Type.Optional(ChatDescription),
  membersCanEdit: Type.Optional(Type.Boolean()),
  membersCanAdd: Type.Optional(Type.Boolean()),
  membersCanPin: Type.Optional(Type.Boolean()),
};
export const UpdateChatBody = Type.Object(UpdateChatFields, { additionalProperties: false, minProperties: 1 });
export const UpdateChatParams = Type.Object({ chatId: Id, ...UpdateChatFields }, { additionalProperties: false, minProperties: 2 });
export type UpdateChatParams = Static<typeof UpdateChatParams>;

export const AddMembersBody = Type.Object(
  { userIds: Type.Array(Id, { minItems: 1, maxItems: 500, uniqueItems: true }) },
  { additionalProperties: false },
);
export const AddMembersParams = Type.Object(
  { chatId: Id, userIds: Type.Array(Id, { minItems: 1, maxItems: 500, uniqueItems: true }) },
  { additionalProperties: false },
);
export type AddMembersParams = Static<typeof AddMembersParams>;

export const MemberRef = Type.Object({ chatId: Id, userId: Id }, { additionalProperties: false });
export type MemberRef = Static<typeof MemberRef>;

export const SetRoleBody = Type.Object(
  { role: Type.Union([Type.Literal('admin'), Type.Literal('member')]) },
  { additionalProperties: false },
);
export const SetRoleParams = Type.Object(
  { chatId: Id, userId: Id, role: Type.Union([Type.Literal('admin'), Type.Literal('member')]) },
  { additionalProperties: false },
);
export type SetRoleParams = Static<typeof SetRoleParams>;

export const TransferBody = Type.Object({ userId: Id }, { additionalProperties: false });

export const MarkReadBody = Type.Object({ seq: SafeInteger() }, { additionalProperties: false });
export const MarkReadParams = Type.Object({ chatId: Id, seq: SafeInteger() }, { additionalProperties: false });
export type MarkReadParams = Static<typeof MarkReadParams>;

export const MuteBody = Type.Object({ muted: Type.Boolean() }, { additionalProperties: false });
export const MuteParams = Type.Object({ chatId: Id, muted: Type.Boolean() }, { additionalProperties: false });
export type MuteParams = Static<typeof MuteParams>;

export const RoomDirectoryQuery = Type.Object({ q: Type.Optional(Text({ maxLength: 64 })), ...PageQuery }, { additionalProperties: false });
export type RoomDirectoryQuery = Static<typeof RoomDirectoryQuery>;

export const ChatIdParams = Type.Object({ id: Id });
export const ChatMemberParams = Type.Object({ id: Id, userId: Id });
