/** The REST calls of threads (E15), part of the typed client (client.ts). Replying is `messages.send` with `threadRootId`. */
import type { MessagePage, Thread, ThreadList, ThreadListQuery, ThreadState } from '@parley/protocol';
import type { HttpClient } from './http.js';

const enc = encodeURIComponent;
const path = (chatId: string, rootId: string) => `/api/v1/chats/${enc(chatId)}/threads/${enc(rootId)}`;

export function threadsApi(http: HttpClient) {
  return {
    /** Threads you take part in or follow, newest reply first, with unread counts and the Threads badge (`unreadThreads`). */
    list: (query: ThreadListQuery = {}) => http.request<ThreadList>('GET', '/api/v1/threads', { query: { ...query } }),
    get: (chatId: string, rootId: string) => http.request<Thread>('GET', path(chatId, rootId)),
    replies: (chatId: string, rootId: string, query: { before?: number; after?: number; limit?: number } = {}) =>
      http.request<MessagePage>('GET', `${path(chatId, rootId)}/replies`, { query: { ...query } }),
    /** Your read position in the thread; your other devices hear `thread.updated`. */
    markRead: (chatId: string, rootId: string, seq: number) =>
      http.request<ThreadState>('POST', `${path(chatId, rootId)}/read`, { body: { seq } }),
    follow: (chatId: string, rootId: string, following: boolean) =>
      http.request<ThreadState>('PUT', `${path(chatId, rootId)}/follow`, { body: { following } }),
  };
}
