/** Opaque pagination cursors: base64url JSON, validated when read back. */
import { AppError } from '../errors.js';

export const encodeCursor = (value: Record<string, string | number>): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function decodeCursor(cursor: string, key: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (parsed && typeof parsed === 'object' && key in parsed) {
      const value = (parsed as Record<string, unknown>)[key];
      if (typeof value === 'string' || typeof value === 'number') return String(value);
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('validation_failed', 'cursor is not a cursor this server issued', {
    location: 'query',
    field: 'cursor',
    rule: 'cursor',
  });
}
