import { describe, expect, it } from 'vitest';
import { messageText, sentAtInFrame } from './message-text.js';

const frame = (text: string) =>
  Buffer.from(
    `{"type":"event","event":"message.created","stream":"c:abc","seq":7,"data":{"message":{"id":"m1","text":"${text}","seq":7}}}`,
  );

describe('sentAtInFrame: the send time a delivery carries, read from its bytes', () => {
  it('reads the time messageText wrote', () => {
    const data = frame(messageText(42, 12345.678));
    expect(sentAtInFrame(data, 0, data.length)).toBe(12345.678);
  });

  it('reads within the given range of a larger buffer', () => {
    const inner = frame(messageText(1, 99.5));
    const data = Buffer.concat([Buffer.from('xxxx'), inner, Buffer.from('yyyy')]);
    expect(sentAtInFrame(data, 4, 4 + inner.length)).toBe(99.5);
  });

  it('is NaN for a frame without a bench message, or one cut short', () => {
    const other = frame('hello there');
    expect(sentAtInFrame(other, 0, other.length)).toBeNaN();
    const data = frame(messageText(3, 10));
    const cut = data.indexOf('|10.000') + 3;
    expect(sentAtInFrame(data, 0, cut)).toBeNaN();
  });

  it('ignores a bench message that lies beyond the range', () => {
    const data = Buffer.concat([frame('plain'), frame(messageText(5, 7))]);
    expect(sentAtInFrame(data, 0, frame('plain').length)).toBeNaN();
  });
});
