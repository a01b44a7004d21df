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

export function placeholders(text: string): Set<string> {
  return new Set([...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((match) => match[1] ?? ''));
}
