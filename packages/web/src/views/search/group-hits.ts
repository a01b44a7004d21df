/** Search results grouped by chat, keeping the order they came in (newest or most relevant first). */
import type { SearchHit } from '@parley/protocol';

export interface ChatGroup {
  chatId: string;
  hits: SearchHit[];
}

/** One group per chat, in the order each chat first appears; hits keep their order inside it. */
export function groupByChat(hits: readonly SearchHit[]): ChatGroup[] {
  const groups = new Map<string, ChatGroup>();
  for (const hit of hits) {
    const group = groups.get(hit.message.chatId) ?? { chatId: hit.message.chatId, hits: [] };
    group.hits.push(hit);
    groups.set(hit.message.chatId, group);
  }
  return [...groups.values()];
}

/** The snippet as alternating plain and highlighted pieces (rendered as text, never as HTML). */
export function snippetPieces(snippet: SearchHit['snippet']): Array<{ text: string; marked: boolean }> {
  const pieces: Array<{ text: string; marked: boolean }> = [];
  let at = 0;
  for (const { start, end } of snippet.highlights) {
    if (start < at || end <= start) continue;
    if (start > at) pieces.push({ text: snippet.text.slice(at, start), marked: false });
    pieces.push({ text: snippet.text.slice(start, end), marked: true });
    at = end;
  }
  if (at < snippet.text.length) pieces.push({ text: snippet.text.slice(at), marked: false });
  if (snippet.truncatedStart) pieces.unshift({ text: '…', marked: false });
  if (snippet.truncatedEnd) pieces.push({ text: '…', marked: false });
  return pieces;
}
