import type { SearchHit } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { groupByChat, snippetPieces } from './group-hits.js';

const hit = (id: string, chatId: string): SearchHit =>
  ({ message: { id, chatId }, snippet: { text: '', highlights: [], truncatedStart: false, truncatedEnd: false } }) as unknown as SearchHit;

describe('search results', () => {
  it('groups by chat in the order each chat first appears, keeping the hits’ order', () => {
    const groups = groupByChat([hit('1', 'a'), hit('2', 'b'), hit('3', 'a')]);
    expect(groups.map((g) => [g.chatId, g.hits.map((h) => h.message.id)])).toEqual([
      ['a', ['1', '3']],
      ['b', ['2']],
    ]);
  });

  it('splits a snippet into plain and marked pieces, with ellipses where it was cut', () => {
    const pieces = snippetPieces({
      text: '<b>x</b> 上海 y',
      highlights: [{ start: 9, end: 11 }],
      truncatedStart: true,
      truncatedEnd: false,
    });
    expect(pieces).toEqual([
      { text: '…', marked: false },
      { text: '<b>x</b> ', marked: false },
      { text: '上海', marked: true },
      { text: ' y', marked: false },
    ]);
  });
});
