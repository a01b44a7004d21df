import { describe, expect, it } from 'vitest';
import { isQuiet, quietEndsAt } from './quiet-hours.js';

// Monday 2026-03-02 12:00 UTC = 21:00 in Tokyo (UTC+9, no DST) = 07:00 in New York (EST).
const MONDAY_NOON_UTC = Date.UTC(2026, 2, 2, 12, 0);
const HOUR = 3_600_000;

describe('quiet hours', () => {
  const nightsInTokyo = { periods: [{ day: 1, start: 20 * 60, end: 7 * 60 }], timeZone: 'Asia/Tokyo', dndUntil: null };

  it('reads the schedule in the person’s time zone, past midnight into the next day', () => {
    expect(isQuiet(nightsInTokyo, MONDAY_NOON_UTC)).toBe(true); // Mon 21:00 Tokyo
    expect(isQuiet(nightsInTokyo, MONDAY_NOON_UTC - 2 * HOUR)).toBe(false); // Mon 19:00
    expect(isQuiet(nightsInTokyo, MONDAY_NOON_UTC + 9 * HOUR)).toBe(true); // Tue 06:00
    expect(isQuiet(nightsInTokyo, MONDAY_NOON_UTC + 10 * HOUR)).toBe(false); // Tue 07:00
    expect(isQuiet({ ...nightsInTokyo, timeZone: 'UTC' }, MONDAY_NOON_UTC)).toBe(false);
  });

  it('ends at the first quiet-free minute; do-not-disturb first', () => {
    expect(quietEndsAt(nightsInTokyo, MONDAY_NOON_UTC)).toBe(MONDAY_NOON_UTC + 10 * HOUR);
    const dnd = { periods: [], timeZone: 'UTC', dndUntil: MONDAY_NOON_UTC + HOUR };
    expect(isQuiet(dnd, MONDAY_NOON_UTC)).toBe(true);
    expect(quietEndsAt(dnd, MONDAY_NOON_UTC)).toBe(MONDAY_NOON_UTC + HOUR);
    expect(isQuiet(dnd, MONDAY_NOON_UTC + HOUR)).toBe(false);
  });

  it('follows daylight saving time: 22:00–23:00 in New York moves in UTC across the change', () => {
    const evenings = {
      periods: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: 22 * 60, end: 23 * 60 })),
      timeZone: 'America/New_York',
      dndUntil: null,
    };
    expect(isQuiet(evenings, Date.UTC(2026, 2, 6, 3, 30))).toBe(true); // Thu 22:30 EST (UTC-5)
    expect(isQuiet(evenings, Date.UTC(2026, 2, 10, 2, 30))).toBe(true); // Mon 22:30 EDT (UTC-4)
    expect(isQuiet(evenings, Date.UTC(2026, 2, 10, 3, 30))).toBe(false); // Mon 23:30 EDT
  });
});
