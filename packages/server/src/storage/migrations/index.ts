/**
 * Every migration, in order. Listed here rather than read from disk so the same list
 * works from TypeScript sources (tests) and compiled output (production).
 */
import type { Migration } from 'kysely';
import * as accounts from './0001-accounts.js';
import * as chats from './0002-chats.js';
import * as streams from './0003-streams.js';
import * as jobs from './0004-jobs.js';

export const MIGRATIONS: Record<string, Migration> = {
  '0001-accounts': accounts,
  '0002-chats': chats,
  '0003-streams': streams,
  '0004-jobs': jobs,
};
