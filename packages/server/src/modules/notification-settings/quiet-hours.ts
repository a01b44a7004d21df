/**
 * Quiet hours (★): a weekly schedule in the person's own time zone, plus "do not disturb
 * until …". Pure functions of the settings and an instant, so every instance and every
 * job agrees, and daylight-saving changes are the time zone database's business.
 */
import type { QuietPeriod } from '@parley/protocol';

export interface QuietSchedule {
  periods: QuietPeriod[];
  timeZone: string;
  dndUntil: number | null;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The weekday (0 = Sunday) and minute of the day at `at` in `timeZone`. */
export function localTime(at: number, timeZone: string): { day: number; minute: number } {
  const parts = formatter(timeZone).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: WEEKDAYS[part('weekday')] ?? 0, minute: Number(part('hour')) * 60 + Number(part('minute')) };
}

function inPeriod(p: QuietPeriod, day: number, minute: number): boolean {
  if (p.start === p.end) return false;
  if (p.start < p.end) return p.day === day && minute >= p.start && minute < p.end;
  // Past midnight: from the start to the end of its day, then on into the next morning.
  return (p.day === day && minute >= p.start) || ((p.day + 1) % 7 === day && minute < p.end);
}

export function isQuiet(schedule: QuietSchedule, at: number): boolean {
  if (schedule.dndUntil !== null && at < schedule.dndUntil) return true;
  if (schedule.periods.length === 0) return false;
  const { day, minute } = localTime(at, schedule.timeZone);
  return schedule.periods.some((p) => inPeriod(p, day, minute));
}

const STEP_MS = 60_000;
const WEEK_MS = 7 * 86_400_000;

/** The first minute from `at` that is not quiet; `at` itself when it isn't. A schedule quiet all week answers a week on. */
export function quietEndsAt(schedule: QuietSchedule, at: number): number {
  let t = at;
  // Jump over "do not disturb" first, then walk the schedule a minute at a time (DST-safe).
  if (schedule.dndUntil !== null && t < schedule.dndUntil) t = schedule.dndUntil;
  const limit = at + WEEK_MS;
  while (t < limit && isQuiet({ ...schedule, dndUntil: null }, t)) t = Math.floor(t / STEP_MS) * STEP_MS + STEP_MS;
  return Math.min(t, limit);
}
