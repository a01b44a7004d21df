/**
 * Dates and times in the reader's language, through Intl so no locale data ships with the
 * app. Formatters are cached: building one costs far more than using it, and a message
 * list formats hundreds of times per page.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function dateFormat(language: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${language}|${JSON.stringify(options)}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(language, options);
    formatters.set(key, formatter);
  }
  return formatter;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "5 minutes ago", "yesterday"; null when under a minute, which callers word themselves ("just now"). */
export function formatRelative(iso: string, language: string, now: number = Date.now()): string | null {
  const elapsed = Date.parse(iso) - now;
  const format = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  for (const [unit, ms] of UNITS) {
    if (Math.abs(elapsed) >= ms) return format.format(Math.round(elapsed / ms), unit);
  }
  return null;
}

export function formatDateTime(iso: string, language: string): string {
  return dateFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** Calendar days from `iso` to `now` in local time: 0 today, 1 yesterday. */
export function daysAgo(iso: string, now: number = Date.now()): number {
  const day = (ms: number) => {
    const d = new Date(ms);
    return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / 86_400_000;
  };
  return day(now) - day(Date.parse(iso));
}

export function formatTime(iso: string, language: string): string {
  return dateFormat(language, { timeStyle: 'short' }).format(new Date(iso));
}

/** A day as a separator names it, for days before yesterday: "Monday, May 6", with the year when not this one. */
export function formatDay(iso: string, language: string, now: number = Date.now()): string {
  const date = new Date(iso);
  const sameYear = date.getFullYear() === new Date(now).getFullYear();
  return dateFormat(language, {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    ...(sameYear ? {} : { year: 'numeric' }),
  }).format(date);
}

/** The chat list's compact time: the time today, the weekday this week, else the date. */
export function formatListTime(iso: string, language: string, now: number = Date.now()): string {
  const days = daysAgo(iso, now);
  if (days <= 0) return formatTime(iso, language);
  if (days < 7) return dateFormat(language, { weekday: 'short' }).format(new Date(iso));
  const sameYear = new Date(iso).getFullYear() === new Date(now).getFullYear();
  return dateFormat(language, sameYear ? { month: 'short', day: 'numeric' } : { dateStyle: 'short' }).format(new Date(iso));
}

const lists = new Map<string, Intl.ListFormat>();

/** Names as the reader's language lists them: "Ann, Bob and Cat", "Ann、Bob、Cat", "Анна, Борис и Кира". */
export function formatList(items: readonly string[], language: string, type: Intl.ListFormatType = 'conjunction'): string {
  const key = `${language}|${type}`;
  let format = lists.get(key);
  if (!format) {
    format = new Intl.ListFormat(language, { style: 'long', type });
    lists.set(key, format);
  }
  return format.format(items);
}
