/** The REST calls of people and of organising chats (issue 13), part of the typed client (client.ts). */
import type {
  ChatOrganisation,
  NotificationPage,
  PinnedMessageList,
  PrivacySettings,
  Profile,
  Relationship,
  RelationshipList,
  UpdatePrivacyBody,
} from '@parley/protocol';
import type { HttpClient } from './http.js';

const enc = encodeURIComponent;

export function peopleApi(http: HttpClient) {
  return {
    contacts: {
      list: () => http.request<RelationshipList>('GET', '/api/v1/contacts'),
      get: (userId: string) => http.request<Relationship>('GET', `/api/v1/contacts/${enc(userId)}`),
      request: (userId: string, note?: string) =>
        http.request<Relationship>('POST', '/api/v1/contact-requests', { body: { userId, ...(note !== undefined && { note }) } }),
      accept: (requestId: string) => http.request<Relationship>('POST', `/api/v1/contact-requests/${enc(requestId)}/accept`),
      decline: (requestId: string) => http.request<Relationship>('POST', `/api/v1/contact-requests/${enc(requestId)}/decline`),
      cancel: (requestId: string) => http.request<Relationship>('POST', `/api/v1/contact-requests/${enc(requestId)}/cancel`),
      remove: (userId: string) => http.request<Relationship>('DELETE', `/api/v1/contacts/${enc(userId)}`),
      update: (userId: string, body: { alias?: string | null; starred?: boolean }) =>
        http.request<Relationship>('PATCH', `/api/v1/contacts/${enc(userId)}`, { body }),
      block: (userId: string) => http.request<Relationship>('PUT', `/api/v1/contacts/${enc(userId)}/block`),
      unblock: (userId: string) => http.request<Relationship>('DELETE', `/api/v1/contacts/${enc(userId)}/block`),
    },
    people: {
      profile: (userId: string) => http.request<Profile>('GET', `/api/v1/users/${enc(userId)}/profile`),
      privacy: () => http.request<PrivacySettings>('GET', '/api/v1/users/me/privacy'),
      updatePrivacy: (body: UpdatePrivacyBody) => http.request<PrivacySettings>('PATCH', '/api/v1/users/me/privacy', { body }),
      /** `byHand`: the person's own choice, which a device coming back from idle does not end. */
      setPresence: (status: 'online' | 'away', options: { byHand?: boolean } = {}) =>
        http.request<{ status: string }>('PUT', '/api/v1/users/me/presence', { body: { status, ...options } }),
    },
    notificationCentre: {
      list: (page: { cursor?: string; limit?: number } = {}) =>
        http.request<NotificationPage>('GET', '/api/v1/notification-centre', { query: { ...page } }),
      markRead: (ids?: string[]) =>
        http.request<{ unreadCount: number }>('POST', '/api/v1/notification-centre/read', { body: ids ? { ids } : {} }),
      clear: (ids?: string[]) =>
        http.request<{ unreadCount: number }>('POST', '/api/v1/notification-centre/clear', { body: ids ? { ids } : {} }),
    },
    organise: {
      get: () => http.request<ChatOrganisation>('GET', '/api/v1/chats/organisation'),
      pin: (chatId: string, pinned: boolean) =>
        http.request<ChatOrganisation>('PUT', `/api/v1/chats/${enc(chatId)}/pin`, { body: { pinned } }),
      reorderPins: (chatIds: string[]) => http.request<ChatOrganisation>('PUT', '/api/v1/chats/organisation/pins', { body: { chatIds } }),
      archive: (chatId: string, archived: boolean) =>
        http.request<ChatOrganisation>('PUT', `/api/v1/chats/${enc(chatId)}/archive`, { body: { archived } }),
      pins: (chatId: string) => http.request<PinnedMessageList>('GET', `/api/v1/chats/${enc(chatId)}/pins`),
      pinMessage: (chatId: string, messageId: string) =>
        http.request<PinnedMessageList>('PUT', `/api/v1/chats/${enc(chatId)}/messages/${enc(messageId)}/pin`),
      unpinMessage: (chatId: string, messageId: string) =>
        http.request<PinnedMessageList>('DELETE', `/api/v1/chats/${enc(chatId)}/messages/${enc(messageId)}/pin`),
    },
  };
}
