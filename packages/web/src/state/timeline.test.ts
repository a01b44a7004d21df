import type { Message } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { deliveredToSomeone, deliveryOf, firstUnreadSeq, readersOf, readUpTo } from './delivery.js';
import { buildTimeline, type PendingMessage } from './timeline.js';

const ME = 'me';
const dayKey = (iso: string) => iso.slice(0, 10);

function message(seq: number, senderId: string, at: string, overrides: Partial<Message> = {}): Message {
  return {
    id: `m${seq}`,
    chatId: 'c1',
    seq,
    kind: 'text',
    senderId,
    sender: { id: senderId, username: senderId, displayName: senderId },
    clientId: null,
    text: `message ${seq}`,
    replyTo: null,
    forwardedFrom: null,
    privateTo: null,
    system: null,
    mentions: [],
    mentionsAll: false,
    reactions: [],
    createdAt: at,
    editedAt: null,
    deletedAt: null,
    ...overrides,
  };
}

const summary = (rows: ReturnType<typeof buildTimeline>) =>
  rows.map((row) => {
    switch (row.kind) {
      case 'day':
        return `day ${row.at.slice(0, 10)}`;
      case 'unread':
        return 'unread';
      case 'system':
        return `system ${row.message.seq}`;
      case 'message':
        return `${row.message.seq}${row.first ? ' first' : ''}${row.last ? ' last' : ''}`;
      case 'pending':
        return `pending ${row.pending.clientId}${row.first ? ' first' : ''}${row.last ? ' last' : ''}`;
    }
    return '';
  });

describe('buildTimeline', () => {
  it('puts a separator at each new day and groups one sender’s messages within five minutes', () => {
    const rows = buildTimeline(
      [
        message(1, 'ann', '2024-05-01T10:00:00Z'),
        message(2, 'ann', '2024-05-01T10:02:00Z'),
        message(3, 'ann', '2024-05-01T10:09:00Z'),
        message(4, 'bob', '2024-05-01T10:09:30Z'),
        message(5, 'bob', '2024-05-02T08:00:00Z'),
      ],
      [],
      { meId: ME, unreadAfterSeq: null, dayKey },
    );
    expect(summary(rows)).toEqual([
      'day 2024-05-01',
      '1 first',
      '2 last',
      '3 first last',
      '4 first last',
      'day 2024-05-02',
      '5 first last',
    ]);
  });

  it('places the new-messages divider before the first unread message from someone else, breaking the group', () => {
    const rows = buildTimeline(
      [
        message(1, 'ann', '2024-05-01T10:00:00Z'),
        message(2, ME, '2024-05-01T10:00:10Z'),
        message(3, 'ann', '2024-05-01T10:00:20Z'),
        message(4, 'ann', '2024-05-01T10:00:30Z'),
      ],
      [],
      { meId: ME, unreadAfterSeq: 1, dayKey },
    );
    expect(summary(rows)).toEqual(['day 2024-05-01', '1 first last', '2 first last', 'unread', '3 first', '4 last']);
  });

  it('never groups across system messages or between a private and a public message', () => {
    const rows = buildTimeline(
      [
        message(1, 'ann', '2024-05-01T10:00:00Z'),
        message(2, 'ann', '2024-05-01T10:00:01Z', { privateTo: ME }),
        message(3, 'ann', '2024-05-01T10:00:02Z', { kind: 'system', senderId: null }),
        message(4, 'ann', '2024-05-01T10:00:03Z'),
      ],
      [],
      { meId: ME, unreadAfterSeq: null, dayKey },
    );
    expect(summary(rows)).toEqual(['day 2024-05-01', '1 first last', '2 first last', 'system 3', '4 first last']);
  });

  it('shows pending messages after the stored ones, grouped with our last message', () => {
    const pending: PendingMessage = {
      clientId: 'c-1',
      chatId: 'c1',
      text: 'on its way',
      replyTo: null,
      privateTo: null,
      createdAt: '2024-05-01T10:01:00Z',
      failed: false,
    };
    const rows = buildTimeline([message(1, ME, '2024-05-01T10:00:00Z', { clientId: 'c-0' })], [pending], {
      meId: ME,
      unreadAfterSeq: null,
      dayKey,
    });
    expect(summary(rows)).toEqual(['day 2024-05-01', '1 first', 'pending c-1 last']);
    expect(rows.map((r) => r.key)).toEqual(['day:2024-05-01', 'c:me:c-0', 'c:me:c-1']);
  });
});

describe('read state', () => {
  const positions = [
    { userId: ME, lastReadSeq: 10 },
    { userId: 'ann', lastReadSeq: 7 },
    { userId: 'bob', lastReadSeq: 4 },
  ];

  it('shows ✓✓ once another member has read up to the message, and lists who', () => {
    expect(deliveryOf(readersOf({ seq: 5, privateTo: null }, positions, ME))).toBe('read');
    expect(readersOf({ seq: 5, privateTo: null }, positions, ME).map((p) => p.userId)).toEqual(['ann']);
    expect(deliveryOf(readersOf({ seq: 8, privateTo: null }, positions, ME))).toBe('sent');
  });

  it('shows delivered (✓✓ uncoloured) once a device of another member has it, before anyone reads it', () => {
    const received = [...positions, { userId: 'cat', lastReadSeq: 0, deliveredSeq: 9 }];
    expect(deliveredToSomeone({ seq: 9, privateTo: null }, received, ME)).toBe(true);
    expect(deliveryOf(readersOf({ seq: 9, privateTo: null }, received, ME), true)).toBe('delivered');
    // Our own devices do not count, nor, for a private message, anyone but its recipient.
    expect(deliveredToSomeone({ seq: 10, privateTo: null }, received, ME)).toBe(false);
    expect(deliveredToSomeone({ seq: 9, privateTo: 'bob' }, received, ME)).toBe(false);
    // Read implies delivered.
    expect(deliveredToSomeone({ seq: 7, privateTo: null }, positions, ME)).toBe(true);
  });

  it('counts only the recipient for a private message', () => {
    expect(deliveryOf(readersOf({ seq: 3, privateTo: 'bob' }, positions, ME))).toBe('read');
    expect(readersOf({ seq: 5, privateTo: 'bob' }, positions, ME)).toEqual([]);
  });

  it('finds the first unread message from someone else, and how far a reader has now read', () => {
    const messages = [message(3, ME, '2024-05-01T10:00:00Z'), message(4, 'ann', '2024-05-01T10:00:00Z')];
    expect(firstUnreadSeq(messages, 2, ME)).toBe(4);
    expect(firstUnreadSeq(messages, 4, ME)).toBeNull();
    expect(readUpTo([5, 9, 7], 6)).toBe(9);
    expect(readUpTo([5, 6], 6)).toBeNull();
  });
});
