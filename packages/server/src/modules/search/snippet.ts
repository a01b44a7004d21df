/**
 * Snippets of found messages: a window of the text around the first match, with the
 * matched pieces as ranges (UTF-16 offsets into the snippet text). Structured, never
 * HTML — the client renders the ranges, so a message's text can never inject markup.
 */
import type { Mark } from './tokenise.js';

export interface Snippet {
  text: string;
  highlights: Array<{ start: number; end: number }>;
  /** Whether text was cut before / after the window. */
  truncatedStart: boolean;
  truncatedEnd: boolean;
}

const WINDOW = 160;
const LEAD = 40;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every range of `text` that a mark matches, merged and in order. */
export function matchRanges(text: string, marks: Mark[]): Array<{ start: number; end: number }> {
  const ranges: Array<{ start: number; end: number }> = [];
  for (const mark of marks) {
    if (!mark.text) continue;
    const pattern = new RegExp(`${mark.wordStart ? '(?<![\\p{L}\\p{N}])' : ''}${escapeRegExp(mark.text)}`, 'giu');
    for (const match of text.matchAll(pattern)) ranges.push({ start: match.index, end: match.index + match[0].length });
  }
  ranges.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Array<{ start: number; end: number }> = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

/** Moves an offset off the second half of a surrogate pair, so a cut never splits a character. */
const safe = (text: string, offset: number) => {
  const code = text.charCodeAt(offset);
  return code >= 0xdc00 && code <= 0xdfff ? offset - 1 : offset;
};

export function snippet(text: string, marks: Mark[]): Snippet {
  const ranges = matchRanges(text, marks);
  if (text.length <= WINDOW) return { text, highlights: ranges, truncatedStart: false, truncatedEnd: false };
  const first = ranges[0]?.start ?? 0;
  const start = safe(text, Math.max(0, Math.min(first - LEAD, text.length - WINDOW)));
  const end = safe(text, Math.min(text.length, start + WINDOW));
  return {
    text: text.slice(start, end),
    highlights: ranges
      .filter((r) => r.end > start && r.start < end)
      .map((r) => ({ start: Math.max(r.start, start) - start, end: Math.min(r.end, end) - start })),
    truncatedStart: start > 0,
    truncatedEnd: end < text.length,
  };
}
