/**
 * `:name` autocomplete in the composer (E19): what is being typed before the caret, which
 * emoji it offers (the picker's search — emoji-search.ts — so custom emoji by short name and
 * the standard set by name and keyword in the UI language), and the text after one is chosen.
 * Pure functions; the composer's hook is in EmojiSuggestions.tsx.
 */
import type { CustomEmoji } from '@parley/protocol';
import { type SearchableEmoji, type SearchResult, searchEmoji } from './emoji-search.js';

/**
 * A colon at the start or after a space or an opening bracket, then at least two characters
 * that are not spaces or colons: `10:30` and `http://` never open the list, and a finished
 * `:name:` closes it. Letters of any script, so `:кот` and `:ねこ` search keywords too.
 */
const EMOJI_QUERY = /(?:^|[\s([{])(:[^\s:]{2,30})$/u;
export const MAX_SUGGESTIONS = 8;

/** The `:query` just before the caret (without its colon), or null when none is being typed. */
export function emojiQueryBefore(textBeforeCaret: string): string | null {
  const match = EMOJI_QUERY.exec(textBeforeCaret);
  return match?.[1] ? match[1].slice(1) : null;
}

export function emojiSuggestions(
  index: readonly SearchableEmoji[],
  custom: readonly CustomEmoji[],
  query: string,
  limit = MAX_SUGGESTIONS,
): SearchResult[] {
  return searchEmoji(index, custom, query).slice(0, limit);
}

/** What a suggestion puts in the text: a custom emoji's `:short_name:`, a standard emoji's character. */
export const emojiInsertion = (result: SearchResult) => (result.kind === 'custom' ? `:${result.emoji.shortName}:` : result.unicode);

/** A stable id for a suggestion (the listbox's option ids). */
export const suggestionKey = (result: SearchResult) => (result.kind === 'custom' ? `c-${result.emoji.id}` : `s-${result.unicode}`);

/** The text with the `:query` before the caret replaced by the chosen emoji and a space, and where the caret goes. */
export function insertSuggestion(text: string, caret: number, result: SearchResult): { text: string; caret: number } {
  const before = text.slice(0, caret);
  const query = emojiQueryBefore(before);
  if (query === null) return { text, caret };
  const start = before.length - query.length - 1;
  const inserted = `${before.slice(0, start)}${emojiInsertion(result)} `;
  // A space already after the caret is not doubled.
  const after = text.slice(caret).replace(/^ /, '');
  return { text: inserted + after, caret: inserted.length };
}
