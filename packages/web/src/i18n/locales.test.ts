/**
 * The CI check for translations: every locale has exactly en.ts's keys — plural keys by
 * that language's own Intl.PluralRules categories (ru one/few/many/other, zh/ja/ko other) —
 * and each message uses the same {{placeholders}} as the English one, so no translation
 * can drop a name or a count, or ask for one the code never passes. The same check guards
 * imports from translators (scripts/locales-json.ts).
 */
import { describe, expect, it } from 'vitest';
import { LANGUAGES, loadAllLocales } from './index.js';
import { localeProblems } from './locale-keys.js';
import { en } from './locales/en.js';

const locales = await loadAllLocales();

describe('locales', () => {
  it('lists the five languages', () => {
    expect(LANGUAGES).toEqual(['en', 'ru', 'zh', 'ja', 'ko']);
  });

  for (const language of LANGUAGES) {
    it(`${language} has every key of en.ts (plurals by its own categories), nothing else, and the same {{placeholders}}`, () => {
      expect(localeProblems(en, locales[language], language)).toEqual([]);
    });
  }

  it('notices a missing key, a missing plural form, an extra key and a dropped placeholder', () => {
    const broken = structuredClone(locales.ru) as Record<string, Record<string, string>>;
    delete broken.app?.retry;
    delete broken.chatList?.unread_few;
    if (broken.common) broken.common.extra = 'лишнее';
    if (broken.people) broken.people.remove = 'Убрать';
    expect(localeProblems(en, broken, 'ru')).toEqual([
      'missing app.retry',
      'missing chatList.unread_few',
      'not in en.ts: common.extra',
      'people.remove: has {}, en has {name}',
    ]);
  });
});
