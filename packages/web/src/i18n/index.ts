/**
 * Translation setup. English ships in the main bundle and is the fallback for every key;
 * other languages are separate chunks loaded only for people who use them. To add one
 * (ru, zh, ko, ja…): create `locales/<code>.ts` exporting a `Messages` object and add a
 * loader line to LOCALES.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en, type Messages } from './locales/en.js';

const LOCALES = {
  en: async () => en,
} satisfies Record<string, () => Promise<Messages>>;

export type Language = keyof typeof LOCALES;
export const LANGUAGES = Object.keys(LOCALES) as Language[];

const isLanguage = (code: string): code is Language => code in LOCALES;

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

export async function setupI18n(preferred: readonly string[] = navigator.languages): Promise<typeof i18n> {
  const language = pickLanguage(preferred);
  const resources: Record<string, { translation: Messages }> = { en: { translation: en } };
  resources[language] = { translation: await LOCALES[language]() };
  await i18n.use(initReactI18next).init({
    lng: language,
    fallbackLng: 'en',
    resources,
    // React escapes every string it renders; escaping here as well would show `&amp;`.
    interpolation: { escapeValue: false },
  });
  document.documentElement.lang = language;
  document.documentElement.dir = i18n.dir(language);
  return i18n;
}
