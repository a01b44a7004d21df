/**
 * Counts inside sentences are written as the reader's language writes numbers —
 * `{{count, number}}`, i18next's Intl.NumberFormat — so 5000 reads "5,000" in English and
 * "5 000" in Russian: the composer's counter, member and online counts, unread messages.
 */
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, loadAllLocales } from './index.js';
import { localeProblems } from './locale-keys.js';
import { en } from './locales/en.js';

const locales = await loadAllLocales();

const COUNTS = [
  ['composer.overLimit', 5000],
  ['composer.charactersLeft', 1000],
  ['settings.profile.charactersLeft', 1000],
  ['chat.members', 12_345],
  ['chat.online', 1001],
  ['userGroups.members', 2500],
  ['info.members', 2500],
  ['chatList.unread', 1234],
] as const;

describe('numbers in sentences', () => {
  for (const language of LANGUAGES) {
    it(`are grouped as ${language} groups them`, async () => {
      const i18n = i18next.createInstance();
      await i18n.init({
        lng: language,
        resources: { [language]: { translation: locales[language] } },
        interpolation: { escapeValue: false },
      });
      for (const [key, count] of COUNTS) {
        const text = i18n.t(key, { count });
        expect(text, key).toContain(new Intl.NumberFormat(language).format(count));
        expect(text, key).not.toContain(String(count));
      }
    });
  }

  it('reads 5 000 in Russian, with a no-break space, and 5,000 in English', async () => {
    const i18n = i18next.createInstance();
    await i18n.init({
      lng: 'ru',
      resources: { ru: { translation: locales.ru }, en: { translation: en } },
      interpolation: { escapeValue: false },
    });
    expect(i18n.t('composer.overLimit', { count: 5000 })).toBe('Лимит превышен на 5\u00a0000 символов');
    expect(i18n.t('composer.overLimit', { count: 5000, lng: 'en' })).toBe('5,000 characters over the limit');
  });

  it('the locale check notices a count that lost its number format', () => {
    const broken = structuredClone(locales.ja) as Record<string, Record<string, string>>;
    if (broken.composer) broken.composer.overLimit_other = '上限を {{count}} 文字超えています';
    expect(localeProblems(en, broken, 'ja')).toEqual(['composer.overLimit_other: {{count}}, en has {{count, number}}']);
  });
});
