/** Unit test: the frames built once per fan-out are byte for byte what `ws` itself sends. */
import { describe, expect, it } from 'vitest';
import * as ws from 'ws';
import { textFrame, textFrameOf } from './ws-frame.js';

// `ws` exports its frame writer and parser, but its type definitions do not declare them.
const { Sender, Receiver } = ws as unknown as {
  Sender: { frame(data: Buffer, options: object): Buffer[] };
  Receiver: new (options: {
    isServer: boolean;
  }) => {
    on(event: 'message', listener: (data: Buffer) => void): void;
    write(chunk: Buffer): void;
  };
};

/** What `ws`'s server side writes for a text message: its header, then the payload. */
const framedByWs = (payload: Buffer) =>
  Buffer.concat(Sender.frame(payload, { fin: true, opcode: 1, mask: false, readOnly: true, rsv1: false }));

describe('textFrame', () => {
  // 125/126 and 65535/65536 are where the length field changes size (7 bits, 16, 64).
  for (const length of [0, 1, 125, 126, 127, 65535, 65536, 200_000]) {
    it(`frames a ${length}-byte text message exactly as ws does, and a ws client reads it back`, async () => {
      const payload = Buffer.alloc(length, 'é'.charCodeAt(0) % 128);
      const frame = textFrame(payload);
      expect(frame.equals(framedByWs(payload))).toBe(true);
      const receiver = new Receiver({ isServer: false });
      const received = new Promise<Buffer>((resolve) => receiver.on('message', resolve));
      receiver.write(frame);
      expect((await received).equals(payload)).toBe(true);
    });
  }

  it('frames a payload again once another came in between, and reuses the frame for the same payload', () => {
    const first = Buffer.from('{"a":1}');
    const second = Buffer.from('{"b":22}');
    const framed = textFrameOf(first);
    expect(textFrameOf(first)).toBe(framed);
    expect(textFrameOf(second).equals(textFrame(second))).toBe(true);
    expect(textFrameOf(first).equals(framed)).toBe(true);
  });
});
