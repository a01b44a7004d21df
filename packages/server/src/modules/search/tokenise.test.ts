import { describe, expect, it } from 'vitest';
import { snippet } from './snippet.js';
import { bigrams, chatToken, DAY_MS, dayToken, indexTokens, LINK_TOKEN, parseQuery } from './tokenise.js';

describe('search tokeniser', () => {
  it('indexes a CJK run as overlapping bigrams, with its last character as an extra', () => {
    expect(bigrams('我家在上海东边')).toEqual(['我家', '家在', '在上', '上海', '海东', '东边']);
    expect(indexTokens('我家在上海东边')).toEqual({ body: ['我家', '家在', '在上', '上海', '海东', '东边'], extra: ['边'] });
    expect(indexTokens('海')).toEqual({ body: ['海'], extra: [] });
  });

  it('splits Latin words from CJK without spaces, folding case and width', () => {
    expect(indexTokens('我买了iPhone１５和ＭａｃＢｏｏｋ').body).toEqual(['我买', '买了', 'iphone15', '和', 'macbook']);
    expect(indexTokens('Сообщение ЁЛКА, hello-world').body).toEqual(['сообщение', 'елка', 'hello', 'world']);
  });

  it('keeps Japanese kana and kanji in one run and Korean particles inside the bigrams', () => {
    expect(indexTokens('東京に行きました').body).toEqual(['東京', '京に', 'に行', '行き', 'きま', 'まし', 'した']);
    expect(indexTokens('서울에서 만나요').body).toEqual(['서울', '울에', '에서', '만나', '나요']);
  });

  it('makes emoji, mentions and links searchable', () => {
    const tokens = indexTokens('ping @Bob.Smith 👍🏽 see https://example.org/x');
    expect(tokens.body).toEqual(['ping', 'bob', 'smith', '👍', 'see', 'https', 'example', 'org', 'x']);
    expect(tokens.extra).toEqual(['@bob.smith', LINK_TOKEN]);
  });

  it('adds the chat token when the chat is given, one no text can produce', () => {
    expect(indexTokens('hi', 'chat-1').extra).toEqual([chatToken('chat-1')]);
    expect(chatToken('chat-1')).not.toBe(chatToken('chat-2'));
    expect(chatToken('chat-1')).toMatch(/^\uE001[0-9a-z]+$/u);
  });

  it('ignores private-use characters, so no text can forge the link token', () => {
    expect(indexTokens('\uE000link').extra).toEqual([]);
  });

  it('names a day by a token of its own, one no text can produce', () => {
    const day = Math.floor(Date.UTC(2026, 11, 1) / DAY_MS);
    expect(dayToken(day)).toMatch(/^\uE002[0-9a-z]+$/u);
    expect(dayToken(day)).not.toBe(dayToken(day - 1));
    const forged = indexTokens(`${dayToken(day)} ${dayToken(day)}`);
    expect([...forged.body, ...forged.extra]).not.toContain(dayToken(day));
  });

  it('queries one CJK character by prefix, two as one token, more as a phrase of bigrams', () => {
    expect(parseQuery('海').parts).toEqual([{ kind: 'token', token: '海', prefix: true }]);
    expect(parseQuery('上海').parts).toEqual([{ kind: 'token', token: '上海', prefix: false }]);
    expect(parseQuery('上海东').parts).toEqual([{ kind: 'phrase', tokens: ['上海', '海东'] }]);
  });

  it('queries words by prefix, a quoted phrase exactly, and a mixed term as its pieces', () => {
    expect(parseQuery('Сообщ').parts).toEqual([{ kind: 'token', token: 'сообщ', prefix: true }]);
    expect(parseQuery('"hello world" x').parts).toEqual([
      { kind: 'phrase', tokens: ['hello', 'world'] },
      { kind: 'token', token: 'x', prefix: true },
    ]);
    expect(parseQuery('iPhone上海').parts).toEqual([
      { kind: 'token', token: 'iphone', prefix: true },
      { kind: 'token', token: '上海', prefix: false },
    ]);
    expect(parseQuery('@bob').parts).toEqual([{ kind: 'token', token: '@bob', prefix: true }]);
    expect(parseQuery('  ?!  ').parts).toEqual([]);
  });
});

describe('search snippets', () => {
  it('marks matches as ranges and never adds markup', () => {
    const s = snippet('<b>Hello</b> HELLO 上海', parseQuery('hello 上海').marks);
    expect(s.text).toBe('<b>Hello</b> HELLO 上海');
    expect(s.highlights).toEqual([
      { start: 3, end: 8 },
      { start: 13, end: 18 },
      { start: 19, end: 21 },
    ]);
  });

  it('cuts long text to a window around the first match', () => {
    const text = `${'a '.repeat(200)}needle${' b'.repeat(200)}`;
    const s = snippet(text, parseQuery('needle').marks);
    expect(s.truncatedStart && s.truncatedEnd).toBe(true);
    expect(s.text.slice(s.highlights[0]?.start, s.highlights[0]?.end)).toBe('needle');
  });

  it('matches a word prefix only at the start of a word', () => {
    expect(snippet('message unmessage', parseQuery('mess').marks).highlights).toEqual([{ start: 0, end: 4 }]);
  });
});
