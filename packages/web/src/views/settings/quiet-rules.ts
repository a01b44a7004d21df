/**
 * The quiet-hours editor's rows: the server stores one period per weekday; the editor
 * shows the same hours on several days as one rule.
 */
import type { QuietPeriod } from '@parley/protocol';

export interface QuietRule {
  key: number;
  days: number[];
  start: number;
  end: number;
}

/** Weekdays in the order the editor shows them, Monday first (0 = Sunday). */
export const WEEK = [1, 2, 3, 4, 5, 6, 0];

let nextKey = 1;
export const newRuleKey = () => nextKey++;

/** Periods with the same hours become one rule with several days. */
export function toRules(periods: readonly QuietPeriod[]): QuietRule[] {
  const rules = new Map<string, QuietRule>();
  for (const p of periods) {
    const id = `${p.start}-${p.end}`;
    const rule = rules.get(id) ?? { key: newRuleKey(), days: [], start: p.start, end: p.end };
    rule.days.push(p.day);
    rules.set(id, rule);
  }
  return [...rules.values()];
}

/** Back to one period per day; a day ticked twice in one rule counts once, a rule without days adds nothing. */
export const toPeriods = (rules: readonly QuietRule[]): QuietPeriod[] =>
  rules.flatMap((r) => [...new Set(r.days)].sort().map((day) => ({ day, start: r.start, end: r.end })));
