/**
 * What the server can do (server info: mail, verification, the VAPID key) and the signed-in
 * person's notification settings and per-chat push levels. Settings changes arrive from
 * the person's other devices as `notifications.updated` events on their own stream.
 */
import type { ChatPushLevel, NotificationSettings, ServerInfo, UpdateNotificationSettingsBody } from '@parley/protocol';
import { parley } from '../api/client.js';
import { currentLanguage } from '../i18n/index.js';
import { getRealtime } from './connection.js';
import { createStore, useStore, withEntry } from './store.js';

export const serverInfoStore = createStore<ServerInfo | null>(null);
let serverInfoLoading: Promise<ServerInfo> | null = null;

/** Loads server info once per page; later callers share the answer. */
export function loadServerInfo(): Promise<ServerInfo> {
  serverInfoLoading ??= parley.notifications.serverInfo().then(
    (info) => {
      serverInfoStore.set(info);
      return info;
    },
    (error: unknown) => {
      serverInfoLoading = null;
      throw error;
    },
  );
  return serverInfoLoading;
}

export const useServerInfo = () => useStore(serverInfoStore, (info) => info);

export const settingsStore = createStore<NotificationSettings | null>(null);
/** Chats whose level differs from the default, by chat id. */
export const chatLevelsStore = createStore<Readonly<Record<string, ChatPushLevel>>>({});

export const useNotificationSettings = () => useStore(settingsStore, (s) => s);
export const useChatLevel = (chatId: string) => useStore(chatLevelsStore, (levels) => levels[chatId]);

export async function loadNotificationSettings(): Promise<NotificationSettings> {
  const [settings, levels] = await Promise.all([parley.notifications.settings(), parley.notifications.chatLevels()]);
  settingsStore.set(settings);
  chatLevelsStore.set(Object.fromEntries(levels.items.map((l) => [l.chatId, l])));
  return settings;
}

export async function updateNotificationSettings(body: UpdateNotificationSettingsBody): Promise<NotificationSettings> {
  const settings = await parley.notifications.updateSettings(body);
  settingsStore.set(settings);
  return settings;
}

export async function setChatLevel(chatId: string, level: ChatPushLevel['level']): Promise<ChatPushLevel> {
  const chatLevel = await parley.notifications.setChatLevel(chatId, level);
  applyChatLevel(chatLevel);
  return chatLevel;
}

function applyChatLevel(chatLevel: ChatPushLevel) {
  chatLevelsStore.update((levels) => withEntry(levels, chatLevel.chatId, chatLevel.level === 'default' ? undefined : chatLevel));
}

interface SettingsEvent {
  settings?: NotificationSettings;
  chatLevel?: ChatPushLevel;
}

/**
 * While signed in: follows settings changes made on other devices, and keeps the language
 * of emails in step with the language this app shows (when the account has no saved one).
 */
export function startNotificationSync(accountLanguage: string | null): () => void {
  const stop = getRealtime().on('notifications.updated', (data) => {
    const event = data as SettingsEvent;
    if (event.settings) settingsStore.set(event.settings);
    if (event.chatLevel) applyChatLevel(event.chatLevel);
  });
  void loadNotificationSettings()
    .then((settings) => {
      const language = currentLanguage();
      if (accountLanguage === null && settings.language !== language) return updateNotificationSettings({ language });
      return undefined;
    })
    .catch(() => undefined);
  return stop;
}
