/** The admin console's API (`/api/v1/admin`), for admins and moderators. */
import type {
  AdminListQuery,
  AdminRoom,
  AdminRoomPage,
  AdminUser,
  AdminUserPage,
  AuditPage,
  AuditQuery,
  CreateInviteBody,
  Invite,
  InviteList,
  ServerRole,
  ServerSettings,
  ServerStats,
  UpdateAdminRoomBody,
  UpdateServerSettingsBody,
} from '@parley/protocol';
import type { HttpClient } from './http.js';

const enc = encodeURIComponent;

export function adminApi(http: HttpClient) {
  return {
    users: (query: AdminListQuery = {}) => http.request<AdminUserPage>('GET', '/api/v1/admin/users', { query: { ...query } }),
    user: (userId: string) => http.request<AdminUser>('GET', `/api/v1/admin/users/${enc(userId)}`),
    suspend: (userId: string, reason: string) =>
      http.request<AdminUser>('POST', `/api/v1/admin/users/${enc(userId)}/suspend`, { body: { reason } }),
    unsuspend: (userId: string) => http.request<AdminUser>('POST', `/api/v1/admin/users/${enc(userId)}/unsuspend`),
    resetSessions: (userId: string) => http.request<AdminUser>('POST', `/api/v1/admin/users/${enc(userId)}/sessions/reset`),
    setRole: (userId: string, role: ServerRole) =>
      http.request<AdminUser>('PUT', `/api/v1/admin/users/${enc(userId)}/role`, { body: { role } }),
    deleteUser: (userId: string) => http.request<void>('DELETE', `/api/v1/admin/users/${enc(userId)}`),
    rooms: (query: AdminListQuery = {}) => http.request<AdminRoomPage>('GET', '/api/v1/admin/rooms', { query: { ...query } }),
    updateRoom: (chatId: string, body: UpdateAdminRoomBody) =>
      http.request<AdminRoom>('PATCH', `/api/v1/admin/rooms/${enc(chatId)}`, { body }),
    deleteRoom: (chatId: string) => http.request<void>('DELETE', `/api/v1/admin/rooms/${enc(chatId)}`),
    removeMessage: (chatId: string, messageId: string) =>
      http.request<void>('DELETE', `/api/v1/admin/rooms/${enc(chatId)}/messages/${enc(messageId)}`),
    removeMember: (chatId: string, userId: string) =>
      http.request<void>('DELETE', `/api/v1/admin/rooms/${enc(chatId)}/members/${enc(userId)}`),
    settings: () => http.request<ServerSettings>('GET', '/api/v1/admin/settings'),
    updateSettings: (body: UpdateServerSettingsBody) => http.request<ServerSettings>('PATCH', '/api/v1/admin/settings', { body }),
    invites: () => http.request<InviteList>('GET', '/api/v1/admin/invites'),
    createInvite: (body: CreateInviteBody = {}) => http.request<Invite>('POST', '/api/v1/admin/invites', { body }),
    revokeInvite: (inviteId: string) => http.request<void>('DELETE', `/api/v1/admin/invites/${enc(inviteId)}`),
    stats: () => http.request<ServerStats>('GET', '/api/v1/admin/stats'),
    audit: (query: AuditQuery = {}) => http.request<AuditPage>('GET', '/api/v1/admin/audit', { query: { ...query } }),
  };
}
