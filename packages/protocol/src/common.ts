/** Schema building blocks every domain uses: ids, text, timestamps, pages, errors. */
import { type StringOptions, type TSchema, Type } from '@sinclair/typebox';
import { ERROR_CODES } from './errors.js';

/**
 * Text that may hold any Unicode but never a NUL character: PostgreSQL refuses NUL in
 * text columns, so it is turned away at the edge with a clear 400 instead of a 500.
 */
export const Text = (options: StringOptions = {}) => Type.String({ pattern: '^[^\\u0000]*$', ...options });

export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });

/** ISO-8601 timestamp in UTC. */
export const Timestamp = Type.String({ format: 'date-time' });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.Union(ERROR_CODES.map((code) => Type.Literal(code))),
      message: Type.String(),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
  },
  { description: 'Every error the API returns has this shape.' },
);

/** Cursor pagination: one style for every list. */
export const PageQuery = {
  cursor: Type.Optional(Type.String({ maxLength: 512, pattern: '^[A-Za-z0-9_-]*$' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
};

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    /** Pass as `cursor` to get the next page; null on the last page. */
    nextCursor: Nullable(Type.String()),
  });
