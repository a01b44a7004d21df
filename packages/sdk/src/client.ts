/** Typed client for the Parley REST API, grouped by domain. */
import type {
  AddMembersParams,
  AuthResult,
  ChangePasswordBody,
  Chat,
  ChatList,
  CreateChatParams,
  GalleryPage,
  GalleryQuery,
  HistoryQuery,
  LoginBody,
  Me,
  MemberList,
  Message,
  MessagePage,
  PublicUser,
  RegisterBody,
  RoomDirectoryQuery,
  RoomPage,
  SearchQuery,
  SearchResults,
  SeenBy,
  SessionList,
  UpdateMeBody,
  UploadedFile,
  UsernameAvailability,
  UserPage,
} from '@parley/protocol';
import { adminApi } from './admin.js';
import { botsApi, webhooksApi } from './bots.js';
import { conversationsApi } from './conversations.js';
import { exportsApi } from './export.js';
import { HttpClient, type HttpOptions } from './http.js';
import { notificationsApi } from './notifications.js';
import { peopleApi } from './people.js';
import { threadsApi } from './threads.js';

export type ParleyClient = ReturnType<typeof createParleyClient>;

const enc = encodeURIComponent;

export function createParleyClient(options: HttpOptions) {
  const http = new HttpClient(options);
  const signedIn = (result: AuthResult) => {
    // Cookie-mode clients (browsers) keep using the cookie; API clients adopt the token.
    if (options.token !== undefined || !options.csrfToken) http.token = result.token;
    return result;
  };

  return {
    http,
    /** The admin console (admins and moderators). */
    admin: adminApi(http),
    bots: botsApi(http),
    webhooks: webhooksApi(http),
    exports: exportsApi(http),
    get token() {
      return http.token;
    },
    setToken(token: string | null) {
      http.token = token;
    },
    auth: {
      register: async (body: RegisterBody) => signedIn(await http.request<AuthResult>('POST', '/api/v1/auth/register', { body })),
      login: async (body: LoginBody) => signedIn(await http.request<AuthResult>('POST', '/api/v1/auth/login', { body })),
      logout: async () => {
        await http.request<void>('POST', '/api/v1/auth/logout');
        http.token = null;
      },
      sessions: () => http.request<SessionList>('GET', '/api/v1/auth/sessions'),
      revokeSession: (id: string) => http.request<void>('DELETE', `/api/v1/auth/sessions/${encodeURIComponent(id)}`),
      changePassword: (body: ChangePasswordBody) => http.request<void>('POST', '/api/v1/auth/password', { body }),
    },
    chats: {
      list: () => http.request<ChatList>('GET', '/api/v1/chats'),
      get: (chatId: string) => http.request<Chat>('GET', `/api/v1/chats/${enc(chatId)}`),
      openDirect: (userId: string) => http.request<Chat>('POST', '/api/v1/chats/direct', { body: { userId } }),
      create: (body: CreateChatParams) => http.request<Chat>('POST', '/api/v1/chats', { body }),
      update: (
        chatId: string,
        body: { name?: string; description?: string; membersCanEdit?: boolean; membersCanAdd?: boolean; membersCanPin?: boolean },
      ) => http.request<Chat>('PATCH', `/api/v1/chats/${enc(chatId)}`, { body }),
      delete: (chatId: string) => http.request<void>('DELETE', `/api/v1/chats/${enc(chatId)}`),
      join: (chatId: string) => http.request<Chat>('POST', `/api/v1/chats/${enc(chatId)}/join`),
      leave: (chatId: string) => http.request<void>('POST', `/api/v1/chats/${enc(chatId)}/leave`),
      transfer: (chatId: string, userId: string) =>
        http.request<void>('POST', `/api/v1/chats/${enc(chatId)}/transfer`, { body: { userId } }),
      mute: (chatId: string, muted: boolean) => http.request<Chat>('PUT', `/api/v1/chats/${enc(chatId)}/mute`, { body: { muted } }),
      members: (chatId: string) => http.request<MemberList>('GET', `/api/v1/chats/${enc(chatId)}/members`),
      addMembers: (chatId: string, userIds: AddMembersParams['userIds']) =>
        http.request<MemberList>('POST', `/api/v1/chats/${enc(chatId)}/members`, { body: { userIds } }),
      removeMember: (chatId: string, userId: string) => http.request<void>('DELETE', `/api/v1/chats/${enc(chatId)}/members/${enc(userId)}`),
      setRole: (chatId: string, userId: string, role: 'admin' | 'member') =>
        http.request<void>('PATCH', `/api/v1/chats/${enc(chatId)}/members/${enc(userId)}`, { body: { role } }),
      rooms: (query: RoomDirectoryQuery = {}) => http.request<RoomPage>('GET', '/api/v1/rooms', { query: { ...query } }),
      markRead: (chatId: string, seq: number) =>
        http.request<{ chatId: string; lastReadSeq: number }>('POST', `/api/v1/chats/${enc(chatId)}/read`, { body: { seq } }),
      markDelivered: (chatId: string, seq: number) =>
        http.request<{ chatId: string; deliveredSeq: number }>('POST', `/api/v1/chats/${enc(chatId)}/delivered`, { body: { seq } }),
      typing: (chatId: string) => http.request<void>('POST', `/api/v1/chats/${enc(chatId)}/typing`),
    },
    messages: {
      history: (chatId: string, query: HistoryQuery = {}) =>
        http.request<MessagePage>('GET', `/api/v1/chats/${enc(chatId)}/messages`, { query: { ...query } }),
      send: (
        chatId: string,
        body: {
          clientId: string;
          text: string;
          replyTo?: string;
          privateTo?: string;
          attachments?: string[];
          /** Reply in this message's thread (E15); `alsoToChat` shows it in the chat too. */
          threadRootId?: string;
          alsoToChat?: boolean;
        },
      ) => http.request<Message>('POST', `/api/v1/chats/${enc(chatId)}/messages`, { body }),
      edit: (chatId: string, messageId: string, text: string) =>
        http.request<Message>('PATCH', `/api/v1/chats/${enc(chatId)}/messages/${enc(messageId)}`, { body: { text } }),
      delete: (chatId: string, messageId: string) =>
        http.request<void>('DELETE', `/api/v1/chats/${enc(chatId)}/messages/${enc(messageId)}`),
      forward: (chatId: string, messageIds: string[], toChatIds: string[]) =>
        http.request<{ items: Message[] }>('POST', `/api/v1/chats/${enc(chatId)}/messages/forward`, { body: { messageIds, toChatIds } }),
      seenBy: (chatId: string, messageId: string) =>
        http.request<SeenBy>('GET', `/api/v1/chats/${enc(chatId)}/messages/${enc(messageId)}/seen`),
      react: (chatId: string, messageId: string, emoji: string) =>
        http.request<Message>('PUT', `/api/v1/chats/${enc(chatId)}/messages/${enc(messageId)}/reactions/${enc(emoji)}`),
      unreact: (chatId: string, messageId: string, emoji: string) =>
        http.request<Message>('DELETE', `/api/v1/chats/${enc(chatId)}/messages/${enc(messageId)}/reactions/${enc(emoji)}`),
    },
    /** Threads (E15): the Threads view, a thread's replies, reading and following. */
    threads: threadsApi(http),
    search: {
      /** Messages in every chat you may read (or `chatId`), newest first unless `order: 'relevance'`. */
      messages: (query: SearchQuery) => http.request<SearchResults>('GET', '/api/v1/search', { query: { ...query } }),
    },
    notifications: notificationsApi(http),
    ...peopleApi(http),
    ...conversationsApi(http),
    /** Files (uploaded over tus at UPLOADS_PATH, e.g. with tus-js-client), thumbnails and the chat gallery. */
    files: {
      info: (fileId: string) => http.request<UploadedFile>('GET', `/api/v1/files/${enc(fileId)}/info`),
      gallery: (chatId: string, query: GalleryQuery) =>
        http.request<GalleryPage>('GET', `/api/v1/chats/${enc(chatId)}/gallery`, { query: { ...query } }),
      /** Where the file is fetched (cookie or Bearer authenticated); `download` forces an attachment. */
      url: (fileId: string, options: { download?: boolean } = {}) =>
        `${http.baseUrl}/api/v1/files/${enc(fileId)}${options.download ? '?download=1' : ''}`,
      thumbnailUrl: (fileId: string, size: number) => `${http.baseUrl}/api/v1/files/${enc(fileId)}/thumbnails/${size}`,
      /** Your profile photo: an upload with purpose `avatar` (null clears it). */
      setMyAvatar: (fileId: string | null) => http.request<PublicUser>('PUT', '/api/v1/users/me/avatar', { body: { fileId } }),
      setChatAvatar: (chatId: string, fileId: string | null) =>
        http.request<{ id: string; avatarId: string | null }>('PUT', `/api/v1/chats/${enc(chatId)}/avatar`, { body: { fileId } }),
    },
    users: {
      me: () => http.request<Me>('GET', '/api/v1/users/me'),
      updateMe: (body: UpdateMeBody) => http.request<Me>('PATCH', '/api/v1/users/me', { body }),
      deleteMe: (password: string) => http.request<void>('DELETE', '/api/v1/users/me', { body: { password } }),
      get: (id: string) => http.request<PublicUser>('GET', `/api/v1/users/${encodeURIComponent(id)}`),
      search: (q: string, page: { cursor?: string; limit?: number } = {}) =>
        http.request<UserPage>('GET', '/api/v1/users', { query: { q, ...page } }),
      usernameAvailability: (username: string) =>
        http.request<UsernameAvailability>('GET', '/api/v1/users/availability', { query: { username } }),
    },
  };
}
