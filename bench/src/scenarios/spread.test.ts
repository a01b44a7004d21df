import { describe, expect, it } from 'vitest';
import { pairInstances, spreadVenue } from './spread.js';

describe('spreading the cluster scenario over instances', () => {
  it('puts every pair’s sender and peer on different instances, each instance sending for a third of the pairs', () => {
    const placed = Array.from({ length: 6 }, (_, pair) => pairInstances(pair, 3));
    for (const { sender, receiver } of placed) expect(sender).not.toBe(receiver);
    expect(placed.map((p) => p.sender)).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it('with one instance, puts everyone on it', () => {
    expect(pairInstances(5, 1)).toEqual({ sender: 0, receiver: 0 });
    const venue = spreadVenue({ ports: [4000], pids: [1], cores: 1 });
    expect([venue.senderPort, venue.lightPort(7), venue.fullPort(3)]).toEqual([4000, 4000, 4000]);
  });

  it('spreads a room’s light receivers over every instance and its full clients over the sender’s others', () => {
    const venue = spreadVenue({ ports: [4000, 4001, 4002], pids: [1, 2, 3], cores: 1, side: { redisShare: 9 } });
    expect(venue.senderPort).toBe(4000);
    expect([0, 1, 2, 3].map(venue.lightPort)).toEqual([4000, 4001, 4002, 4000]);
    expect([0, 1, 2, 3].map(venue.fullPort)).toEqual([4001, 4002, 4001, 4002]);
    expect(venue.side).toEqual({ redisShare: 9 });
  });
});
