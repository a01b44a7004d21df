/** Frames built from parts are byte for byte what serialising the whole frame gives, and a published message is serialised once. */
import { describe, expect, it, vi } from 'vitest';
import { resultFrame, storedEventFrame } from './frame-json.js';

const message = {
  id: 'm1',
  chatId: 'c1',
  seq: 3,
  text: 'quotes " and \\ and emoji 🎉 and \u2028',
  replyTo: null,
  reactions: [],
  sender: { id: 'u1', displayName: 'Zoë' },
};

describe('frames built from parts', () => {
  it('writes a stored event exactly as JSON.stringify of the frame, for message payloads and others', () => {
    for (const data of [{ message }, { chatId: 'c1', userId: 'u1', lastReadSeq: 7 }, { message, extra: 1 }, {}]) {
      const frame = { type: 'event', event: 'message.created', stream: 'c:c1', seq: 12, data };
      expect(storedEventFrame(frame.event, frame.stream, frame.seq, data).toString()).toBe(JSON.stringify(frame));
    }
  });

  it('writes a result exactly as JSON.stringify of the frame', () => {
    for (const result of [message, { ok: true }, { items: [message] }, 'text', 5]) {
      expect(resultFrame('id"1', result).toString()).toBe(JSON.stringify({ type: 'result', id: 'id"1', result }));
    }
  });

  it('does not serialise the message again for the reply once its event was framed', () => {
    const fresh = { ...message, id: 'm2' };
    storedEventFrame('message.created', 'c:c1', 13, { message: fresh });
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      const reply = resultFrame('s1', fresh).toString();
      expect(JSON.parse(reply)).toEqual({ type: 'result', id: 's1', result: fresh });
      expect(stringify.mock.calls.some(([value]) => value === fresh)).toBe(false);
    } finally {
      stringify.mockRestore();
    }
  });
});
