/**
 * WebSocket framing of a text message as a server sends it (RFC 6455 §5.2): one final
 * fragment, opcode 1 (text), no mask, no compression (the server turns permessage-deflate
 * off). Such a frame is the same bytes for every recipient, so an event delivered to
 * thousands of sockets is framed once and each socket gets one buffer to write, where
 * `ws.send` would build a header and two writes per socket. The header is `ws`'s own
 * (`Sender.frame`, exported by `ws` though its type definitions do not declare it).
 */
import * as ws from 'ws';

const { Sender } = ws as unknown as {
  Sender: {
    frame(data: Buffer, options: { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean }): Buffer[];
  };
};

const TEXT = { fin: true, opcode: 1, mask: false, readOnly: true, rsv1: false };

export function textFrame(payload: Buffer): Buffer {
  return Buffer.concat(Sender.frame(payload, TEXT));
}

let lastPayload: Buffer | null = null;
let lastFrame: Buffer | null = null;

/**
 * `textFrame`, remembering the last payload framed: the hub hands the same payload to
 * every socket of a fan-out one after another, so all but the first find it here.
 */
export function textFrameOf(payload: Buffer): Buffer {
  if (payload !== lastPayload || lastFrame === null) {
    lastFrame = textFrame(payload);
    lastPayload = payload;
  }
  return lastFrame;
}
