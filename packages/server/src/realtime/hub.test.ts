/**
 * The hub's ordering rules on a controlled bus and log (a unit test: the timing of
 * publications and log reads is set by the test, which a real server cannot do).
 */
import { describe, expect, it } from 'vitest';
import { createLocalBus, type StoredEvent } from './bus.js';
import { Hub } from './hub.js';

const stream = 'c:chat1' as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const event = (seq: number): StoredEvent => ({ kind: 'stored', stream, seq, name: 'message.created', privateTo: null, data: { seq } });

/** A log whose reads see what was committed when they began, and answer after `readDelayMs`. */
function setup() {
  const log: StoredEvent[] = [];
  const control = { readDelayMs: 0 };
  const warnings: string[] = [];
  const bus = createLocalBus();
  const hub = new Hub(
    bus,
    {
      chatIdsOf: async () => ['chat1'],
      membershipHeads: async () => [{ chatId: 'chat1', head: log.length, member: true, joinedSeq: 1 }],
      userHead: async () => 0,
      async read(_stream, after, limit) {
        const snapshot = log.filter((e) => e.seq > after).slice(0, limit);
        await sleep(control.readDelayMs);
        return snapshot;
      },
    },
    undefined,
    { warn: (_obj, msg) => warnings.push(msg) },
  );
  const received: number[] = [];
  const session = {
    userId: 'u1',
    sessionId: 's1',
    deliver: (encoded: Buffer) => {
      const frame = JSON.parse(String(encoded)) as { seq?: number };
      if (frame.seq) received.push(frame.seq);
    },
    close() {},
  };
  return { log, control, warnings, bus, hub, received, session, commit: (seq: number) => log.push(event(seq)) };
}

describe('the hub', () => {
  it('delivers a stream in order when its events publish in reverse order', async () => {
    const { hub, bus, received, session, commit } = setup();
    await hub.attach(session);
    commit(1);
    commit(2);
    bus.publish(event(2));
    bus.publish(event(1));
    expect(received).toEqual([1, 2]);
    hub.stop();
  });

  it('fills from the log a position whose publication never comes', async () => {
    const { hub, bus, received, session, commit } = setup();
    await hub.attach(session);
    commit(1);
    commit(2);
    bus.publish(event(2));
    await sleep(80);
    expect(received).toEqual([1, 2]);
    hub.stop();
  });

  it('does not skip a position committed after a gap read began, when a later event arrives during that read', async () => {
    const { hub, bus, received, session, commit, control, warnings } = setup();
    for (let seq = 1; seq <= 916; seq += 1) commit(seq);
    await hub.attach(session);
    commit(917);
    commit(918);
    bus.publish(event(918)); // early: a gap read is scheduled
    control.readDelayMs = 40;
    await sleep(30); // the read has begun (it sees up to 918) and is slow
    commit(919);
    commit(920);
    bus.publish(event(920)); // arrives during the read; 919 is committed but not in what it sees
    await sleep(60);
    bus.publish(event(917));
    bus.publish(event(919));
    await sleep(150);
    expect(received).toEqual([917, 918, 919, 920]);
    expect(warnings).toEqual([]);
    hub.stop();
  });
});
