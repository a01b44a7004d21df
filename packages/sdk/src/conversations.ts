/** The REST calls of team conversations (issue 16), part of the typed client (client.ts). */
import type { Draft, DraftList } from '@parley/protocol';
import type { HttpClient } from './http.js';

const enc = encodeURIComponent;

export function conversationsApi(http: HttpClient) {
  return {
    /** Drafts synced across your devices (I5); saving '' clears one. */
    drafts: {
      list: () => http.request<DraftList>('GET', '/api/v1/drafts'),
      save: (chatId: string, text: string) => http.request<Draft>('PUT', `/api/v1/chats/${enc(chatId)}/draft`, { body: { text } }),
    },
  };
}
