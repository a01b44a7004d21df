/** Reading what a page says about itself, and which link of a message gets the preview (pure functions). */
import { describe, expect, it } from 'vitest';
import { firstLink } from './first-link.js';
import { pageMetaReader, readPageMeta } from './page-meta.js';

describe('readPageMeta', () => {
  it('prefers Open Graph, then Twitter cards, then <title> and the description meta', () => {
    expect(
      readPageMeta(
        '<html><head><title>Plain</title><meta name="twitter:title" content="Card"><meta property="og:title" content="Graph">' +
          '<meta name="description" content="Desc"><meta name="twitter:image" content="/t.png"></head></html>',
      ),
    ).toEqual({ title: 'Graph', description: 'Desc', siteName: null, image: '/t.png' });
    expect(readPageMeta('<TITLE>  Two\n  words </TITLE>')).toMatchObject({ title: 'Two words', description: null, image: null });
  });

  it('decodes entities, forgives broken markup and cuts long text', () => {
    const meta = readPageMeta(
      `<head><meta property=og:title content="Fish &amp; chips"><title>x</title><meta content="${'d'.repeat(2000)}" name=description>`,
    );
    expect(meta.title).toBe('Fish & chips');
    expect([...(meta.description ?? '')]).toHaveLength(1000);
  });

  it('says it is done at </head> or <body>, so the rest of a page is never read', () => {
    const reader = pageMetaReader();
    expect(reader.write('<html><head><title>Early</title>')).toBe(false);
    expect(reader.write('</head><body><meta property="og:title" content="Too late">')).toBe(true);
    expect(reader.result().title).toBe('Early');
  });
});

describe('firstLink', () => {
  it('takes the first http(s) link outside code, without the punctuation around it', () => {
    expect(firstLink('see https://example.com/a, then http://example.org/b.')).toBe('https://example.com/a');
    expect(firstLink('`https://in.code/x` and (https://example.com/page).')).toBe('https://example.com/page');
    expect(firstLink('```\nhttps://in.block/\n``` https://example.com/#frag')).toBe('https://example.com/');
    expect(firstLink('wiki: https://en.wikipedia.org/wiki/Foo_(bar)')).toBe('https://en.wikipedia.org/wiki/Foo_(bar)');
  });

  it('finds none in text without a web link', () => {
    expect(firstLink('mailto:a@b.c and ftp://x.y/ and javascript:alert(1)')).toBeNull();
    expect(firstLink(`https://example.com/${'a'.repeat(3000)}`)).toBeNull();
  });
});
