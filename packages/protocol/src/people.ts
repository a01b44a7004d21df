/**
 * People (issue 13): contact requests, per-contact alias and star, blocks, privacy
 * settings, profiles, away presence, the notification centre, pinned and archived chats
 * and pinned messages. The same schemas serve REST bodies and WebSocket command params.
 */
import { type Static, Type } from '@sinclair/typebox';
import { Id, Name, Nullable, PageQuery, SafeInteger, Text, Timestamp } from './common.js';
import { Message } from './messages.js';
import { PublicUser } from './users.js';

/** How two people stand, from one of them: `sent` and `received` are pending requests. */
export const ContactState = Type.Union([
  Type.Literal('none'),
  Type.Literal('sent'),
  Type.Literal('received'),
  Type.Literal('accepted'),
  Type.Literal('declined'),
]);
export type ContactState = Static<typeof ContactState>;

export const ContactAlias = Name({ minLength: 1, maxLength: 64 });
export const RequestNote = Text({ maxLength: 280 });

/** One person as the viewer files them. Alias, star and block are the viewer's alone. */
export const Relationship = Type.Object({
  user: PublicUser,
  state: ContactState,
  /** The pending (or last declined) request between the two, if any. */
  requestId: Nullable(Type.String()),
  note: Type.String(),
  alias: Nullable(Type.String()),
  starred: Type.Boolean(),
  blocked: Type.Boolean(),
  updatedAt: Timestamp,
});
export type Relationship = Static<typeof Relationship>;

export const RelationshipList = Type.Object({
  /** Starred first, then by alias or display name. */
  items: Type.Array(Relationship),
  /** Requests waiting for the viewer's answer: the pending badge. */
  pendingCount: SafeInteger(),
});
export type RelationshipList = Static<typeof RelationshipList>;

export const ContactRequestParams = Type.Object({ userId: Id, note: Type.Optional(RequestNote) }, { additionalProperties: false });
export type ContactRequestParams = Static<typeof ContactRequestParams>;

export const RequestRef = Type.Object({ requestId: Id }, { additionalProperties: false });
export type RequestRef = Static<typeof RequestRef>;
export const RequestIdParams = Type.Object({ id: Id });

export const PersonRef = Type.Object({ userId: Id }, { additionalProperties: false });
export type PersonRef = Static<typeof PersonRef>;
export const PersonIdParams = Type.Object({ userId: Id });

const ContactFields = {
  /** null clears the alias. */
  alias: Type.Optional(Nullable(ContactAlias)),
  starred: Type.Optional(Type.Boolean()),
};
export const UpdateContactBody = Type.Object(ContactFields, { additionalProperties: false, minProperties: 1 });
export const UpdateContactParams = Type.Object({ userId: Id, ...ContactFields }, { additionalProperties: false, minProperties: 2 });
export type UpdateContactParams = Static<typeof UpdateContactParams>;

// ---- Privacy ----

export const Audience3 = Type.Union([Type.Literal('everyone'), Type.Literal('contacts'), Type.Literal('nobody')]);
export const Audience2 = Type.Union([Type.Literal('everyone'), Type.Literal('contacts')]);

export const PrivacySettings = Type.Object({
  /** When true, search does not find you by your email: by username (and name) only. */
  hideEmail: Type.Boolean(),
  /** Who may start a direct chat with you. */
  directMessages: Audience3,
  /** Who may add you to groups. */
  groupInvites: Audience2,
  /** Who sees your last seen and online status; reciprocal — you see theirs only as they would see yours. */
  lastSeen: Audience3,
});
export type PrivacySettings = Static<typeof PrivacySettings>;

export const UpdatePrivacyBody = Type.Partial(PrivacySettings, { additionalProperties: false, minProperties: 1 });
export type UpdatePrivacyBody = Static<typeof UpdatePrivacyBody>;

// ---- Presence ----

export const PresenceStatus = Type.Union([Type.Literal('online'), Type.Literal('away'), Type.Literal('offline')]);
export type PresenceStatus = Static<typeof PresenceStatus>;

/**
 * `away`: idle (the client says so after N minutes) or, with `byHand`, the person's own
 * choice; `online` undoes it. Away by hand holds on every device until `online` by hand: a
 * device coming back from idle (`online` without `byHand`) does not end it.
 */
export const SetPresenceParams = Type.Object(
  { status: Type.Union([Type.Literal('online'), Type.Literal('away')]), byHand: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type SetPresenceParams = Static<typeof SetPresenceParams>;

// ---- Profiles ----

export const SharedChat = Type.Object({ id: Id, name: Type.String(), kind: Type.String() });

export const Profile = Type.Object({
  user: PublicUser,
  relationship: Relationship,
  /** null when you may not see it (privacy, blocks). */
  presence: Nullable(PresenceStatus),
  /** Groups and rooms you are both in. */
  sharedChats: Type.Array(SharedChat),
  /** Whether you may start a direct chat with them (an existing one opens regardless). */
  canMessage: Type.Boolean(),
});
export type Profile = Static<typeof Profile>;

// ---- Notification centre ----

export const NotificationKind = Type.String({
  description: '`contact_request`, `contact_accepted`, `group_invite`, `mention`; other features add kinds',
});

export const CentreNotification = Type.Object({
  id: Id,
  kind: NotificationKind,
  actor: Nullable(Type.Object({ id: Id, username: Type.String(), displayName: Type.String() })),
  chatId: Nullable(Type.String()),
  messageId: Nullable(Type.String()),
  requestId: Nullable(Type.String()),
  /** Kind-specific extras (a request note, a chat name, a message excerpt). */
  data: Type.Record(Type.String(), Type.Unknown()),
  read: Type.Boolean(),
  createdAt: Timestamp,
});
export type CentreNotification = Static<typeof CentreNotification>;

export const NotificationPage = Type.Object({
  items: Type.Array(CentreNotification),
  nextCursor: Nullable(Type.String()),
  unreadCount: SafeInteger(),
});
export type NotificationPage = Static<typeof NotificationPage>;

export const NotificationQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
export type NotificationQuery = Static<typeof NotificationQuery>;

/** Without `ids`: all of them. */
export const NotificationsRef = Type.Object(
  { ids: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 100, uniqueItems: true })) },
  { additionalProperties: false },
);
export type NotificationsRef = Static<typeof NotificationsRef>;

export const UnreadCount = Type.Object({ unreadCount: SafeInteger() });

// ---- Organising chats ----

export const PinChatBody = Type.Object({ pinned: Type.Boolean() }, { additionalProperties: false });
export const PinChatParams = Type.Object({ chatId: Id, pinned: Type.Boolean() }, { additionalProperties: false });
export type PinChatParams = Static<typeof PinChatParams>;

export const PinOrderParams = Type.Object(
  { chatIds: Type.Array(Id, { maxItems: 100, uniqueItems: true }) },
  { additionalProperties: false },
);
export type PinOrderParams = Static<typeof PinOrderParams>;
export const PinOrder = Type.Object({ chatIds: Type.Array(Type.String()) });
export type PinOrder = Static<typeof PinOrder>;

export const ArchiveChatBody = Type.Object({ archived: Type.Boolean() }, { additionalProperties: false });
export const ArchiveChatParams = Type.Object({ chatId: Id, archived: Type.Boolean() }, { additionalProperties: false });
export type ArchiveChatParams = Static<typeof ArchiveChatParams>;

/** The viewer's organisation of their chat list, beside the list itself. */
export const ChatOrganisation = Type.Object({
  /** Pinned chats, top first. */
  pinned: Type.Array(Type.String()),
  /** Archived chats: those whose last message came before they were archived, or that are muted. */
  archived: Type.Array(Type.String()),
});
export type ChatOrganisation = Static<typeof ChatOrganisation>;

export const PinnedMessage = Type.Object({ message: Message, pinnedBy: Nullable(Type.String()), pinnedAt: Timestamp });
export type PinnedMessage = Static<typeof PinnedMessage>;
export const PinnedMessageList = Type.Object({
  /** Newest pin first. */
  items: Type.Array(PinnedMessage),
  /** Groups: whether every member may pin (otherwise the owner and admins). */
  membersCanPin: Type.Boolean(),
  /** Whether the viewer may pin and unpin here. */
  canPin: Type.Boolean(),
});
export type PinnedMessageList = Static<typeof PinnedMessageList>;

export const MessagePinParams = Type.Object({ chatId: Id, messageId: Id }, { additionalProperties: false });
export type MessagePinParams = Static<typeof MessagePinParams>;
