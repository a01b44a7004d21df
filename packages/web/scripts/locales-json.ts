/**
 * Translators' round trip (docs/translations.md). The locale files in src/i18n/locales are
 * the source the app builds from; translators work on i18next JSON v4 files, the format
 * Weblate, Crowdin and most tools read ("i18next JSON v4": nested keys, plurals as
 * `key_one` / `key_few` / `key_many` / `key_other`).
 *
 *   npm run locales:export -w @parley/web          → translations/<lang>.json for every language
 *   npm run locales:import -w @parley/web -- ru    → translations/ru.json back into locales/ru.ts
 *                                                    and the area files it includes (admin/ru.ts…)
 *
 * An import is refused, writing nothing, unless the file passes the same check CI runs
 * (localeProblems: every key of en.ts, plural keys by the language's own categories, the
 * same {{placeholders}}). `--locales <dir>` and `--json <dir>` work on other folders (the
 * round-trip test runs on a copy).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LANGUAGES, type Language } from '../src/i18n/index.js';
import { localeProblems } from '../src/i18n/locale-keys.js';
import type { Translation } from '../src/i18n/locales/translation.js';
import { writeLocale } from './locale-source.js';

const WEB = fileURLToPath(new URL('..', import.meta.url));

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  const value = at > 0 ? process.argv[at + 1] : undefined;
  return path.resolve(value ?? fallback);
}

const JSON_DIR = option('--json', path.join(WEB, 'translations'));
const LOCALE_DIR = option('--locales', path.join(WEB, 'src', 'i18n', 'locales'));

/** A language's messages as its files under LOCALE_DIR hold them (area files included). */
async function loadLocale(language: Language): Promise<Translation> {
  const module = (await import(pathToFileURL(path.join(LOCALE_DIR, `${language}.ts`)).href)) as Record<string, Translation>;
  const messages = module[language];
  if (!messages) throw new Error(`${language}.ts exports no \`${language}\``);
  return messages;
}

async function exportAll() {
  fs.mkdirSync(JSON_DIR, { recursive: true });
  for (const language of LANGUAGES) {
    fs.writeFileSync(path.join(JSON_DIR, `${language}.json`), `${JSON.stringify(await loadLocale(language), null, 2)}\n`);
  }
  console.log(`wrote ${LANGUAGES.map((l) => path.join(JSON_DIR, `${l}.json`)).join(', ')}`);
}

async function importOne(language: Language) {
  if (language === 'en') throw new Error('en.ts is the source: edit it directly');
  const file = path.join(JSON_DIR, `${language}.json`);
  const messages = JSON.parse(fs.readFileSync(file, 'utf8')) as Translation;
  const problems = localeProblems(await loadLocale('en'), messages, language);
  if (problems.length > 0) throw new Error(`${file} does not match en.ts:\n  ${problems.join('\n  ')}`);
  const changed = writeLocale(LOCALE_DIR, language, messages);
  console.log(changed.length ? `updated ${changed.map((f) => path.relative(LOCALE_DIR, f)).join(', ')}` : 'nothing changed');
}

const [command, language] = process.argv.slice(2);
try {
  if (command === 'export') await exportAll();
  else if (command === 'import' && language && (LANGUAGES as string[]).includes(language)) await importOne(language as Language);
  else {
    console.error('usage: locales-json.ts export | import <ru|zh|ja|ko> [--locales <dir>] [--json <dir>]');
    process.exit(2);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
