/**
 * Text matching with LIKE where the searched text is literal: `%`, `_` and `\` in it are
 * escaped, and the ESCAPE clause is spelled out — SQLite honours an escape character only
 * with it (PostgreSQL defaults to backslash), so without it a search for `bob_smith` found
 * nothing on SQLite.
 */
import { type Expression, type SqlBool, sql } from 'kysely';

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export const startsWith = (column: Expression<string | null>, prefix: string) =>
  sql<SqlBool>`${column} like ${`${escapeLike(prefix)}%`} escape '\\'`;

export const contains = (column: Expression<string | null>, text: string) =>
  sql<SqlBool>`${column} like ${`%${escapeLike(text)}%`} escape '\\'`;
