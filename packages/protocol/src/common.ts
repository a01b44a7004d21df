/** Schema building blocks every domain uses: ids, text, timestamps, pages, errors. */
import { type IntegerOptions, type StringOptions, type TSchema, Type } from '@sinclair/typebox';
import { ERROR_CODES } from './errors.js';
import { NAME_KEYWORD } from './text.js';

/**
 * Text that may hold any Unicode but never a NUL character: PostgreSQL refuses NUL in
 * text columns, so it is turned away at the edge with a clear 400 instead of a 500.
 * (Unpaired surrogates are refused in every string, not only these: the server's
 * validator adds that rule to each string schema it compiles.)
 */
export const Text = (options: StringOptions = {}) => Type.String({ pattern: '^[^\\u0000]*$', ...options });

/** A name people are shown by: text without bidi controls and with something visible (text.ts). */
export const Name = (options: StringOptions = {}) => Text({ ...options, [NAME_KEYWORD]: true });

/**
 * A whole number from 0 (unless narrowed) up to Number.MAX_SAFE_INTEGER: what a JavaScript
 * number holds exactly and a PostgreSQL bigint stores. Every integer of the protocol is one,
 * so `before=1e20` is a validation error naming the field, not a database error.
 */
export const SafeInteger = (options: IntegerOptions = {}) => Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, ...options });

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
  limit: Type.Optional(SafeInteger({ minimum: 1, maximum: 100, default: 20 })),
};

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    /** Pass as `cursor` to get the next page; null on the last page. */
    nextCursor: Nullable(Type.String()),
  });
