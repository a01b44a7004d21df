/**
 * The text every scenario sends: `m|<index>|<send time in ms>|` padded to a typical
 * chat-message length. Full clients read the index (for pacing and loss checks) and the
 * time (for latency) back out of it; the generator's clock is the only clock involved.
 */

export const MESSAGE_TEXT_LENGTH = 80;

export function messageText(index: number, sentAtMs: number): string {
  const head = `m|${index}|${sentAtMs.toFixed(3)}|`;
  return head.padEnd(MESSAGE_TEXT_LENGTH, 'x');
}

export interface ParsedText {
  index: number;
  sentAtMs: number;
}

export function parseMessageText(text: string): ParsedText | null {
  const parts = text.split('|', 3);
  if (parts[0] !== 'm' || parts.length < 3) return null;
  const index = Number(parts[1]);
  const sentAtMs = Number(parts[2]);
  return Number.isFinite(index) && Number.isFinite(sentAtMs) ? { index, sentAtMs } : null;
}

const TEXT_FIELD = Buffer.from('"text":"m|');

/**
 * The send time carried by a delivery frame's message text, read straight from its bytes
 * ([start, end) of `data`) without decoding or parsing the frame; NaN when the frame
 * holds no bench message. Cheap enough for a light receiver to time every delivery.
 */
export function sentAtInFrame(data: Buffer, start: number, end: number): number {
  const at = data.indexOf(TEXT_FIELD, start);
  if (at < 0 || at >= end) return Number.NaN;
  // Skip the index: `m|<index>|<time>|`.
  const indexEnd = data.indexOf(0x7c, at + TEXT_FIELD.length);
  if (indexEnd < 0 || indexEnd >= end) return Number.NaN;
  const timeEnd = data.indexOf(0x7c, indexEnd + 1);
  if (timeEnd < 0 || timeEnd >= end) return Number.NaN;
  const time = data.toString('latin1', indexEnd + 1, timeEnd);
  return /^\d+(\.\d+)?$/.test(time) ? Number(time) : Number.NaN;
}
