/** Messages: text, replies, forwards, private messages inside groups, reactions, mentions. */
import { type Static, Type } from '@sinclair/typebox';
import { Attachment, AttachmentIds } from './attachments.js';
import { Id, Nullable, SafeInteger, Text, Timestamp } from './common.js';
import { LinkPreview } from './link-previews.js';
import { Poll } from './polls.js';
import { ThreadSummary } from './thread-summary.js';

export const MESSAGE_MAX_LENGTH = 10_000;

export const MessageText = Text({ minLength: 1, maxLength: MESSAGE_MAX_LENGTH });
/** One emoji (or a short emoji sequence: skin tones, ZWJ families, flags). */
export const Emoji = Type.String({ minLength: 1, maxLength: 32, pattern: '^[^\\s\\u0000]+$' });
/** Client-chosen id that makes a send idempotent (E14). */
export const ClientMessageId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });

export const MessageAuthor = Type.Object({
  id: Id,
  username: Type.String(),
  displayName: Type.String(),
  /** A bot account (J8); absent for people. */
  bot: Type.Optional(Type.Literal(true)),
});

export const ReplyPreview = Type.Object({
  id: Id,
  seq: SafeInteger(),
  senderId: Nullable(Type.String()),
  senderName: Type.String(),
  /** First 200 characters; empty if the original was deleted. */
  text: Type.String(),
  deleted: Type.Boolean(),
});

export const ForwardedFrom = Type.Object({
  messageId: Id,
  chatId: Id,
  senderId: Nullable(Type.String()),
  senderName: Type.String(),
});

export const SystemAction = Type.Union(
  ['created', 'joined', 'left', 'added', 'removed', 'renamed', 'updated', 'role_changed', 'ownership_transferred'].map((a) =>
    Type.Literal(a),
  ),
);

export const SystemInfo = Type.Object({
  action: SystemAction,
  actorId: Nullable(Type.String()),
  targetIds: Type.Array(Type.String()),
  name: Type.Optional(Type.String()),
  role: Type.Optional(Type.String()),
});
export type SystemInfo = Static<typeof SystemInfo>;

export const Reaction = Type.Object({ emoji: Type.String(), count: SafeInteger(), userIds: Type.Array(Type.String()) });

export const Message = Type.Object({
  id: Id,
  chatId: Id,
  /** Position in the chat: gapless over all messages, the same for every member. */
  seq: SafeInteger(),
  kind: Type.Union([Type.Literal('text'), Type.Literal('system')]),
  senderId: Nullable(Type.String()),
  sender: Nullable(MessageAuthor),
  clientId: Nullable(Type.String()),
  text: Type.String(),
  /** The quoted original; null when none, or when some who see this message could not see it. */
  replyTo: Nullable(ReplyPreview),
  forwardedFrom: Nullable(ForwardedFrom),
  /** Set on a private message inside a group or room: only sender and this user see it. */
  privateTo: Nullable(Type.String()),
  system: Nullable(SystemInfo),
  mentions: Type.Array(Type.String(), { description: 'user ids mentioned by @username' }),
  /** `@all`: every member but the sender is mentioned (not listed one by one in `mentions`). */
  mentionsAll: Type.Boolean(),
  reactions: Type.Array(Reaction),
  /** Files sent with the message, in order (always present from the server; empty when none or deleted). */
  attachments: Type.Optional(Type.Array(Attachment)),
  /** Present on a poll (E16, polls.ts): the question, options and results. */
  poll: Type.Optional(Poll),
  /** A reply in a thread (E15, threads.ts): the root message's id. */
  threadRootId: Type.Optional(Id),
  /** A thread reply that was also sent to the chat, where it shows too. */
  alsoToChat: Type.Optional(Type.Literal(true)),
  /** On a thread root with replies: their count, the last repliers and the last reply's time. */
  thread: Type.Optional(ThreadSummary),
  /** The first link's preview (E18, link-previews.ts), once the server fetched it; absent when none or removed. */
  linkPreview: Type.Optional(LinkPreview),
  createdAt: Timestamp,
  editedAt: Nullable(Timestamp),
  deletedAt: Nullable(Timestamp),
});
export type Message = Static<typeof Message>;

export const MessagePage = Type.Object({
  items: Type.Array(Message, { description: 'oldest first' }),
  /** True when older / newer messages exist beyond this page. */
  hasOlder: Type.Boolean(),
  hasNewer: Type.Boolean(),
});
export type MessagePage = Static<typeof MessagePage>;

export const HistoryQuery = Type.Object(
  {
    before: Type.Optional(SafeInteger({ minimum: 1, description: 'messages with seq below this' })),
    after: Type.Optional(SafeInteger({ minimum: 0, description: 'messages with seq above this' })),
    around: Type.Optional(Id),
    q: Type.Optional(Text({ minLength: 1, maxLength: 200, description: 'only messages containing this text' })),
    limit: Type.Optional(SafeInteger({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type HistoryQuery = Static<typeof HistoryQuery>;

/** The text of a send: may be empty when the message carries attachments (a caption is optional). */
export const SendText = Text({ maxLength: MESSAGE_MAX_LENGTH });

export const SendMessageFields = {
  clientId: ClientMessageId,
  text: SendText,
  /** Your uploaded files (tus), shown in this order. */
  attachments: Type.Optional(AttachmentIds),
  replyTo: Type.Optional(Id),
  privateTo: Type.Optional(Id),
  /** Reply in the thread of this message (E15); it then shows in the thread, not the chat… */
  threadRootId: Type.Optional(Id),
  /** …unless also sent to the chat. */
  alsoToChat: Type.Optional(Type.Boolean()),
};
export const SendMessageBody = Type.Object(SendMessageFields, { additionalProperties: false });
export const SendMessageParams = Type.Object({ chatId: Id, ...SendMessageFields }, { additionalProperties: false });
export type SendMessageParams = Static<typeof SendMessageParams>;

export const EditMessageBody = Type.Object({ text: MessageText }, { additionalProperties: false });
export const EditMessageParams = Type.Object({ chatId: Id, messageId: Id, text: MessageText }, { additionalProperties: false });
export type EditMessageParams = Static<typeof EditMessageParams>;

export const MessageRef = Type.Object({ chatId: Id, messageId: Id }, { additionalProperties: false });
export type MessageRef = Static<typeof MessageRef>;

export const ForwardBody = Type.Object(
  {
    messageIds: Type.Array(Id, { minItems: 1, maxItems: 100, uniqueItems: true }),
    toChatIds: Type.Array(Id, { minItems: 1, maxItems: 20, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export const ForwardParams = Type.Object(
  {
    chatId: Id,
    messageIds: Type.Array(Id, { minItems: 1, maxItems: 100, uniqueItems: true }),
    toChatIds: Type.Array(Id, { minItems: 1, maxItems: 20, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type ForwardParams = Static<typeof ForwardParams>;
export const ForwardResult = Type.Object({ items: Type.Array(Message) });

export const ReactionParams = Type.Object({ chatId: Id, messageId: Id, emoji: Emoji }, { additionalProperties: false });
export type ReactionParams = Static<typeof ReactionParams>;

export const SeenBy = Type.Object({
  items: Type.Array(Type.Object({ userId: Type.String(), displayName: Type.String(), lastReadSeq: SafeInteger() })),
});
export type SeenBy = Static<typeof SeenBy>;

export const MessageParams = Type.Object({ id: Id, messageId: Id });
export const ReactionPathParams = Type.Object({ id: Id, messageId: Id, emoji: Emoji });
