/**
 * The small Markdown of messages, as data: `parseBlocks` turns text into code blocks,
 * quotes and paragraphs of inline spans (bold, italic, strike, inline code, links,
 * mentions); RichText renders the result as React elements. Nothing is ever treated as
 * HTML, and a link survives only with an http, https or mailto target.
 *
 * The scanner is linear in practice: a delimiter that found no closer remembers where
 * the search started, so later openers of the same kind don't search again (10,000
 * stray asterisks stay cheap).
 */

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'strong'; children: Inline[] }
  | { type: 'em'; children: Inline[] }
  | { type: 'strike'; children: Inline[] }
  | { type: 'code'; text: string }
  /** `realHost`: set when the text looks like a URL of another host; show it beside the text. */
  | { type: 'link'; href: string; children: Inline[]; realHost?: string }
  | { type: 'mention'; username: string; text: string };

export type Block = { type: 'paragraph'; children: Inline[] } | { type: 'code'; text: string } | { type: 'quote'; children: Block[] };

const MAX_QUOTE_DEPTH = 4;
const MAX_INLINE_DEPTH = 5;
const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** The URL to put in href, or null when it is not a plain web or mail link (`javascript:`, `data:`, garbage). */
export function safeHref(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (!SAFE_PROTOCOLS.has(url.protocol)) return null;
  if (url.protocol !== 'mailto:' && url.hostname === '') return null;
  return url.href;
}

// ---- Links whose text names another place ----

const SCHEME_URL = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;
/** A host name (labels of letters, digits and hyphens; the last of letters), maybe a port and a path. */
const HOST_LIKE = /^(?:[\p{L}\p{N}-]+\.)+\p{L}{2,}\.?(?::\d+)?(?:[/?#]\S*)?$/u;
const TOKEN_EDGES = /^[(<"'\u201C\u2018]+|[)>"'\u201D\u2019.,:;!?]+$/g;

/** The host a word of link text names, if it looks like a URL or a host name. */
function hostNamedBy(word: string): string | null {
  const candidate = SCHEME_URL.test(word) ? word : HOST_LIKE.test(word) ? `http://${word}` : null;
  if (!candidate) return null;
  try {
    return new URL(candidate).hostname || null;
  } catch {
    return null;
  }
}

const withoutWww = (host: string) => host.replace(/^www\./, '');

/**
 * Where the link really goes, when its text names another host (`[https://bank.example](https://evil.example)`):
 * the target's host (in punycode, as the browser reaches it), or the address of a mailto link.
 */
function realHostOf(text: string, href: string): string | undefined {
  const target = new URL(href);
  const mail = target.protocol === 'mailto:';
  const misleading = text
    .split(/\s+/)
    .map((word) => word.replace(TOKEN_EDGES, ''))
    .some((word) => {
      const named = hostNamedBy(word);
      return named !== null && (mail || withoutWww(named) !== withoutWww(target.hostname));
    });
  if (!misleading) return undefined;
  return mail ? decodeURIComponent(target.pathname) : target.hostname;
}

// ---- Blocks ----

const FENCE = '```';
const FENCE_INFO = /^[\w+#.-]*$/;
const QUOTE_LINE = /^ {0,3}>/;

/** A fenced code block starting at `lines[start]`: its text and the index of its closing line, or null. */
function readFence(lines: string[], start: number): { text: string; end: number } | null {
  const rest = (lines[start] ?? '').trimStart().slice(FENCE.length);
  // ```like this``` on one line is inline code, not a block.
  if (rest.includes(FENCE)) return null;
  const content: string[] = [];
  if (!FENCE_INFO.test(rest.trim())) content.push(rest);
  for (let end = start + 1; end < lines.length; end++) {
    const line = (lines[end] ?? '').trimEnd();
    if (line.endsWith(FENCE)) {
      const before = line.slice(0, -FENCE.length);
      if (before.trim() !== '') content.push(before);
      return { text: content.join('\n'), end };
    }
    content.push(lines[end] ?? '');
  }
  return null; // unterminated: shown as typed
}

export function parseBlocks(text: string, depth = 0): Block[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length === 0) return;
    const joined = paragraph.join('\n');
    if (joined.trim() !== '' || blocks.length === 0) blocks.push({ type: 'paragraph', children: parseInline(joined) });
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trimStart().startsWith(FENCE)) {
      const fence = readFence(lines, i);
      if (fence) {
        flush();
        blocks.push({ type: 'code', text: fence.text });
        i = fence.end;
        continue;
      }
    }
    if (depth < MAX_QUOTE_DEPTH && QUOTE_LINE.test(line)) {
      flush();
      const quoted: string[] = [];
      while (i < lines.length && QUOTE_LINE.test(lines[i] ?? '')) {
        quoted.push((lines[i] ?? '').replace(/^ {0,3}> ?/, ''));
        i++;
      }
      i--;
      blocks.push({ type: 'quote', children: parseBlocks(quoted.join('\n'), depth + 1) });
      continue;
    }
    paragraph.push(line);
  }
  flush();
  return blocks;
}

// ---- Inline spans ----

const isSpace = (char: string | undefined) => char === undefined || /\s/u.test(char);
const isWordChar = (char: string | undefined) => char !== undefined && /[\p{L}\p{N}_]/u.test(char);

type Delimiter = '**' | '__' | '~~' | '*' | '_';
const DELIMITERS: Delimiter[] = ['**', '__', '~~', '*', '_'];
const SPAN_TYPE: Record<Delimiter, 'strong' | 'em' | 'strike'> = { '**': 'strong', __: 'strong', '~~': 'strike', '*': 'em', _: 'em' };

const AUTOLINK = /(?:https?:\/\/[^\s<>"]+|mailto:[^\s<>"]+)/iy;
const MENTION = /@([A-Za-z0-9_.]{3,32}|all)(?![A-Za-z0-9_])/y;
const TRAILING_PUNCTUATION = /[.,:;!?'"*_~]$/;

function trimAutolink(raw: string): string {
  let url = raw;
  for (;;) {
    if (TRAILING_PUNCTUATION.test(url)) url = url.slice(0, -1);
    else if (url.endsWith(')') && (url.match(/\(/g)?.length ?? 0) < (url.match(/\)/g)?.length ?? 0)) url = url.slice(0, -1);
    else return url;
  }
}

class InlineScanner {
  private readonly out: Inline[] = [];
  private buffer = '';
  private i = 0;
  /** Per delimiter: a search from here on found no closer. */
  private readonly noCloserFrom = new Map<string, number>();

  constructor(
    private readonly text: string,
    private readonly depth: number,
    private readonly inLink: boolean,
  ) {}

  run(): Inline[] {
    const { text } = this;
    while (this.i < text.length) {
      const char = text[this.i];
      const consumed =
        (char === '`' && this.codeSpan()) ||
        ((char === '*' || char === '_' || char === '~') && this.emphasis()) ||
        (char === '[' && !this.inLink && this.link()) ||
        (char === '@' && this.mention()) ||
        ((char === 'h' || char === 'H' || char === 'm' || char === 'M') && !this.inLink && this.autolink());
      if (!consumed) {
        this.buffer += char;
        this.i += 1;
      }
    }
    this.flushText();
    return this.out;
  }

  private flushText() {
    if (this.buffer === '') return;
    const last = this.out.at(-1);
    if (last?.type === 'text') last.text += this.buffer;
    else this.out.push({ type: 'text', text: this.buffer });
    this.buffer = '';
  }

  private push(node: Inline) {
    this.flushText();
    this.out.push(node);
  }

  private nested(inner: string, inLink = this.inLink): Inline[] {
    if (this.depth >= MAX_INLINE_DEPTH) return [{ type: 'text', text: inner }];
    return new InlineScanner(inner, this.depth + 1, inLink).run();
  }

  private runLength(at: number, char: string): number {
    let end = at;
    while (this.text[end] === char) end++;
    return end - at;
  }

  private codeSpan(): boolean {
    const { text } = this;
    const length = this.runLength(this.i, '`');
    const run = '`'.repeat(length);
    let search = this.i + length;
    for (;;) {
      const close = text.indexOf(run, search);
      if (close === -1) break;
      const closeLength = this.runLength(close, '`');
      if (closeLength !== length) {
        search = close + closeLength;
        continue;
      }
      let content = text.slice(this.i + length, close);
      if (content.length > 2 && content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '') content = content.slice(1, -1);
      if (content === '') break;
      this.push({ type: 'code', text: content });
      this.i = close + length;
      return true;
    }
    this.buffer += run;
    this.i += length;
    return true;
  }

  private isCloser(at: number, delimiter: Delimiter): boolean {
    const { text } = this;
    if (!text.startsWith(delimiter, at)) return false;
    if (isSpace(text[at - 1])) return false;
    if (delimiter.length === 1 && (text[at + 1] === delimiter || text[at - 1] === delimiter)) return false;
    if (delimiter[0] === '_' && isWordChar(text[at + delimiter.length])) return false;
    return true;
  }

  private emphasis(): boolean {
    const { text } = this;
    const delimiter = DELIMITERS.find((d) => text.startsWith(d, this.i));
    if (!delimiter) return false;
    const after = this.i + delimiter.length;
    if (isSpace(text[after])) return false;
    if (delimiter[0] === '_' && isWordChar(text[this.i - 1])) return false;
    if (delimiter.length === 1 && text[after] === delimiter) return false;
    const known = this.noCloserFrom.get(delimiter);
    if (known !== undefined && known <= after) return false;
    let close = -1;
    for (let at = text.indexOf(delimiter, after + 1); at !== -1; at = text.indexOf(delimiter, at + 1)) {
      // In a longer run (`***`), close with its last characters so the inner span keeps its own.
      while (delimiter.length === 2 && text[at + 2] === delimiter[0]) at++;
      if (this.isCloser(at, delimiter)) {
        close = at;
        break;
      }
    }
    if (close === -1) {
      this.noCloserFrom.set(delimiter, after);
      return false;
    }
    this.push({ type: SPAN_TYPE[delimiter], children: this.nested(text.slice(after, close)) });
    this.i = close + delimiter.length;
    return true;
  }

  private link(): boolean {
    const { text } = this;
    const known = this.noCloserFrom.get('](');
    if (known !== undefined && known <= this.i) return false;
    const labelEnd = text.indexOf('](', this.i + 1);
    if (labelEnd === -1) {
      this.noCloserFrom.set('](', this.i);
      return false;
    }
    const label = text.slice(this.i + 1, labelEnd);
    if (label === '' || label.includes('\n') || label.includes('[')) return false;
    let depth = 0;
    let end = labelEnd + 2;
    for (; end < text.length; end++) {
      const char = text[end];
      if (char === undefined || isSpace(char)) return false;
      if (char === '(') depth++;
      else if (char === ')') {
        if (depth === 0) break;
        depth--;
      }
    }
    if (end >= text.length) return false;
    const href = safeHref(text.slice(labelEnd + 2, end));
    // An unsafe target (javascript:, data:…) is not a link: the whole thing stays text.
    if (!href) return false;
    const children = this.nested(label, true);
    const realHost = realHostOf(inlineText(children), href);
    this.push({ type: 'link', href, children, ...(realHost !== undefined && { realHost }) });
    this.i = end + 1;
    return true;
  }

  private mention(): boolean {
    const previous = this.text[this.i - 1];
    if (isWordChar(previous) || previous === '.' || previous === '@') return false;
    MENTION.lastIndex = this.i;
    const match = MENTION.exec(this.text);
    if (!match?.[1]) return false;
    const username = match[1].replace(/\.+$/, '');
    if (username.length < 3) return false;
    this.push({ type: 'mention', username: username.toLowerCase(), text: `@${username}` });
    this.i += 1 + username.length;
    return true;
  }

  private autolink(): boolean {
    const previous = this.text[this.i - 1];
    if (isWordChar(previous) || previous === '/' || previous === '@') return false;
    AUTOLINK.lastIndex = this.i;
    const match = AUTOLINK.exec(this.text);
    if (!match) return false;
    const raw = trimAutolink(match[0]);
    const href = safeHref(raw);
    if (!href) return false;
    this.push({ type: 'link', href, children: [{ type: 'text', text: raw }] });
    this.i += raw.length;
    return true;
  }
}

export function parseInline(text: string): Inline[] {
  return new InlineScanner(text, 0, false).run();
}

// ---- Plain text (chat list previews, notifications, copy) ----

function inlineText(nodes: Inline[]): string {
  return nodes
    .map((node) => {
      switch (node.type) {
        case 'text':
        case 'code':
        case 'mention':
          return node.text;
        default:
          return inlineText(node.children);
      }
    })
    .join('');
}

function blocksText(blocks: Block[]): string {
  return blocks
    .map((block) =>
      block.type === 'paragraph' ? inlineText(block.children) : block.type === 'code' ? block.text : blocksText(block.children),
    )
    .join(' ');
}

/** The text without Markdown markers, on one line: for previews. */
export function plainText(text: string): string {
  return blocksText(parseBlocks(text)).replace(/\s+/g, ' ').trim();
}
