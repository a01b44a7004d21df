/**
 * Statements on the hot path, built and compiled by Kysely once per dialect instead of on
 * every call: building and compiling a query cost more CPU than SQLite takes to run it.
 * The builder is called with placeholders; each call swaps in its own values, so the SQL
 * text (and SQLite's prepared statement for it) is the same every time. Values that are
 * constants of the query (the 1 in `last_seq + 1`) stay as compiled.
 */
import { type Compilable, CompiledQuery, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';
import type { Database } from './schema.js';

class Placeholder {
  constructor(readonly index: number) {}
}

export interface Precompiled<A extends unknown[], R> {
  /** Runs with these values on `db` (a Kysely instance or a transaction). */
  execute(db: Kysely<Database>, ...values: A): Promise<R[]>;
}

export function precompile<A extends unknown[], R>(
  arity: A['length'],
  build: (db: Kysely<Database>, ...values: A) => Compilable<R>,
): Precompiled<A, R> {
  const templates = new Map<boolean, CompiledQuery<R>>();
  const templateFor = (db: Kysely<Database>): CompiledQuery<R> => {
    const postgres = isPostgres(db);
    let template = templates.get(postgres);
    if (!template) {
      const placeholders = Array.from({ length: arity }, (_, i) => new Placeholder(i)) as unknown as A;
      template = build(db, ...placeholders).compile();
      templates.set(postgres, template);
    }
    return template;
  };
  return {
    async execute(db, ...values) {
      const template = templateFor(db);
      const parameters = template.parameters.map((p) => (p instanceof Placeholder ? values[p.index] : p));
      const result = await db.executeQuery(CompiledQuery.raw(template.sql, parameters) as CompiledQuery<R>);
      return result.rows;
    },
  };
}
