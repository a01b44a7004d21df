/**
 * The shape every locale file has: nested keys ending in strings. A locale can't be typed as
 * `Messages` because plural keys differ by language (ru has `_few`/`_many`, zh/ja/ko only
 * `_other`); i18n/locales.test.ts checks each locale against en.ts instead.
 */
export type Translation = { readonly [key: string]: string | Translation };
