/** Typed client for notifications and email (issue 14): verification, reset, settings, push. */
import type {
  ChangeEmailBody,
  ChatPushLevel,
  ChatPushLevelBody,
  ChatPushLevelList,
  NotificationSettings,
  PasswordResetConfirmBody,
  PasswordResetRequestBody,
  PushDevice,
  PushDeviceList,
  PushSubscriptionBody,
  ResendVerificationBody,
  ServerInfo,
  UpdateNotificationSettingsBody,
} from '@parley/protocol';
import type { HttpClient } from './http.js';

const enc = encodeURIComponent;

export const notificationsApi = (http: HttpClient) => ({
  serverInfo: () => http.request<ServerInfo>('GET', '/api/v1/server-info'),
  verifyEmail: (token: string) => http.request<void>('POST', '/api/v1/auth/verify-email', { body: { token } }),
  resendVerification: () => http.request<void>('POST', '/api/v1/auth/verify-email/resend'),
  requestVerification: (body: ResendVerificationBody) => http.request<void>('POST', '/api/v1/auth/verify-email/request', { body }),
  changeEmail: (body: ChangeEmailBody) => http.request<void>('POST', '/api/v1/users/me/email', { body }),
  requestPasswordReset: (body: PasswordResetRequestBody) => http.request<void>('POST', '/api/v1/auth/password-reset', { body }),
  confirmPasswordReset: (body: PasswordResetConfirmBody) => http.request<void>('POST', '/api/v1/auth/password-reset/confirm', { body }),
  settings: () => http.request<NotificationSettings>('GET', '/api/v1/notifications/settings'),
  updateSettings: (body: UpdateNotificationSettingsBody) =>
    http.request<NotificationSettings>('PATCH', '/api/v1/notifications/settings', { body }),
  chatLevels: () => http.request<ChatPushLevelList>('GET', '/api/v1/notifications/chats'),
  setChatLevel: (chatId: string, level: ChatPushLevelBody['level']) =>
    http.request<ChatPushLevel>('PUT', `/api/v1/chats/${enc(chatId)}/push-level`, { body: { level } }),
  unsubscribe: (token: string) => http.request<void>('POST', '/api/v1/notifications/unsubscribe', { query: { token } }),
  pushDevices: () => http.request<PushDeviceList>('GET', '/api/v1/push/subscriptions'),
  subscribePush: (body: PushSubscriptionBody) => http.request<PushDevice>('POST', '/api/v1/push/subscriptions', { body }),
  removePushDevice: (id: string) => http.request<void>('DELETE', `/api/v1/push/subscriptions/${enc(id)}`),
});
