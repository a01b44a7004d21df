/** The REST calls of team conversations (issue 16), part of the typed client (client.ts). */
import type {
  CreatePollBody,
  Draft,
  DraftList,
  Message,
  PollState,
  Reminder,
  ReminderList,
  ScheduledList,
  ScheduledMessage,
} from '@parley/protocol';
import type { HttpClient } from './http.js';
import { previewsEmojiApi } from './previews-emoji.js';
import { userGroupsApi } from './user-groups.js';

const enc = encodeURIComponent;

export function conversationsApi(http: HttpClient) {
  return {
    /** Drafts synced across your devices (I5), a chat's or a thread's (`threadRootId`); saving '' clears one. */
    drafts: {
      list: () => http.request<DraftList>('GET', '/api/v1/drafts'),
      save: (chatId: string, text: string, threadRootId?: string) =>
        http.request<Draft>('PUT', `/api/v1/chats/${enc(chatId)}/draft`, { body: { text, ...(threadRootId && { threadRootId }) } }),
    },
    /** Polls (E16): a poll is a message; vote with your whole choice ([] takes it back). */
    polls: {
      create: (chatId: string, body: CreatePollBody) => http.request<Message>('POST', `/api/v1/chats/${enc(chatId)}/polls`, { body }),
      get: (chatId: string, messageId: string) => http.request<PollState>('GET', `/api/v1/chats/${enc(chatId)}/polls/${enc(messageId)}`),
      vote: (chatId: string, messageId: string, options: number[]) =>
        http.request<PollState>('PUT', `/api/v1/chats/${enc(chatId)}/polls/${enc(messageId)}/vote`, { body: { options } }),
      close: (chatId: string, messageId: string) =>
        http.request<PollState>('POST', `/api/v1/chats/${enc(chatId)}/polls/${enc(messageId)}/close`),
    },
    /** User groups (E20), mentionable as `@handle`. */
    userGroups: userGroupsApi(http),
    /** Scheduled send (E17): sent by the server at `sendAt` (ISO time). */
    scheduled: {
      create: (chatId: string, body: { text: string; sendAt: string }) =>
        http.request<ScheduledMessage>('POST', `/api/v1/chats/${enc(chatId)}/scheduled`, { body }),
      list: () => http.request<ScheduledList>('GET', '/api/v1/scheduled'),
      update: (id: string, body: { text?: string; sendAt?: string }) =>
        http.request<ScheduledMessage>('PATCH', `/api/v1/scheduled/${enc(id)}`, { body }),
      cancel: (id: string) => http.request<void>('DELETE', `/api/v1/scheduled/${enc(id)}`),
    },
    /** Reminders (E17): the message comes back in your notification centre at `remindAt`. */
    reminders: {
      create: (chatId: string, messageId: string, remindAt: string) =>
        http.request<Reminder>('POST', `/api/v1/chats/${enc(chatId)}/messages/${enc(messageId)}/reminder`, { body: { remindAt } }),
      list: () => http.request<ReminderList>('GET', '/api/v1/reminders'),
      cancel: (id: string) => http.request<void>('DELETE', `/api/v1/reminders/${enc(id)}`),
    },
    /** Link previews (E18) and custom emoji (E19). */
    ...previewsEmojiApi(http),
  };
}
