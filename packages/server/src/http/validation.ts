/**
 * Schema validation for every HTTP input. Bodies are validated strictly (a number is not
 * a string); query strings and path params are text on the wire, so they get type
 * coercion. Errors are turned into `validation_failed` naming the field path.
 */
import type { ValidationDetails } from '@parley/protocol';
import { Ajv, type ErrorObject, type Options } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import type { FastifySchemaValidationError } from 'fastify/types/schema.js';

// ajv-formats ships CommonJS; under NodeNext its default export is the module object.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv) => Ajv;

const base: Options = { allErrors: false, strict: false, useDefaults: true, removeAdditional: false };

export const bodyAjv = addFormats(new Ajv({ ...base, coerceTypes: false }));
export const textAjv = addFormats(new Ajv({ ...base, coerceTypes: 'array' }));

/** Turns the first schema error into a location, dotted field path and rule. */
export function describeValidationError(
  error: Pick<ErrorObject, 'instancePath' | 'keyword' | 'params' | 'message'> | FastifySchemaValidationError,
  location: string,
): ValidationDetails & { message: string } {
  const path = error.instancePath.split('/').filter(Boolean);
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required' && typeof params.missingProperty === 'string') path.push(params.missingProperty);
  if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    path.push(params.additionalProperty);
  }
  const field = path.join('.');
  const subject = field || location;
  const message =
    error.keyword === 'required'
      ? `${subject} is required`
      : error.keyword === 'additionalProperties'
        ? `${subject} is not a known field`
        : error.keyword === 'pattern' && String(params.pattern).includes('u0000')
          ? `${subject} must not contain NUL characters`
          : `${subject} ${error.message ?? 'is invalid'}`;
  return { location, field, rule: error.keyword, message };
}
