/**
 * Tables of running a server (issue 15, migration 0010-admin): server roles and
 * suspension on users, archive and retention on chats, settings, invites, the audit log,
 * bots, webhooks and data exports. Kept beside schema.ts, which lists them in `Database`.
 */
import type { Generated } from 'kysely';

/** Columns added to users; the database defaults them (`server_role` to 'user', the rest to null). */
export interface UserAdminColumns {
  server_role: Generated<'admin' | 'moderator' | 'user'>;
  suspended_at: Generated<number | null>;
  suspended_reason: Generated<string | null>;
  /** Set on bot accounts: the person who runs the bot. */
  bot_owner_id: Generated<string | null>;
}

/** Columns added to chats, null by default. */
export interface ChatAdminColumns {
  /** An archived room is read-only and out of the directory. */
  archived_at: Generated<number | null>;
  /** Messages older than this many days are removed; null follows the server setting. */
  retention_days: Generated<number | null>;
}

export interface ServerSettingsTable {
  key: string;
  /** JSON */
  value: string;
  updated_at: number;
}

export interface AuditLogTable {
  id: string;
  at: number;
  actor_id: string | null;
  actor_name: string;
  action: string;
  target_type: string;
  target_id: string | null;
  /** JSON object */
  details: string;
  ip: string;
}

export interface InvitesTable {
  id: string;
  /** SHA-256 of the code; the code itself is shown once. */
  code_hash: string;
  created_by: string | null;
  created_at: number;
  expires_at: number | null;
  max_uses: number | null;
  uses: number;
  revoked_at: number | null;
}

export interface BotTokensTable {
  id: string;
  bot_id: string;
  token_hash: string;
  created_at: number;
}

export interface BotScopesTable {
  bot_id: string;
  chat_id: string;
  /** 1: read and post; 0: read only. */
  can_post: number;
}

export interface WebhooksTable {
  id: string;
  chat_id: string;
  direction: 'incoming' | 'outgoing';
  bot_id: string;
  created_by: string;
  name: string;
  token_hash: string | null;
  url: string | null;
  secret: string | null;
  trigger_word: string | null;
  created_at: number;
  revoked_at: number | null;
}

export interface DataExportsTable {
  id: string;
  user_id: string;
  status: 'pending' | 'ready' | 'failed';
  token_hash: string | null;
  path: string | null;
  size: number | null;
  error: string | null;
  created_at: number;
  ready_at: number | null;
  expires_at: number | null;
}
