import { describe, expect, it } from 'vitest';
import { groupWaitMicros } from './proc.js';

describe('groupWaitMicros: the wait of instances pinned together that other work can have caused', () => {
  it('counts no wait when the group kept its core busy, however long its members waited for each other', () => {
    // Three instances on one core, busy 100% of a 1 s window, each waiting 600 ms for the others.
    expect(groupWaitMicros(1_800_000, 1_000_000, 1000, 1)).toBe(0);
  });

  it('counts the time the core ran something else, when the group waited at least that long', () => {
    expect(groupWaitMicros(900_000, 600_000, 1000, 1)).toBe(400_000);
  });

  it('never counts more than the group waited', () => {
    expect(groupWaitMicros(50_000, 300_000, 1000, 1)).toBe(50_000);
  });

  it('allows for every core the group may run on when unpinned', () => {
    expect(groupWaitMicros(900_000, 1_500_000, 1000, 2)).toBe(500_000);
  });
});
