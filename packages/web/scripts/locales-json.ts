/**
 * Translators' round trip (docs/translations.md). The locale files in src/i18n/locales are
 * the source the app builds from; translators work on i18next JSON v4 files, the format
 * Weblate, Crowdin and most tools read ("i18next JSON v4": nested keys, plurals as
 * `key_one` / `key_few` / `key_many` / `key_other`).
 *
 *   npm run locales:export -w @parley/web          → translations/<lang>.json for every language
 *   npm run locales:import -w @parley/web -- ru    → translations/ru.json back into locales/ru.ts
 *
 * An import is refused unless the file passes the same check CI runs (every key of en.ts,
 * plural keys by the language's own categories, the same {{placeholders}}).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LANGUAGES, type Language, loadAllLocales } from '../src/i18n/index.js';
import { localeProblems } from '../src/i18n/locale-keys.js';
import { en } from '../src/i18n/locales/en.js';
import type { Translation } from '../src/i18n/locales/translation.js';

const WEB = fileURLToPath(new URL('..', import.meta.url));
const JSON_DIR = path.join(WEB, 'translations');
const LOCALE_DIR = path.join(WEB, 'src', 'i18n', 'locales');

async function exportAll() {
  fs.mkdirSync(JSON_DIR, { recursive: true });
  const locales = await loadAllLocales();
  for (const language of LANGUAGES) {
    fs.writeFileSync(path.join(JSON_DIR, `${language}.json`), `${JSON.stringify(locales[language], null, 2)}\n`);
  }
  console.log(`wrote ${LANGUAGES.map((l) => `translations/${l}.json`).join(', ')}`);
}

const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
const isIdentifier = (key: string) => /^[A-Za-z_$][\w$]*$/.test(key);

function literal(messages: Translation, indent = '  '): string {
  const lines = Object.entries(messages).map(([key, value]) => {
    const name = isIdentifier(key) ? key : quote(key);
    return typeof value === 'string' ? `${indent}${name}: ${quote(value)},` : `${indent}${name}: ${literal(value, `${indent}  `)},`;
  });
  return `{\n${lines.join('\n')}\n${indent.slice(2)}}`;
}

function importOne(language: Language) {
  if (language === 'en') throw new Error('en.ts is the source: edit it directly');
  const messages = JSON.parse(fs.readFileSync(path.join(JSON_DIR, `${language}.json`), 'utf8')) as Translation;
  const problems = localeProblems(en, messages, language);
  if (problems.length > 0) throw new Error(`translations/${language}.json does not match en.ts:\n  ${problems.join('\n  ')}`);
  const file = path.join(LOCALE_DIR, `${language}.ts`);
  const header = fs.readFileSync(file, 'utf8').split('export const')[0] ?? '';
  fs.writeFileSync(file, `${header}export const ${language} = ${literal(messages)} satisfies Translation;\n`);
  console.log(`updated src/i18n/locales/${language}.ts (run npx biome format --write on it)`);
}

const [command, language] = process.argv.slice(2);
if (command === 'export') await exportAll();
else if (command === 'import' && language && (LANGUAGES as string[]).includes(language)) importOne(language as Language);
else {
  console.error('usage: locales-json.ts export | import <ru|zh|ja|ko>');
  process.exit(2);
}
