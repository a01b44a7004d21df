/**
 * Helpers shared by the locale check and the translator export: a locale's nested messages
 * as flat dotted keys (the form Weblate's "i18next JSON" and most tools read), and the
 * placeholders a message uses.
 */
import type { Translation } from './locales/translation.js';

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

export function flatten(messages: Translation, prefix = ''): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(messages)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') flat[path] = value;
    else Object.assign(flat, flatten(value, path));
  }
  return flat;
}

/** `chat.members` for `chat.members_few`; null for a key that is not a plural form. */
export function pluralBase(key: string): string | null {
  return PLURAL_SUFFIX.test(key) ? key.replace(PLURAL_SUFFIX, '') : null;
}

/** `{{name}}` or `{{name, format}}` (i18next's interpolation format, e.g. `{{count, number}}`). */
const PLACEHOLDER = /\{\{\s*([\w.]+)\s*(?:,\s*([^}]*?)\s*)?\}\}/g;

export function placeholders(text: string): Set<string> {
  return new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1] ?? ''));
}

/** Each placeholder with the format it is written with ('' for none): `count` → `number`. */
export function placeholderFormats(text: string): Map<string, string> {
  return new Map([...text.matchAll(PLACEHOLDER)].map((match) => [match[1] ?? '', match[2] ?? '']));
}

/** en's keys with each plural group re-expanded to `language`'s Intl.PluralRules categories. */
export function expectedKeys(english: Record<string, string>, language: string): string[] {
  const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
  const keys = new Set<string>();
  for (const key of Object.keys(english)) {
    const base = pluralBase(key);
    if (base === null) keys.add(key);
    else for (const category of categories) keys.add(`${base}_${category}`);
  }
  return [...keys].sort();
}

/** The placeholders of en's key, or for a plural key the union over its English forms. */
export function englishPlaceholders(english: Record<string, string>, key: string): Set<string> {
  const base = pluralBase(key);
  if (base === null) return placeholders(english[key] ?? '');
  const union = new Set<string>();
  for (const [other, text] of Object.entries(english)) {
    if (pluralBase(other) === base) for (const name of placeholders(text)) union.add(name);
  }
  return union;
}

/** The format en's key writes each placeholder with, over all its plural forms. */
function englishFormats(english: Record<string, string>, key: string): Map<string, string> {
  const base = pluralBase(key);
  const formats = new Map<string, string>();
  for (const [other, text] of Object.entries(english)) {
    if (other !== key && (base === null || pluralBase(other) !== base)) continue;
    for (const [name, format] of placeholderFormats(text)) formats.set(name, format);
  }
  return formats;
}

/**
 * Everything wrong with a locale against en.ts, one line each (empty when it is complete):
 * missing or extra keys, placeholders that differ, empty messages. A plural form may leave
 * the count out ("Forwarded." for one) but not add a name; `_other`, used for most
 * numbers, must carry all of them. A placeholder keeps en's format (`{{count, number}}`
 * writes 5,000 as the reader's language does: 5 000, 5,000), so no language shows 5000.
 */
export function localeProblems(source: Translation, locale: Translation, language: string): string[] {
  const english = flatten(source);
  const messages = flatten(locale);
  const wanted = expectedKeys(english, language);
  const have = new Set(Object.keys(messages));
  const problems = [
    ...wanted.filter((key) => !have.has(key)).map((key) => `missing ${key}`),
    ...[...have].filter((key) => !wanted.includes(key)).map((key) => `not in en.ts: ${key}`),
  ];
  for (const [key, text] of Object.entries(messages)) {
    if (text.trim() === '') problems.push(`empty ${key}`);
    if (!wanted.includes(key)) continue;
    const expected = englishPlaceholders(english, key);
    const found = placeholders(text);
    const exact = key.endsWith('_other') || pluralBase(key) === null;
    const ok = exact ? found.size === expected.size && [...found].every((n) => expected.has(n)) : [...found].every((n) => expected.has(n));
    if (!ok) problems.push(`${key}: has {${[...found].join(', ')}}, en has {${[...expected].join(', ')}}`);
    const formats = englishFormats(english, key);
    for (const [name, format] of placeholderFormats(text)) {
      const wantedFormat = formats.get(name);
      if (wantedFormat !== undefined && wantedFormat !== format)
        problems.push(`${key}: {{${name}${format ? `, ${format}` : ''}}}, en has {{${name}${wantedFormat ? `, ${wantedFormat}` : ''}}}`);
    }
  }
  return problems;
}
