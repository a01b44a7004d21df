import { describe, expect, it } from 'vitest';
import { characterCount, splitForSending, trimToLimit } from './split.js';

describe('long text', () => {
  it('counts characters as the server does: an emoji or a supplementary-plane character is one', () => {
    expect(characterCount('a😀𠀋')).toBe(3);
  });

  it('splits at paragraph, line or space breaks into pieces within the limit, losing no text', () => {
    const text = `${'alpha '.repeat(3)}\n\n${'beta '.repeat(3)}\n${'gamma '.repeat(4)}`;
    const parts = splitForSending(text, 20);
    for (const part of parts) expect(characterCount(part)).toBeLessThanOrEqual(20);
    expect(parts.join(' ').replace(/\s+/g, ' ')).toBe(text.trim().replace(/\s+/g, ' '));
    expect(parts[0]).toBe('alpha alpha alpha');
  });

  it('cuts a text with no breaks at the limit, never inside a surrogate pair', () => {
    const parts = splitForSending('😀'.repeat(25), 10);
    expect(parts.map(characterCount)).toEqual([10, 10, 5]);
    expect(parts.join('')).toBe('😀'.repeat(25));
    expect(trimToLimit('😀'.repeat(12), 10)).toBe('😀'.repeat(10));
  });

  it('leaves a text within the limit as one message', () => {
    expect(splitForSending('  hello  ', 10)).toEqual(['hello']);
  });
});
