import { describe, expect, it } from 'vitest';
import { isolatedParts, isolateName, withoutIsolates } from './isolate.js';

describe('names as bidi isolates', () => {
  it('marks a name and drops the bidi controls inside it', () => {
    expect(isolateName('Mal\u202Eyrol')).toBe('\u2068Malyrol\u2069');
    expect(isolateName('\u2069\u2066x\u200F\u061C')).toBe('\u2068x\u2069');
    expect(isolateName('מרים')).toBe('\u2068מרים\u2069');
  });

  it('splits a sentence into text and names again, so each name gets its own element', () => {
    const sentence = `${isolateName('Ann')} added ${isolateName('Bob\u202E')}, ${isolateName('')}`;
    expect(isolatedParts(sentence)).toEqual(['', 'Ann', ' added ', 'Bob', ', ', '', '']);
    expect(withoutIsolates(sentence)).toBe('Ann added Bob, ');
    expect(isolatedParts('no names here')).toEqual(['no names here']);
  });
});
