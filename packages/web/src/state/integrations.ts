/**
 * Bots and webhooks (issue 15, J8) for the views that manage them (views/admin/BotsSection,
 * views/chat-info/WebhooksSection): the server's API through the app's one client, the
 * signed-in person's bots (loaded when a view needs them), and the full URL of an incoming
 * webhook from the secret path the server returns once.
 */
import type { Bot } from '@parley/protocol';
import { parley } from '../api/client.js';
import { createStore, useStore } from './store.js';

export const botActions = parley.bots;
export const webhookActions = parley.webhooks;

export const botsStore = createStore<{ status: 'idle' | 'loading' | 'loaded' | 'failed'; items: Bot[] }>({ status: 'idle', items: [] });

export async function loadBots() {
  botsStore.update((s) => ({ ...s, status: s.status === 'loaded' ? 'loaded' : 'loading' }));
  try {
    botsStore.set({ status: 'loaded', items: (await botActions.list()).items });
  } catch (error) {
    botsStore.update((s) => ({ ...s, status: 'failed' }));
    throw error;
  }
}

/** A changed bot (a scope added or removed, a new token) in place. */
export const rememberBot = (bot: Bot) =>
  botsStore.update((s) => ({
    ...s,
    items: s.items.some((b) => b.user.id === bot.user.id) ? s.items.map((b) => (b.user.id === bot.user.id ? bot : b)) : [...s.items, bot],
  }));

export const forgetBot = (botId: string) => botsStore.update((s) => ({ ...s, items: s.items.filter((b) => b.user.id !== botId) }));

export const useBots = () => useStore(botsStore, (s) => s);

/** The URL to POST to, from the secret path (`/api/v1/hooks/<secret>`) shown once at creation. */
export const incomingHookUrl = (path: string, origin: string = window.location.origin) => `${origin}${path}`;

export function resetIntegrations() {
  botsStore.set({ status: 'idle', items: [] });
}
