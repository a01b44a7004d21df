/**
 * Tables of notifications and email (issue 14, migration 0008-notifications). Kept beside
 * schema.ts, which lists them in `Database`.
 */

/** A single-use token sent by email; only hashes are stored. */
export interface EmailTokensTable {
  id: string;
  user_id: string;
  /** `verify`: confirms `email` (the account's, or the new one it changes to); `reset`: a password reset. */
  purpose: 'verify' | 'reset';
  /** SHA-256 of the link's token. */
  token_hash: string;
  /** Password reset: SHA-256 of the short code (with the token id), to type instead of following the link. */
  code_hash: string | null;
  email: string;
  /** Wrong codes typed against this token; it dies after a few. */
  attempts: number;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** Keys the server makes itself at first start (VAPID, the unsubscribe signing key). */
export interface ServerKeysTable {
  name: string;
  value: string;
  created_at: number;
}

export interface PushSubscriptionsTable {
  id: string;
  user_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  device_name: string;
  created_at: number;
}

export interface ChatPushLevelsTable {
  chat_id: string;
  user_id: string;
  level: 'all' | 'mentions' | 'nothing';
}

export interface NotificationSettingsTable {
  user_id: string;
  language: string;
  time_zone: string;
  email_digest: number;
  digest_delay_minutes: number;
  /** JSON QuietPeriod[] */
  quiet_hours: string;
  dnd_until: number | null;
  quiet_allow_starred: number;
  /** Messages created up to this time were already considered for a missed-message email. */
  digest_watermark: number;
  updated_at: number;
}

/** The newest message seq pushed to a person in a chat, so reading it elsewhere can close the notification. */
export interface PushNotifiedTable {
  user_id: string;
  chat_id: string;
  seq: number;
}
