/**
 * A list of ids as one statement parameter, so a statement taking "these ids" has one SQL
 * text however many there are and can be precompiled (storage/precompiled.ts): SQLite
 * reads a JSON array with `json_each`, PostgreSQL a text array with `unnest`. An `in (…)`
 * with a placeholder per id is a new statement for every length.
 */
import { type Expression, type Kysely, sql } from 'kysely';
import { isPostgres } from './dialect.js';

/** Rows of the ids in the parameter: the right side of `column in (…)`. */
export const idsIn = (db: Pick<Kysely<unknown>, 'getExecutor'>, ids: unknown): Expression<string> =>
  isPostgres(db) ? sql<string>`(select unnest(${ids}::text[]))` : sql<string>`(select value from json_each(${ids}))`;

/** The parameter `idsIn` reads, in this dialect's form. */
export const idListParameter = (db: Pick<Kysely<unknown>, 'getExecutor'>, ids: readonly string[]): unknown =>
  isPostgres(db) ? ids : JSON.stringify(ids);
