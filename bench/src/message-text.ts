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
