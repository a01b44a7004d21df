/**
 * WebSocket framing of a text message as a server sends it (RFC 6455 §5.2): one final
 * fragment, opcode 1 (text), no mask, no compression (the server turns permessage-deflate
 * off). Such a frame is the same bytes for every recipient, so an event delivered to
 * thousands of sockets is framed once and each socket gets one buffer to write, where
 * `ws.send` would build a header and two writes per socket.
 */
export function textFrame(payload: Buffer): Buffer {
  const length = payload.length;
  const headerLength = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81; // FIN, text
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  payload.copy(frame, headerLength);
  return frame;
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
