/** Bots and webhooks (J8): your bots, their tokens and scopes, and a chat's webhooks. */
import type { Bot, BotList, BotWithToken, CreateBotBody, CreateWebhookBody, Message, Webhook, WebhookList } from '@parley/protocol';
import type { HttpClient } from './http.js';

const enc = encodeURIComponent;

export function botsApi(http: HttpClient) {
  return {
    create: (body: CreateBotBody) => http.request<BotWithToken>('POST', '/api/v1/bots', { body }),
    list: () => http.request<BotList>('GET', '/api/v1/bots'),
    replaceToken: (botId: string) => http.request<BotWithToken>('POST', `/api/v1/bots/${enc(botId)}/token`),
    setScope: (botId: string, chatId: string, post: boolean) =>
      http.request<Bot>('PUT', `/api/v1/bots/${enc(botId)}/scopes/${enc(chatId)}`, { body: { post } }),
    removeScope: (botId: string, chatId: string) => http.request<Bot>('DELETE', `/api/v1/bots/${enc(botId)}/scopes/${enc(chatId)}`),
    remove: (botId: string) => http.request<void>('DELETE', `/api/v1/bots/${enc(botId)}`),
  };
}

export function webhooksApi(http: HttpClient) {
  return {
    create: (chatId: string, body: CreateWebhookBody) => http.request<Webhook>('POST', `/api/v1/chats/${enc(chatId)}/webhooks`, { body }),
    list: (chatId: string) => http.request<WebhookList>('GET', `/api/v1/chats/${enc(chatId)}/webhooks`),
    revoke: (chatId: string, webhookId: string) => http.request<void>('DELETE', `/api/v1/chats/${enc(chatId)}/webhooks/${enc(webhookId)}`),
    /** Posts through an incoming webhook: `path` is the secret path it was created with. */
    post: (path: string, body: { text: string; attachments?: string[] }) => http.request<Message>('POST', path, { body }),
  };
}
