/**
 * The search index port: what the rest of the server asks of a message index, with one
 * backend per database (SQLite FTS5 in sqlite-index.repo.ts, PostgreSQL tsvector + GIN in
 * postgres-index.repo.ts). Both take the same tokens from tokenise.ts, so they find the
 * same messages; the suite in search.test.ts runs unchanged on both.
 *
 * Writes take the caller's transaction: a message is indexed, reindexed or removed in the
 * very transaction that sends, edits or deletes it.
 */
import type { Kysely } from 'kysely';
import type { MessageRow } from '../../access/chat-access.js';
import { isPostgres } from '../../storage/dialect.js';
import type { Database } from '../../storage/schema.js';
import { postgresIndex } from './postgres-index.repo.js';
import { sqliteIndex } from './sqlite-index.repo.js';
import type { QueryPart } from './tokenise.js';

export interface SearchFilters {
  chatId?: string;
  senderId?: string;
  /** Created at or after / before these (ms since the epoch). */
  from?: number;
  to?: number;
  mentionsMe?: boolean;
  hasFile?: boolean;
  hasImage?: boolean;
}

export interface IndexQuery {
  viewerId: string;
  /** Every part must match (has:link is a part, see LINK_TOKEN). */
  parts: QueryPart[];
  filters: SearchFilters;
  order: 'newest' | 'relevance';
  /** Newest: the `key` of the last row of the previous page. Relevance: rows to skip. */
  after: string | null;
  offset: number;
  limit: number;
}

/** A found message and its position in the order, for the next page's cursor. */
export type FoundRow = MessageRow & { key: string };

export interface BackfillStep {
  /** Messages indexed by this step. */
  indexed: number;
  /** All messages indexed by the back-fill so far, and how many it set out to index. */
  done: number;
  total: number;
  finished: boolean;
}

/** What the index keeps of a message: its text's tokens and its chat's token. */
export type IndexedMessage = Pick<MessageRow, 'id' | 'chat_id' | 'text' | 'created_at'>;

export interface SearchIndex {
  /** Indexes a new message. */
  add(db: Kysely<Database>, message: IndexedMessage): Promise<void>;
  /** Replaces an edited message's tokens (keeping its place in the newest-first order). */
  replace(db: Kysely<Database>, message: IndexedMessage): Promise<void>;
  /** Takes a deleted message out. */
  remove(db: Kysely<Database>, messageId: string): Promise<void>;
  /** Messages the viewer may read now that match, in the order asked. */
  find(db: Kysely<Database>, query: IndexQuery): Promise<FoundRow[]>;
  /** Indexes up to `batch` of the messages that existed before the index, in one transaction. */
  backfill(db: Kysely<Database>, batch: number): Promise<BackfillStep>;
  /** Bytes the index takes on disk (for the bench). */
  size(db: Kysely<Database>): Promise<number>;
}

export const searchIndexFor = (db: Kysely<Database>): SearchIndex => (isPostgres(db) ? postgresIndex : sqliteIndex);
