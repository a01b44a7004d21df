/**
 * Bots and webhooks (J8). A bot is an account run by a program for the person who owns
 * it: its own token (`Authorization: Bearer pb_…`, or in `hello`), the same REST and
 * WebSocket API as everyone, limited to its scope — the chats it may read, and of those
 * the ones it may post to. Incoming webhooks post into a chat as a bot through a secret
 * URL; outgoing webhooks POST a chat's new messages (or those starting with a trigger
 * word) to a URL, signed.
 */
import { type Static, Type } from '@sinclair/typebox';
import { Id, Name, Nullable, SafeInteger, Text, Timestamp } from './common.js';
import { PublicUser, Username } from './users.js';

export const BOT_TOKEN_PREFIX = 'pb_';

export const BotScope = Type.Object({ chatId: Id, chatName: Type.String(), post: Type.Boolean() });
export type BotScope = Static<typeof BotScope>;

export const Bot = Type.Object({ user: PublicUser, ownerId: Id, scopes: Type.Array(BotScope), createdAt: Timestamp });
export type Bot = Static<typeof Bot>;

export const BotList = Type.Object({ items: Type.Array(Bot) });
export type BotList = Static<typeof BotList>;

export const CreateBotBody = Type.Object(
  { username: Username, displayName: Name({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
export type CreateBotBody = Static<typeof CreateBotBody>;

/** A bot with its token: shown once, when created or when the token is replaced. */
export const BotWithToken = Type.Object({ bot: Bot, token: Type.String() });
export type BotWithToken = Static<typeof BotWithToken>;

export const BotParams = Type.Object({ botId: Id });
export const BotScopeParams = Type.Object({ botId: Id, chatId: Id });

export const SetBotScopeBody = Type.Object(
  { post: Type.Boolean({ description: 'May post (true) or only read (false)' }) },
  { additionalProperties: false },
);
export type SetBotScopeBody = Static<typeof SetBotScopeBody>;

export const Webhook = Type.Object({
  id: Id,
  chatId: Id,
  direction: Type.Union([Type.Literal('incoming'), Type.Literal('outgoing')]),
  name: Type.String(),
  botId: Id,
  /** Outgoing: where new messages are POSTed. */
  url: Nullable(Type.String()),
  /** Outgoing: only messages whose text starts with this word; null for every message. */
  triggerWord: Nullable(Type.String()),
  createdAt: Timestamp,
  revoked: Type.Boolean(),
  /**
   * Shown once, at creation. Incoming: the path to POST to (`/api/v1/hooks/<secret>`).
   * Outgoing: the secret that signs each delivery (X-Parley-Signature).
   */
  secret: Nullable(Type.String()),
});
export type Webhook = Static<typeof Webhook>;

export const WebhookList = Type.Object({ items: Type.Array(Webhook) });
export type WebhookList = Static<typeof WebhookList>;

export const CreateWebhookBody = Type.Object(
  {
    direction: Type.Union([Type.Literal('incoming'), Type.Literal('outgoing')]),
    name: Name({ minLength: 1, maxLength: 64 }),
    /** One of your bots; it gets read (outgoing) or post (incoming) scope on the chat. */
    botId: Id,
    url: Type.Optional(Type.String({ maxLength: 2000, pattern: '^https?://' })),
    triggerWord: Type.Optional(Text({ minLength: 1, maxLength: 32, pattern: '^\\S+$' })),
  },
  { additionalProperties: false },
);
export type CreateWebhookBody = Static<typeof CreateWebhookBody>;

export const WebhookParams = Type.Object({ id: Id, webhookId: Id });
export const HookTokenParams = Type.Object({ token: Type.String({ minLength: 20, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' }) });

export const IncomingHookBody = Type.Object(
  {
    text: Text({ minLength: 1, maxLength: 10_000 }),
    /** Files uploaded earlier by the webhook's bot (issue 11), attached to the message. */
    attachments: Type.Optional(Type.Array(Id, { maxItems: 10 })),
  },
  { additionalProperties: false },
);
export type IncomingHookBody = Static<typeof IncomingHookBody>;

/** What an outgoing webhook POSTs. */
export const OutgoingHookPayload = Type.Object({
  event: Type.Literal('message.created'),
  webhookId: Id,
  chat: Type.Object({ id: Id, name: Type.String() }),
  message: Type.Object({
    id: Id,
    seq: SafeInteger({ minimum: 1 }),
    text: Type.String(),
    senderId: Nullable(Id),
    senderUsername: Nullable(Type.String()),
    createdAt: Timestamp,
  }),
});
export type OutgoingHookPayload = Static<typeof OutgoingHookPayload>;

/** Header names of a signed delivery: `v1=` hex HMAC-SHA256 of `<timestamp>.<body>` with the secret. */
export const WEBHOOK_SIGNATURE_HEADER = 'x-parley-signature';
export const WEBHOOK_TIMESTAMP_HEADER = 'x-parley-timestamp';
