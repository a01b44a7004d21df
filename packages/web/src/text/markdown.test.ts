import { describe, expect, it } from 'vitest';
import { type Block, parseBlocks, parseInline, plainText, safeHref } from './markdown.js';

const text = (t: string) => ({ type: 'text', text: t });
const paragraph = (source: string): Block[] => parseBlocks(source);

describe('safeHref', () => {
  it('keeps http, https and mailto links', () => {
    expect(safeHref('https://example.org/a?b=1')).toBe('https://example.org/a?b=1');
    expect(safeHref('HTTP://EXAMPLE.org')).toBe('http://example.org/');
    expect(safeHref('mailto:ada@example.org')).toBe('mailto:ada@example.org');
  });

  it('refuses script, data and other schemes however they are disguised', () => {
    for (const url of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'java\tscript:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,<b>',
      'vbscript:x',
      'file:///etc/passwd',
      'http://',
      'nonsense',
    ]) {
      expect(safeHref(url), url).toBeNull();
    }
  });
});

describe('parseInline', () => {
  it('reads bold, italic, strike and inline code', () => {
    expect(parseInline('a **b** *c* _d_ ~~e~~ `f`')).toEqual([
      text('a '),
      { type: 'strong', children: [text('b')] },
      text(' '),
      { type: 'em', children: [text('c')] },
      text(' '),
      { type: 'em', children: [text('d')] },
      text(' '),
      { type: 'strike', children: [text('e')] },
      text(' '),
      { type: 'code', text: 'f' },
    ]);
  });

  it('nests spans, and splits a triple run into bold around italic', () => {
    expect(parseInline('**bold _and italic_**')).toEqual([
      { type: 'strong', children: [text('bold '), { type: 'em', children: [text('and italic')] }] },
    ]);
    expect(parseInline('***both***')).toEqual([{ type: 'strong', children: [{ type: 'em', children: [text('both')] }] }]);
  });

  it('leaves markers alone where they are not formatting: snake_case, lone stars, spaces inside', () => {
    expect(parseInline('snake_case_name and 2 * 3 * 4')).toEqual([text('snake_case_name and 2 * 3 * 4')]);
    expect(parseInline('** not bold **')).toEqual([text('** not bold **')]);
    expect(parseInline('unclosed `code and *star')).toEqual([text('unclosed `code and *star')]);
  });

  it('keeps Markdown inside inline code as it is', () => {
    expect(parseInline('`**x** <b>`')).toEqual([{ type: 'code', text: '**x** <b>' }]);
    expect(parseInline('``a ` b``')).toEqual([{ type: 'code', text: 'a ` b' }]);
  });

  it('links bare URLs without trailing punctuation, and Markdown links with a safe target', () => {
    expect(parseInline('see https://example.org/x_(y), then')).toEqual([
      text('see '),
      { type: 'link', href: 'https://example.org/x_(y)', children: [text('https://example.org/x_(y)')] },
      text(', then'),
    ]);
    expect(parseInline('[docs](https://example.org/docs)')).toEqual([
      { type: 'link', href: 'https://example.org/docs', children: [text('docs')] },
    ]);
    expect(parseInline('mail mailto:ada@example.org.')).toEqual([
      text('mail '),
      { type: 'link', href: 'mailto:ada@example.org', children: [text('mailto:ada@example.org')] },
      text('.'),
    ]);
  });

  it('names the real host when the text of a link looks like a URL of another host', () => {
    const link = (source: string) => parseInline(source).find((n) => n.type === 'link');
    expect(link('[https://bank.example/login](https://evil.example/x)')).toEqual({
      type: 'link',
      href: 'https://evil.example/x',
      children: [text('https://bank.example/login')],
      realHost: 'evil.example',
    });
    expect(link('[bank.example](https://evil.example)')).toMatchObject({ realHost: 'evil.example' });
    expect(link('[Log in at www.bank.example now](http://evil.example)')).toMatchObject({ realHost: 'evil.example' });
    expect(link('[**https://bank.example**](https://bank.example.evil.example)')).toMatchObject({ realHost: 'bank.example.evil.example' });
    expect(link('[https://bank.example](mailto:thief@evil.example)')).toMatchObject({ realHost: 'thief@evil.example' });
    // A look-alike host (a Cyrillic а) is shown as the browser will reach it: in punycode.
    expect(link('[paypal.example](https://pаypal.example)')).toMatchObject({ realHost: 'xn--pypal-4ve.example' });
  });

  it('adds nothing when the text is not a URL or names the same host', () => {
    for (const source of [
      '[docs](https://example.org/docs)',
      '[https://example.org/a](https://example.org/b)',
      '[EXAMPLE.org](https://example.org)',
      '[www.example.org](https://example.org/)',
      '[example.org](https://www.example.org/)',
      '[see 2.5 for details](https://example.org)',
      'https://example.org/bare',
    ]) {
      expect(
        parseInline(source).find((n) => n.type === 'link'),
        source,
      ).not.toHaveProperty('realHost');
    }
  });

  it('never links javascript: or data: targets, in any spelling', () => {
    for (const source of ['[click](javascript:alert(1))', '[x](JAVASCRIPT:alert(1))', '[x](data:text/html,hi)', 'javascript:alert(1)']) {
      const nodes = parseInline(source);
      expect(JSON.stringify(nodes), source).not.toContain('"link"');
      expect(nodes.map((n) => (n.type === 'text' ? n.text : '')).join('')).toBe(source);
    }
  });

  it('finds @mentions, not e-mail addresses', () => {
    expect(parseInline('hi @Ada.L. and @all, mail ada@example.org')).toEqual([
      text('hi '),
      { type: 'mention', username: 'ada.l', text: '@Ada.L' },
      text('. and '),
      { type: 'mention', username: 'all', text: '@all' },
      text(', mail ada@example.org'),
    ]);
  });

  it('treats HTML as text', () => {
    expect(parseInline('<img src=x onerror=alert(1)>')).toEqual([text('<img src=x onerror=alert(1)>')]);
  });

  it('stays fast on hostile input', () => {
    const started = performance.now();
    parseInline('*a '.repeat(3000) + '[x'.repeat(2000) + '`'.repeat(2000) + '_b '.repeat(2000));
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('parseBlocks', () => {
  it('keeps ordinary lines, blank ones included, in one paragraph', () => {
    expect(paragraph('one\n\ntwo')).toEqual([{ type: 'paragraph', children: [text('one\n\ntwo')] }]);
  });

  it('reads fenced code blocks verbatim, with or without a language word', () => {
    expect(paragraph('before\n```js\nconst a = **1**;\n```\nafter')).toEqual([
      { type: 'paragraph', children: [text('before')] },
      { type: 'code', text: 'const a = **1**;' },
      { type: 'paragraph', children: [text('after')] },
    ]);
    expect(paragraph('```x = 1\ny = 2```')).toEqual([{ type: 'code', text: 'x = 1\ny = 2' }]);
    expect(paragraph('```\nnever closed')).toEqual([{ type: 'paragraph', children: [text('```\nnever closed')] }]);
  });

  it('reads quotes, nested ones too', () => {
    expect(paragraph('> said\n> **this**\n>> deeper\nreply')).toEqual([
      {
        type: 'quote',
        children: [
          { type: 'paragraph', children: [text('said\n'), { type: 'strong', children: [text('this')] }] },
          { type: 'quote', children: [{ type: 'paragraph', children: [text('deeper')] }] },
        ],
      },
      { type: 'paragraph', children: [text('reply')] },
    ]);
  });
});

describe('plainText', () => {
  it('drops the markers and folds lines, for previews', () => {
    expect(plainText('**Hello** _there_\n> quoted\n```\ncode\n```')).toBe('Hello there quoted code');
  });
});
