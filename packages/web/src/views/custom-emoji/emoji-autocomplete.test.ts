/** `:name` autocomplete in the composer: when it opens, what it offers (the picker's search) and what choosing one writes. */
import type { CustomEmoji } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { emojiQueryBefore, emojiSuggestions, insertSuggestion } from './emoji-autocomplete.js';
import { loadEmojiIndex, type SearchResult } from './emoji-search.js';

const parrot: CustomEmoji = { id: 'e1', shortName: 'party_parrot', animated: true, createdBy: null, createdAt: '2026-01-01T00:00:00.000Z' };
const shipIt: CustomEmoji = { id: 'e2', shortName: 'ship_it', animated: false, createdBy: null, createdAt: '2026-01-01T00:00:00.000Z' };
const custom = (emoji: CustomEmoji): SearchResult => ({ kind: 'custom', emoji });
const standard = (unicode: string): SearchResult => ({ kind: 'standard', unicode, label: '' });

describe('emojiQueryBefore', () => {
  it('opens on a colon at the start or after a space or bracket, followed by two or more characters', () => {
    expect(emojiQueryBefore(':pa')).toBe('pa');
    expect(emojiQueryBefore('well :party_p')).toBe('party_p');
    expect(emojiQueryBefore('(:ok')).toBe('ok');
    expect(emojiQueryBefore('котик :кот')).toBe('кот');
    expect(emojiQueryBefore('見て :ねこ')).toBe('ねこ');
  });

  it('stays closed for one character, times, links, a finished :name: and text after a space', () => {
    expect(emojiQueryBefore(':p')).toBeNull();
    expect(emojiQueryBefore('at 10:30')).toBeNull();
    expect(emojiQueryBefore('see http://example.org')).toBeNull();
    expect(emojiQueryBefore(':party_parrot:')).toBeNull();
    expect(emojiQueryBefore(':party parrot')).toBeNull();
    expect(emojiQueryBefore('a:bc')).toBeNull();
  });
});

describe('emojiSuggestions', () => {
  it('offers matching custom emoji first, then standard emoji by name, at most eight', async () => {
    const index = await loadEmojiIndex('en');
    const found = emojiSuggestions(index, [parrot, shipIt], 'par');
    expect(found[0]).toEqual(custom(parrot));
    expect(found.some((r) => r.kind === 'standard' && r.unicode === '🎉')).toBe(true);
    expect(found.some((r) => r.kind === 'custom' && r.emoji.id === shipIt.id)).toBe(false);
    expect(emojiSuggestions(index, [], 'face').length).toBe(8);
  });

  it('finds standard emoji by a keyword in the UI language', async () => {
    const found = emojiSuggestions(await loadEmojiIndex('ja'), [], 'ねこ');
    expect(found.some((r) => r.kind === 'standard' && r.unicode === '🐱')).toBe(true);
  });
});

describe('insertSuggestion', () => {
  it('replaces the :query before the caret with :short_name: and a space for a custom emoji', () => {
    expect(insertSuggestion('so :par', 7, custom(parrot))).toEqual({ text: 'so :party_parrot: ', caret: 18 });
  });

  it('replaces it with the character itself for a standard emoji, keeping the text after the caret', () => {
    expect(insertSuggestion(':tad and more', 4, standard('🎉'))).toEqual({ text: '🎉 and more', caret: 3 });
  });

  it('changes nothing when no :query is before the caret', () => {
    expect(insertSuggestion('plain', 5, standard('🎉'))).toEqual({ text: 'plain', caret: 5 });
  });
});
