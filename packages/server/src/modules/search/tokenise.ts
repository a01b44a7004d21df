/**
 * The search tokeniser: turns message text into index tokens and a query into the parts
 * an index backend matches. Pure text processing, the same for both databases, so what
 * SQLite and PostgreSQL find cannot differ.
 *
 * Neither database splits Chinese, Japanese or Korean into words, and their n-gram options
 * ignore terms under three characters. So a run of CJK characters is indexed as its
 * overlapping bigrams (我家在上海 → 我家 家在 在上 上海), which finds a two-character word
 * anywhere inside the run. A query of two characters is one bigram; a longer one is the
 * phrase of its bigrams; a single character is a prefix, which finds every bigram it starts —
 * and the last character of each run, which starts none, is indexed as a unigram "extra".
 * Other letters (Latin, Cyrillic…) make words, case-folded (NFKC, lower case, ё = е) and
 * matched by prefix, so «сообщ» finds «сообщение». Emoji are tokens of their own, `@user`
 * mentions and "has a link" are extra tokens beside the text's.
 *
 * Tokens come in two streams: `body`, in text order (phrases match positions in it), and
 * `extra`, unordered tokens that sit beside it.
 */

/** Han, kana (with the prolonged sound mark) and Hangul. */
const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}\\u30FC\\u3005';
const EMOJI = '\\p{Extended_Pictographic}(?:[\\uFE0F\\u{1F3FB}-\\u{1F3FF}]|\\u200D\\p{Extended_Pictographic})*|\\p{Regional_Indicator}{2}';
const SEGMENT = new RegExp(`(?<cjk>[${CJK}]+)|(?<emoji>${EMOJI})|(?<word>(?:(?![${CJK}])[\\p{L}\\p{N}\\p{M}])+)`, 'gu');
const MENTION = /(?<![\p{L}\p{N}_.@])@([A-Za-z0-9_.]{3,32})/gu;
const LINK = /\bhttps?:\/\/\S|\bwww\.\S/iu;

/** A token no text can produce (private-use character): the message has a link. */
export const LINK_TOKEN = '\uE000link';

/**
 * The token of the message's chat (a private-use character and a 32-bit hash of its id):
 * a search in one chat becomes an intersection inside the index instead of a check of
 * every match's chat. A hash collision only adds candidates; the query still checks the
 * chat itself.
 */
export function chatToken(chatId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < chatId.length; i++) hash = Math.imul(hash ^ chatId.charCodeAt(i), 0x01000193);
  return `\uE001${(hash >>> 0).toString(36)}`;
}
/** A day, in ms: the width of a `dayToken`. */
export const DAY_MS = 86_400_000;

/**
 * The token of the UTC day a message was sent on (a private-use character and the day's
 * number). Only the PostgreSQL backend indexes it: GIN returns its matches in no order, and
 * ANDed with the tokens of the newest few days it returns the candidates of those days
 * only, instead of every match to be sorted.
 */
export const dayToken = (day: number): string => `\uE002${day.toString(36)}`;

/** Longer tokens are cut: a 5,000-character "word" would only bloat the index. */
const MAX_TOKEN_LENGTH = 64;

export interface IndexTokens {
  body: string[];
  extra: string[];
}

type Segment = { kind: 'cjk' | 'emoji' | 'word'; text: string };

/** Case and width folding shared by text and queries; private-use characters are dropped. */
export function fold(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[\uE000-\uF8FF]/g, ' ');
}

function* segments(text: string): Generator<Segment> {
  for (const match of fold(text).matchAll(SEGMENT)) {
    const groups = match.groups ?? {};
    if (groups.cjk) yield { kind: 'cjk', text: groups.cjk };
    else if (groups.emoji) yield { kind: 'emoji', text: groups.emoji.replace(/[\uFE0F\u{1F3FB}-\u{1F3FF}]/gu, '') };
    else if (groups.word) yield { kind: 'word', text: [...groups.word].slice(0, MAX_TOKEN_LENGTH).join('') };
  }
}

/** Overlapping pairs of a CJK run (by code point): 上海东 → 上海 海东; one character stays itself. */
export function bigrams(run: string): string[] {
  const chars = [...run];
  if (chars.length < 2) return chars;
  return chars.slice(1).map((c, i) => `${chars[i]}${c}`);
}

/** The tokens of a message's text; with `chatId`, its chat's token among the extras. */
export function indexTokens(text: string, chatId?: string): IndexTokens {
  const body: string[] = [];
  const extra = new Set<string>(chatId === undefined ? [] : [chatToken(chatId)]);
  for (const segment of segments(text)) {
    if (segment.kind !== 'cjk') {
      body.push(segment.text);
      continue;
    }
    const chars = [...segment.text];
    body.push(...bigrams(segment.text));
    // The run's last character begins no bigram; a one-character prefix query needs it.
    if (chars.length > 1) extra.add(chars[chars.length - 1] as string);
  }
  for (const match of text.matchAll(MENTION)) extra.add(`@${(match[1] ?? '').toLowerCase().replace(/\.+$/, '')}`);
  if (LINK.test(text)) extra.add(LINK_TOKEN);
  return { body, extra: [...extra] };
}

/** One condition of a query; a message matches when it meets all of them. */
export type QueryPart = { kind: 'token'; token: string; prefix: boolean } | { kind: 'phrase'; tokens: string[] };

/** What to highlight in a message's text: a piece, and whether it must start a word. */
export interface Mark {
  text: string;
  wordStart: boolean;
}

export interface ParsedQuery {
  parts: QueryPart[];
  marks: Mark[];
}

/** A CJK term: one character → prefix, two → one bigram, more → the phrase of its bigrams. */
function cjkPart(run: string): QueryPart {
  const grams = bigrams(run);
  if ([...run].length === 1) return { kind: 'token', token: run, prefix: true };
  if (grams.length === 1) return { kind: 'token', token: grams[0] as string, prefix: false };
  return { kind: 'phrase', tokens: grams };
}

function termParts(term: string, parts: QueryPart[], marks: Mark[]) {
  const mention = /^@([A-Za-z0-9_.]{1,32})$/u.exec(term);
  if (mention) {
    parts.push({ kind: 'token', token: `@${(mention[1] ?? '').toLowerCase()}`, prefix: true });
    marks.push({ text: term, wordStart: false });
    return;
  }
  for (const segment of segments(term)) {
    if (segment.kind === 'cjk') parts.push(cjkPart(segment.text));
    else parts.push({ kind: 'token', token: segment.text, prefix: segment.kind === 'word' });
    marks.push({ text: segment.text, wordStart: segment.kind === 'word' });
  }
}

/** A quoted phrase: its tokens in order, words exact (no prefix). */
function phraseParts(phrase: string, parts: QueryPart[], marks: Mark[]) {
  const found = [...segments(phrase)];
  if (found.length === 1 && found[0]?.kind === 'cjk') {
    parts.push(cjkPart(found[0].text));
  } else {
    const tokens = found.flatMap((s) => (s.kind === 'cjk' ? bigrams(s.text) : [s.text]));
    if (tokens.length === 1) parts.push({ kind: 'token', token: tokens[0] as string, prefix: false });
    else if (tokens.length > 1) parts.push({ kind: 'phrase', tokens });
  }
  for (const s of found) marks.push({ text: s.text, wordStart: s.kind === 'word' });
}

const QUOTED = /["“”「」『』]([^"“”「」『』]*)["“”「」『』]?/gu;

/** Words and quoted phrases; every part must match. No parts: the query finds nothing. */
export function parseQuery(query: string): ParsedQuery {
  const parts: QueryPart[] = [];
  const marks: Mark[] = [];
  const rest = query.replace(QUOTED, (_, phrase: string) => {
    phraseParts(phrase, parts, marks);
    return ' ';
  });
  for (const term of rest.split(/\s+/u)) if (term) termParts(term, parts, marks);
  return { parts, marks };
}
