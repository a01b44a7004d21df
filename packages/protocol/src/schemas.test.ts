/**
 * Rules every schema of the protocol keeps: each integer is bounded to the range a
 * JavaScript number holds exactly, so no value reaches a database as something it cannot
 * store (PostgreSQL's bigint) or the server as a rounded number.
 */
import type { TSchema } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import * as protocol from './index.js';

const isSchema = (value: unknown): value is TSchema => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every sub-schema with its path, following properties, items, unions and records. */
function* walk(schema: unknown, path: string): Generator<[string, Record<string, unknown>]> {
  if (!isSchema(schema)) return;
  const node = schema as Record<string, unknown>;
  yield [path, node];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' || key === 'patternProperties') {
      for (const [name, child] of Object.entries(value as Record<string, unknown>)) yield* walk(child, `${path}.${name}`);
    } else if (key === 'anyOf' || key === 'allOf' || key === 'oneOf') {
      for (const [i, child] of (value as unknown[]).entries()) yield* walk(child, `${path}|${i}`);
    } else if (key === 'items' || key === 'additionalProperties' || key === 'not') {
      yield* walk(value, `${path}[]`);
    }
  }
}

const schemas = Object.entries(protocol).filter(([, value]) => isSchema(value) && typeof (value as { type?: unknown }).type === 'string');

describe('protocol schemas', () => {
  it('has schemas to check', () => {
    expect(schemas.length).toBeGreaterThan(30);
  });

  it('bounds every integer between a minimum and a maximum no larger than Number.MAX_SAFE_INTEGER', () => {
    const unbounded: string[] = [];
    for (const [name, schema] of schemas) {
      for (const [path, node] of walk(schema, name)) {
        if (node.type !== 'integer' && node.type !== 'number') continue;
        // A literal (`Type.Literal(30)`) is one value: bounded by itself.
        if (typeof (node as { const?: unknown }).const === 'number') continue;
        const { minimum, maximum } = node as { minimum?: unknown; maximum?: unknown };
        const bounded =
          typeof minimum === 'number' &&
          typeof maximum === 'number' &&
          minimum >= Number.MIN_SAFE_INTEGER &&
          maximum <= Number.MAX_SAFE_INTEGER &&
          minimum <= maximum;
        if (!bounded) unbounded.push(path);
      }
    }
    expect(unbounded).toEqual([]);
  });
});
