/**
 * What a page says about itself, read from its <head> as it streams in: Open Graph
 * (`og:title`, `og:description`, `og:image`, `og:site_name`), Twitter cards
 * (`twitter:title`…), then `<title>` and `<meta name="description">`. htmlparser2 reads
 * tag by tag without building a document, forgives broken markup and decodes entities; the
 * reader says it is done at `</head>` or `<body>`, so the rest of the page is never read.
 */
import { Parser } from 'htmlparser2';

export interface PageMeta {
  title: string | null;
  description: string | null;
  siteName: string | null;
  /** As the page wrote it: resolve against the page's URL. */
  image: string | null;
}

const TITLE_MAX = 300;
const DESCRIPTION_MAX = 1000;

/** Whitespace runs as one space, trimmed, cut at `max` characters (never inside a surrogate pair). */
export function tidy(text: string | undefined | null, max: number): string | null {
  if (!text) return null;
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return null;
  const chars = [...flat];
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join('')}…`;
}

export interface PageMetaReader {
  /** Feeds the next piece of the page; returns true once the head has been read. */
  write(chunk: string): boolean;
  /** What was found, after the last `write` (or once done). */
  result(): PageMeta;
}

export function pageMetaReader(): PageMetaReader {
  const meta = new Map<string, string>();
  let titleText = '';
  let inTitle = false;
  let done = false;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        // What follows the head in the same chunk is not the page's description of itself.
        if (done) return;
        if (name === 'body') done = true;
        if (name === 'title') inTitle = true;
        if (name !== 'meta') return;
        const key = (attributes.property ?? attributes.name ?? '').toLowerCase();
        const content = attributes.content;
        // The first of each wins, as browsers and other readers do.
        if (key && content !== undefined && !meta.has(key)) meta.set(key, content);
      },
      ontext(text) {
        if (!done && inTitle && titleText.length < TITLE_MAX * 4) titleText += text;
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false;
        if (name === 'head') done = true;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  const first = (...keys: string[]) => keys.map((k) => meta.get(k)).find((v) => v !== undefined && v.trim() !== '');
  return {
    write(chunk) {
      if (!done) parser.write(chunk);
      return done;
    },
    result() {
      return {
        title: tidy(first('og:title', 'twitter:title') ?? titleText, TITLE_MAX),
        description: tidy(first('og:description', 'twitter:description', 'description'), DESCRIPTION_MAX),
        siteName: tidy(first('og:site_name'), 100),
        image: first('og:image:secure_url', 'og:image', 'og:image:url', 'twitter:image', 'twitter:image:src')?.trim() ?? null,
      };
    },
  };
}

/** The whole of a page's head at once (tests, small pages). */
export function readPageMeta(html: string): PageMeta {
  const reader = pageMetaReader();
  reader.write(html);
  return reader.result();
}
