/**
 * Notifications and email (issue 14): what the server can do (server info), email
 * verification, password reset, Web Push subscriptions, per-chat push levels,
 * missed-message emails and quiet hours.
 */
import { type Static, Type } from '@sinclair/typebox';
import { Email, Password } from './auth.js';
import { Id, Nullable, SafeInteger, Text, Timestamp } from './common.js';

/** The languages Parley writes mail in (the web app's locales). */
export const MAIL_LANGUAGES = ['en', 'ru', 'zh', 'ja', 'ko'] as const;
export type MailLanguage = (typeof MAIL_LANGUAGES)[number];
export const Language = Type.Union(
  MAIL_LANGUAGES.map((l) => Type.Literal(l)),
  { description: 'en, ru, zh, ja or ko' },
);

/** Public, unauthenticated: what this server is configured to do, so clients promise nothing it can't. */
export const ServerInfo = Type.Object({
  /** SMTP is configured: verification, password reset and missed-message emails are sent. */
  mail: Type.Boolean(),
  /** Signing in needs a verified email address. */
  requireEmailVerification: Type.Boolean(),
  /** The VAPID public key (base64url) to subscribe to Web Push with. */
  vapidPublicKey: Type.String(),
});
export type ServerInfo = Static<typeof ServerInfo>;

export const VerifyEmailBody = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' }) },
  { additionalProperties: false },
);
export type VerifyEmailBody = Static<typeof VerifyEmailBody>;

/** Resend a verification link; signed out (with `email`) the answer is the same whether or not it has an account. */
export const ResendVerificationBody = Type.Object(
  { email: Type.Optional(Email), language: Type.Optional(Language) },
  { additionalProperties: false },
);
export type ResendVerificationBody = Static<typeof ResendVerificationBody>;

export const ChangeEmailBody = Type.Object(
  { email: Email, password: Type.String({ minLength: 1, maxLength: 1024 }) },
  { additionalProperties: false },
);
export type ChangeEmailBody = Static<typeof ChangeEmailBody>;

export const PasswordResetRequestBody = Type.Object(
  {
    email: Email,
    /** Used when the address has no account language yet. */
    language: Type.Optional(Language),
  },
  { additionalProperties: false },
);
export type PasswordResetRequestBody = Static<typeof PasswordResetRequestBody>;

/** Either the link's token, or the address and the short code from the email. */
export const PasswordResetConfirmBody = Type.Object(
  {
    token: Type.Optional(Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' })),
    email: Type.Optional(Email),
    code: Type.Optional(Type.String({ minLength: 1, maxLength: 16, pattern: '^[0-9 -]+$' })),
    password: Password,
  },
  { additionalProperties: false },
);
export type PasswordResetConfirmBody = Static<typeof PasswordResetConfirmBody>;

export const PushLevel = Type.Union([Type.Literal('all'), Type.Literal('mentions'), Type.Literal('nothing')]);
export type PushLevel = Static<typeof PushLevel>;

/** Minutes from midnight, local time. */
const Minute = Type.Integer({ minimum: 0, maximum: 1440 });

/** One quiet stretch on a weekday (0 = Sunday … 6 = Saturday); an end before the start runs past midnight. */
export const QuietPeriod = Type.Object(
  { day: Type.Integer({ minimum: 0, maximum: 6 }), start: Minute, end: Minute },
  { additionalProperties: false },
);
export type QuietPeriod = Static<typeof QuietPeriod>;

export const NotificationSettings = Type.Object({
  /** The language of the emails you receive. */
  language: Language,
  /** IANA time zone the quiet-hours schedule is in. */
  timeZone: Type.String(),
  /** Missed-message emails. */
  emailDigest: Type.Boolean(),
  /** Minutes a DM or mention stays unread before it is emailed. */
  digestDelayMinutes: SafeInteger({ maximum: 1440 }),
  quietHours: Type.Array(QuietPeriod),
  /** "Do not disturb until …"; null when off. */
  doNotDisturbUntil: Nullable(Timestamp),
  /** Direct messages from starred contacts come through quiet hours. */
  quietAllowStarred: Type.Boolean(),
  /** Whether quiet hours or do-not-disturb hold notifications right now. */
  quietNow: Type.Boolean(),
});
export type NotificationSettings = Static<typeof NotificationSettings>;

export const DIGEST_DELAYS = [5, 15, 30, 60, 240] as const;

export const UpdateNotificationSettingsBody = Type.Object(
  {
    language: Type.Optional(Language),
    timeZone: Type.Optional(Text({ minLength: 1, maxLength: 64 })),
    emailDigest: Type.Optional(Type.Boolean()),
    digestDelayMinutes: Type.Optional(Type.Union(DIGEST_DELAYS.map((d) => Type.Literal(d)))),
    quietHours: Type.Optional(Type.Array(QuietPeriod, { maxItems: 28 })),
    doNotDisturbUntil: Type.Optional(Nullable(Timestamp)),
    quietAllowStarred: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateNotificationSettingsBody = Static<typeof UpdateNotificationSettingsBody>;

export const PushSubscriptionBody = Type.Object(
  {
    endpoint: Type.String({ minLength: 8, maxLength: 2048, pattern: '^https?://' }),
    keys: Type.Object(
      {
        p256dh: Type.String({ minLength: 16, maxLength: 256, pattern: '^[A-Za-z0-9_=-]+$' }),
        auth: Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_=-]+$' }),
      },
      { additionalProperties: false },
    ),
    /** Shown in the device list; the server uses the User-Agent header when it is missing. */
    deviceName: Type.Optional(Text({ maxLength: 120 })),
  },
  { additionalProperties: false },
);
export type PushSubscriptionBody = Static<typeof PushSubscriptionBody>;

export const PushDevice = Type.Object({
  id: Id,
  deviceName: Type.String(),
  /** The endpoint's origin (the push service), not the secret path. */
  service: Type.String(),
  createdAt: Timestamp,
});
export type PushDevice = Static<typeof PushDevice>;

export const PushDeviceList = Type.Object({ items: Type.Array(PushDevice) });
export type PushDeviceList = Static<typeof PushDeviceList>;

export const ChatPushLevelBody = Type.Object({ level: Type.Union([PushLevel, Type.Literal('default')]) }, { additionalProperties: false });
export type ChatPushLevelBody = Static<typeof ChatPushLevelBody>;

/** A chat's push level: `default` is all for direct chats, mentions elsewhere. */
export const ChatPushLevel = Type.Object({ chatId: Id, level: Type.Union([PushLevel, Type.Literal('default')]), effective: PushLevel });
export type ChatPushLevel = Static<typeof ChatPushLevel>;

export const ChatPushLevelList = Type.Object({ items: Type.Array(ChatPushLevel) });
export type ChatPushLevelList = Static<typeof ChatPushLevelList>;

export const UnsubscribeQuery = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 256, pattern: '^[A-Za-z0-9_.-]+$' }) },
  { additionalProperties: false },
);

/**
 * What the service worker gets in a push (JSON). `close` closes that chat's notification: it
 * was read elsewhere. `threadRootId` marks a reply only in a thread, and a `close` of that
 * thread's notification (the thread was read), which is apart from the chat's.
 */
export type PushPayload =
  | { type: 'message'; chatId: string; messageId: string; seq: number; title: string; body: string; url: string; threadRootId?: string }
  | { type: 'close'; chatId: string; threadRootId?: string };
