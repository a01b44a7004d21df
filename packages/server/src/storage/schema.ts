/**
 * The database as Kysely sees it: one interface per table. Timestamps are integer
 * milliseconds since the epoch on both dialects, so ordering and arithmetic agree.
 */
import type { Generated } from 'kysely';

export interface UsersTable {
  id: string;
  username: string;
  email: string | null;
  display_name: string;
  /** Lowercased display name, for prefix search that ignores case on both dialects. */
  display_name_search: string;
  status_text: string;
  bio: string;
  password_hash: string | null;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
  last_seen_at: number | null;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  /** SHA-256 of the token; the token itself is never stored. */
  token_hash: string;
  user_agent: string;
  ip: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
}

export type { Generated };
