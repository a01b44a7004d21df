/**
 * Schema validation for every HTTP input. Bodies are validated strictly (a number is not
 * a string); query strings and path params are text on the wire, so they get type
 * coercion. Errors are turned into `validation_failed` naming the field path.
 *
 * Every string of every input must also be well-formed UTF-16: a lone surrogate
 * (`"\ud800"` in JSON) is not text — SQLite stores it as three U+FFFD, PostgreSQL as one,
 * while the ack and the event would echo it unchanged. The `wellFormed` keyword below is
 * added to each string schema as it is compiled, so no schema can forget it. Names people
 * are shown by (protocol's `Name`) also refuse bidi controls and invisible-only text.
 */
import { hasBidiControl, isInvisible, NAME_KEYWORD, type ValidationDetails } from '@parley/protocol';
import { Ajv, type AnySchema, type ErrorObject, type Options, type SchemaValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import type { FastifySchemaValidationError } from 'fastify/types/schema.js';

// ajv-formats ships CommonJS; under NodeNext its default export is the module object.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv) => Ajv;

const base: Options = { allErrors: false, strict: false, useDefaults: true, removeAdditional: false };

/** In u-mode a surrogate that is half of a pair is part of one code point; only lone ones match. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Keywords whose value is a schema, or a list or map of schemas; everything else is data. */
const SUBSCHEMA = new Set(['items', 'additionalItems', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames']);
const SUBSCHEMA_LIST = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items']);
const SUBSCHEMA_MAP = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A copy of the schema in which every string schema also requires `wellFormed`. */
export function withWellFormedStrings(schema: unknown): unknown {
  if (!isObject(schema)) return schema;
  const copy: Record<string, unknown> = { ...schema };
  const types = Array.isArray(copy.type) ? copy.type : [copy.type];
  if (types.includes('string') && copy.wellFormed === undefined) copy.wellFormed = true;
  for (const [key, value] of Object.entries(copy)) {
    if (SUBSCHEMA_LIST.has(key) && Array.isArray(value)) copy[key] = value.map(withWellFormedStrings);
    else if (SUBSCHEMA.has(key)) copy[key] = withWellFormedStrings(value);
    else if (SUBSCHEMA_MAP.has(key) && isObject(value)) {
      copy[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, withWellFormedStrings(child)]));
    }
  }
  return copy;
}

/** Names people are shown by (protocol's `Name`): the rule that fails is named in the error. */
const checkName: SchemaValidateFunction = (enabled: boolean, data: string) => {
  checkName.errors = [];
  if (!enabled) return true;
  if (hasBidiControl(data)) {
    checkName.errors = [{ keyword: 'bidiControl', message: 'must not contain bidirectional control characters', params: {} }];
  } else if (isInvisible(data)) {
    checkName.errors = [{ keyword: 'visible', message: 'must contain a visible character', params: {} }];
  }
  return checkName.errors.length === 0;
};

function withTextRules(ajv: Ajv): Ajv {
  ajv.addKeyword({ keyword: NAME_KEYWORD, type: 'string', schemaType: 'boolean', errors: true, validate: checkName });
  ajv.addKeyword({
    keyword: 'wellFormed',
    type: 'string',
    schemaType: 'boolean',
    validate: (enabled: boolean, data: string) => !enabled || !LONE_SURROGATE.test(data),
  });
  // Every caller (Fastify's validator compiler, the socket's command table) compiles here.
  const compile = ajv.compile.bind(ajv) as (schema: AnySchema, meta?: boolean) => unknown;
  ajv.compile = ((schema: AnySchema, meta?: boolean) => compile(withWellFormedStrings(schema) as AnySchema, meta)) as Ajv['compile'];
  return ajv;
}

export const bodyAjv = withTextRules(addFormats(new Ajv({ ...base, coerceTypes: false })));
export const textAjv = withTextRules(addFormats(new Ajv({ ...base, coerceTypes: 'array' })));

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
          : error.keyword === 'wellFormed'
            ? `${subject} must not contain unpaired UTF-16 surrogates`
            : `${subject} ${error.message ?? 'is invalid'}`;
  return { location, field, rule: error.keyword, message };
}
