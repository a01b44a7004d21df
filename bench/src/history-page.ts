/**
 * The relay's canned answer to `GET /history`: 50 messages shaped like Parley's
 * MessagePage, so the HTTP ceiling serves about as many bytes as Parley does.
 */
import type { MessagePage } from '@parley/protocol';
import { messageText } from './message-text.js';

const id = (n: number) => `0192f3a4-7b1c-7def-8a${String(n).padStart(2, '0')}-5e6f7a8b9c0d`;

export function cannedHistoryPage(): MessagePage {
  const created = Date.parse('2025-01-01T00:00:00Z');
  return {
    items: Array.from({ length: 50 }, (_, i) => ({
      id: id(i),
      chatId: id(99),
      seq: i + 1,
      kind: 'text' as const,
      senderId: id(98),
      sender: { id: id(98), username: 'bench0', displayName: 'Bench 0' },
      clientId: `c-${i}`,
      text: messageText(i, 0),
      replyTo: null,
      forwardedFrom: null,
      privateTo: null,
      system: null,
      mentions: [],
      mentionsAll: false,
      reactions: [],
      createdAt: new Date(created + i * 1000).toISOString(),
      editedAt: null,
      deletedAt: null,
    })),
    hasOlder: true,
    hasNewer: false,
  };
}
