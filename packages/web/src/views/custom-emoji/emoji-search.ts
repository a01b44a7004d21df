/**
 * Emoji search by name and keyword in the UI language (E19): Emojibase's CLDR labels and
 * tags (emojibase-data) for en, ru, zh, ja and ko, loaded as a separate chunk the first time
 * someone searches, plus the server's custom emoji by short name. Skin-tone components and
 * regional letters are left out; matches on the label's start rank first.
 */
import type { CustomEmoji } from '@parley/protocol';

interface DatasetEntry {
  label: string;
  unicode: string;
  group?: number;
  order?: number;
  tags?: string[];
}

const DATASETS: Record<string, () => Promise<{ default: DatasetEntry[] }>> = {
  en: () => import('emojibase-data/en/compact.json'),
  ru: () => import('emojibase-data/ru/compact.json'),
  zh: () => import('emojibase-data/zh/compact.json'),
  ja: () => import('emojibase-data/ja/compact.json'),
  ko: () => import('emojibase-data/ko/compact.json'),
};

/** Emojibase's "component" group: skin tones and hair styles, never picked alone. */
const COMPONENT_GROUP = 2;
const MAX_RESULTS = 96;

export interface SearchableEmoji {
  unicode: string;
  label: string;
  /** Label and tags, folded for matching. */
  words: string[];
  order: number;
}

/**
 * Case, width and ё/е folded, and hiragana as katakana: CLDR's Japanese keywords are often
 * katakana (ネコ) while people type hiragana (ねこ) before converting.
 */
const fold = (text: string) =>
  text
    .normalize('NFKC')
    .toLocaleLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[\u3041-\u3096]/g, (kana) => String.fromCharCode(kana.charCodeAt(0) + 0x60));

const loaded = new Map<string, Promise<SearchableEmoji[]>>();

/** The searchable emoji of a language (English for one we have no data for); loaded once. */
export function loadEmojiIndex(language: string): Promise<SearchableEmoji[]> {
  const code = language.split('-')[0] ?? 'en';
  const key = code in DATASETS ? code : 'en';
  let index = loaded.get(key);
  if (!index) {
    index = (DATASETS[key] as () => Promise<{ default: DatasetEntry[] }>)().then(({ default: entries }) =>
      entries
        .filter((e) => e.group !== undefined && e.group !== COMPONENT_GROUP)
        .map((e) => ({
          unicode: e.unicode,
          label: e.label,
          words: [fold(e.label), ...(e.tags ?? []).map(fold)],
          order: e.order ?? Number.MAX_SAFE_INTEGER,
        })),
    );
    loaded.set(key, index);
  }
  return index;
}

export type SearchResult = { kind: 'custom'; emoji: CustomEmoji } | { kind: 'standard'; unicode: string; label: string };

/** How well `words` match the query: lower is better, null for no match. */
function rank(words: string[], query: string): number | null {
  const [label = '', ...tags] = words;
  if (label === query) return 0;
  if (label.startsWith(query)) return 1;
  if (tags.includes(query)) return 2;
  if (label.split(/\s+/).some((w) => w.startsWith(query))) return 3;
  if (tags.some((t) => t.startsWith(query))) return 4;
  if (label.includes(query) || tags.some((t) => t.includes(query))) return 5;
  return null;
}

export function searchEmoji(index: readonly SearchableEmoji[], custom: readonly CustomEmoji[], rawQuery: string): SearchResult[] {
  const query = fold(rawQuery.trim()).replace(/^:|:$/g, '');
  if (query === '') return [];
  const customHits: SearchResult[] = custom
    .filter((e) => e.shortName.includes(query.replace(/\s+/g, '_')))
    .map((emoji) => ({ kind: 'custom', emoji }));
  const standard = index
    .map((entry) => ({ entry, score: rank(entry.words, query) }))
    .filter((hit): hit is { entry: SearchableEmoji; score: number } => hit.score !== null)
    .sort((a, b) => a.score - b.score || a.entry.order - b.entry.order)
    .slice(0, MAX_RESULTS)
    .map(({ entry }): SearchResult => ({ kind: 'standard', unicode: entry.unicode, label: entry.label }));
  return [...customHits, ...standard];
}
