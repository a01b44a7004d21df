/**
 * Translation setup. English ships in the main bundle and is the fallback for every key;
 * the other languages are separate chunks loaded only for people who use them. To add a
 * language: create `locales/<code>.ts` (same keys as en.ts, plural keys by that language's
 * Intl.PluralRules categories; locales.test.ts checks it), add a loader to LOCALES and its
 * own name to LANGUAGE_NAMES. Translators work on JSON (docs/translations.md).
 *
 * The language in use comes from, in order: the account's saved choice (applied after
 * sign-in through `applyLanguage`), this device's last choice (localStorage, so the sign-in
 * screen already speaks it), then the browser's preferred languages.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './locales/en.js';
import type { Translation } from './locales/translation.js';

const LOCALES = {
  en: async () => en,
  ru: async () => (await import('./locales/ru.js')).ru,
  zh: async () => (await import('./locales/zh.js')).zh,
  ja: async () => (await import('./locales/ja.js')).ja,
  ko: async () => (await import('./locales/ko.js')).ko,
} satisfies Record<string, () => Promise<Translation>>;

export type Language = keyof typeof LOCALES;
export const LANGUAGES = Object.keys(LOCALES) as Language[];

/** Each language named in itself, as a picker lists them (never translated). */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  ru: 'Русский',
  zh: '简体中文',
  ja: '日本語',
  ko: '한국어',
};

/**
 * The tag put on <html lang>: `zh-Hans` rather than `zh` so fonts pick Simplified Chinese
 * glyphs for the Han characters Chinese and Japanese share (fonts-noto-cjk keys on it).
 */
const HTML_LANG: Record<Language, string> = { en: 'en', ru: 'ru', zh: 'zh-Hans', ja: 'ja', ko: 'ko' };

export const isLanguage = (code: string): code is Language => Object.hasOwn(LOCALES, code);

const STORAGE_KEY = 'parley.language';

function storedLanguage(): Language | null {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return stored && isLanguage(stored) ? stored : null;
  } catch {
    return null;
  }
}

function storeLanguage(language: Language) {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Storage disabled: the account's saved language still applies after sign-in.
  }
}

/** The first of the browser's preferred languages we have, by full tag then by base language. */
export function pickLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (isLanguage(lower)) return lower;
    const base = lower.split('-')[0] ?? '';
    if (isLanguage(base)) return base;
  }
  return 'en';
}

function applyToDocument(language: Language) {
  document.documentElement.lang = HTML_LANG[language];
  document.documentElement.dir = i18n.dir(language);
}

export async function setupI18n(preferred: readonly string[] = navigator.languages): Promise<typeof i18n> {
  const language = storedLanguage() ?? pickLanguage(preferred);
  const resources: Record<string, { translation: Translation }> = { en: { translation: en } };
  resources[language] = { translation: await LOCALES[language]() };
  await i18n.use(initReactI18next).init({
    lng: language,
    fallbackLng: 'en',
    resources,
    // React escapes every string it renders; escaping here as well would show `&amp;`.
    interpolation: { escapeValue: false },
  });
  applyToDocument(language);
  return i18n;
}

/** The language the app speaks now. */
export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : 'en';
}

/** The language a device would pick with no account choice: its last choice, else the browser's. */
export function deviceLanguage(preferred: readonly string[] = navigator.languages): Language {
  return storedLanguage() ?? pickLanguage(preferred);
}

/** Forgets this device's choice, so the browser's languages decide again. */
export function forgetDeviceLanguage() {
  try {
    window.localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing stored then.
  }
}

/** Switches the whole app to `language` (loading its chunk once); `remember` keeps it on this device. */
export async function applyLanguage(language: Language, { remember = true }: { remember?: boolean } = {}): Promise<void> {
  if (remember) storeLanguage(language);
  if (!i18n.hasResourceBundle(language, 'translation')) {
    i18n.addResourceBundle(language, 'translation', await LOCALES[language]());
  }
  if (i18n.language !== language) await i18n.changeLanguage(language);
  applyToDocument(language);
}

/** For the locale check: every language's messages. */
export async function loadAllLocales(): Promise<Record<Language, Translation>> {
  const all: Partial<Record<Language, Translation>> = {};
  for (const language of LANGUAGES) all[language] = await LOCALES[language]();
  return all as Record<Language, Translation>;
}
