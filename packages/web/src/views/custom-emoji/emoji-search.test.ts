/** Emoji search by name and keyword in the UI language (Emojibase's CLDR data), with the server's custom emoji first. */
import type { CustomEmoji } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { loadEmojiIndex, searchEmoji } from './emoji-search.js';

const custom: CustomEmoji[] = [
  { id: 'e1', shortName: 'party_parrot', animated: true, createdBy: null, createdAt: '2026-01-01T00:00:00.000Z' },
  { id: 'e2', shortName: 'ship_it', animated: false, createdBy: null, createdAt: '2026-01-01T00:00:00.000Z' },
];

const unicodeOf = (results: ReturnType<typeof searchEmoji>) => results.flatMap((r) => (r.kind === 'standard' ? [r.unicode] : []));

describe('searchEmoji', () => {
  it('finds emoji by name and keyword in each UI language', async () => {
    const cases: Array<[string, string, string]> = [
      ['en', 'cat', '🐱'],
      ['ru', 'кошка', '🐱'],
      ['zh', '猫', '🐱'],
      ['ja', 'ねこ', '🐱'],
      ['ko', '고양이', '🐱'],
      ['ru', 'ёлка', '🎄'],
    ];
    for (const [language, query, expected] of cases) {
      const found = unicodeOf(searchEmoji(await loadEmojiIndex(language), [], query));
      expect(found, `${language}: ${query}`).toContain(expected);
    }
  });

  it('ranks a label that starts with the query first, and lists matching custom emoji before the standard set', async () => {
    const index = await loadEmojiIndex('en');
    const results = searchEmoji(index, custom, 'party');
    expect(results[0]).toEqual({ kind: 'custom', emoji: custom[0] });
    expect(unicodeOf(results)[0]).toBe('🥳');
    expect(searchEmoji(index, custom, ':ship_it:').map((r) => r.kind)).toEqual(['custom']);
  });

  it('finds nothing for an empty query, and leaves skin-tone components out', async () => {
    const index = await loadEmojiIndex('en');
    expect(searchEmoji(index, custom, '  ')).toEqual([]);
    expect(unicodeOf(searchEmoji(index, [], 'skin tone'))).not.toContain('🏻');
  });
});
