import { describe, expect, it } from 'vitest';
import { toPeriods, toRules } from './quiet-rules.js';

describe('quiet-hours rules', () => {
  it('groups days with the same hours into one rule and expands them back', () => {
    const periods = [
      { day: 1, start: 1320, end: 420 },
      { day: 2, start: 1320, end: 420 },
      { day: 6, start: 0, end: 600 },
    ];
    const rules = toRules(periods);
    expect(rules.map(({ days, start, end }) => ({ days, start, end }))).toEqual([
      { days: [1, 2], start: 1320, end: 420 },
      { days: [6], start: 0, end: 600 },
    ]);
    expect(toPeriods(rules)).toEqual(periods);
  });

  it('drops a rule without days and counts a day once', () => {
    expect(
      toPeriods([
        { key: 1, days: [], start: 0, end: 60 },
        { key: 2, days: [3, 3], start: 60, end: 120 },
      ]),
    ).toEqual([{ day: 3, start: 60, end: 120 }]);
  });
});
