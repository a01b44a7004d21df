/**
 * Long text (E1): messages are limited to MESSAGE_MAX_LENGTH characters, counted as the
 * server counts them (code points, so an emoji is one). Past the limit the composer offers
 * to send the text as several messages, cut at the last paragraph, line or space break
 * before the limit (never inside a character), or to trim it.
 */
import { MESSAGE_MAX_LENGTH } from '@parley/protocol';

export const characterCount = (text: string): number => {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
};

/** The composer shows how much is left from here on. */
export const COUNTER_FROM = MESSAGE_MAX_LENGTH - 1000;

/** The first `max` characters. */
export function trimToLimit(text: string, max: number = MESSAGE_MAX_LENGTH): string {
  return Array.from(text).slice(0, max).join('');
}

/** Pieces of at most `max` characters each, in order, each cut at the best break before the limit. */
export function splitForSending(text: string, max: number = MESSAGE_MAX_LENGTH): string[] {
  const chars = Array.from(text.trim());
  const parts: string[] = [];
  let start = 0;
  while (chars.length - start > max) {
    const window = chars.slice(start, start + max).join('');
    // Prefer a paragraph break, then a line break, then a space, in the later half of the window.
    const half = Math.floor(window.length / 2);
    let cut = -1;
    for (const separator of ['\n\n', '\n', ' ']) {
      const at = window.lastIndexOf(separator);
      if (at >= half) {
        cut = at;
        break;
      }
    }
    const piece = cut === -1 ? window : window.slice(0, cut);
    const taken = Array.from(piece).length;
    const part = piece.trim();
    if (part !== '') parts.push(part);
    start += taken;
    while (start < chars.length && /\s/.test(chars[start] ?? '')) start += 1;
  }
  const rest = chars.slice(start).join('').trim();
  if (rest !== '') parts.push(rest);
  return parts;
}
