import { describe, expect, it } from 'vitest';
import { textDirection } from './direction.js';

describe('textDirection', () => {
  it('follows the first strongly directional character, like dir="auto"', () => {
    expect(textDirection('שלום world')).toBe('rtl');
    expect(textDirection('123 مرحبا')).toBe('rtl');
    expect(textDirection('hello שלום')).toBe('ltr');
    expect(textDirection('привет')).toBe('ltr');
    expect(textDirection('日本語')).toBe('ltr');
    expect(textDirection('👍 123 !')).toBe('ltr');
    expect(textDirection('')).toBe('ltr');
  });
});
