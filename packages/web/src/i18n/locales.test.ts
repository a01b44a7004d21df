/**
 * The CI check for translations: every locale has exactly en.ts's keys — plural keys by
 * that language's own Intl.PluralRules categories (ru one/few/many/other, zh/ja/ko other) —
 * and each message uses the same {{placeholders}} as the English one, so no translation
 * can drop a name or a count, or ask for one the code never passes.
 */
import { describe, expect, it } from 'vitest';
import { LANGUAGES, loadAllLocales } from './index.js';
import { flatten, placeholders, pluralBase } from './locale-keys.js';
import { en } from './locales/en.js';
import type { Translation } from './locales/translation.js';

const locales = await loadAllLocales();
const english = flatten(en);

/** en's keys with each plural group re-expanded to `language`'s categories. */
function expectedKeys(language: string): string[] {
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
function englishPlaceholders(key: string): Set<string> {
  const base = pluralBase(key);
  if (base === null) return placeholders(english[key] ?? '');
  const union = new Set<string>();
  for (const [other, text] of Object.entries(english)) {
    if (pluralBase(other) === base) for (const name of placeholders(text)) union.add(name);
  }
  return union;
}

describe('locales', () => {
  it('lists the five languages', () => {
    expect(LANGUAGES).toEqual(['en', 'ru', 'zh', 'ja', 'ko']);
  });

  for (const language of LANGUAGES) {
    const messages = flatten(locales[language] as Translation);

    it(`${language} has every key of en.ts, plurals by its own categories, and nothing else`, () => {
      expect(Object.keys(messages).sort()).toEqual(expectedKeys(language));
    });

    it(`${language} uses the same {{placeholders}} as en.ts`, () => {
      const mismatches: string[] = [];
      for (const [key, text] of Object.entries(messages)) {
        const wanted = englishPlaceholders(key);
        const found = placeholders(text);
        // A plural form may leave the count out ("Forwarded." for one) but not add a name;
        // the `other` form, used for most numbers, must carry all of them.
        const ok =
          key.endsWith('_other') || pluralBase(key) === null
            ? found.size === wanted.size && [...found].every((name) => wanted.has(name))
            : [...found].every((name) => wanted.has(name));
        if (!ok) mismatches.push(`${key}: has {${[...found].join(', ')}}, en has {${[...wanted].join(', ')}}`);
      }
      expect(mismatches).toEqual([]);
    });

    it(`${language} leaves no message empty`, () => {
      expect(Object.entries(messages).filter(([, text]) => text.trim() === '')).toEqual([]);
    });
  }
});
