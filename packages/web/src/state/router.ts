/**
 * The app's location: plain paths on the History API (the server answers every non-API
 * path with the app, so deep links and reloads work). Small on purpose: a handful of
 * screens does not need a routing library in the initial bundle.
 */
import { useSyncExternalStore } from 'react';

export const ROUTES = {
  home: '/',
  signIn: '/signin',
  signUp: '/signup',
  settings: '/settings',
  threads: '/threads',
  admin: '/admin',
  forgotPassword: '/forgot-password',
  resetPassword: '/reset-password',
  verifyEmail: '/verify-email',
  unsubscribe: '/unsubscribe',
} as const;

const CHAT_PREFIX = '/chats/';

export const chatPath = (chatId: string) => `${CHAT_PREFIX}${encodeURIComponent(chatId)}`;

/**
 * The query parameter of a chat link that opens one of its threads beside it
 * (`/chats/<id>?thread=<root id>`): what a notification about a reply only in a thread opens.
 */
const THREAD_PARAM = 'thread';
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Whether `id` has the shape of a chat or message id (anything else in a link is ignored). */
export const isRouteId = (id: string) => ID.test(id);

/** The thread a chat link asks to open, if its query names one. */
export function linkedThread(search: string): string | null {
  const rootId = new URLSearchParams(search).get(THREAD_PARAM);
  return rootId && isRouteId(rootId) ? rootId : null;
}

const ADMIN_TABS = ['users', 'rooms', 'settings', 'stats', 'audit'] as const;
type AdminTabName = (typeof ADMIN_TABS)[number];
/** The admin console's tabs: /admin (people), /admin/rooms… */
export const adminPath = (tab: AdminTabName) => (tab === 'users' ? ROUTES.admin : `${ROUTES.admin}/${tab}`);

/** What the signed-in app shows for a path, or null for a path it doesn't know. */
export type AppRoute =
  | { view: 'home' }
  | { view: 'settings' }
  | { view: 'threads' }
  | { view: 'chat'; chatId: string }
  | { view: 'admin'; tab: AdminTabName };

export function parseAppPath(path: string): AppRoute | null {
  if (path === ROUTES.home) return { view: 'home' };
  if (path === ROUTES.settings) return { view: 'settings' };
  if (path === ROUTES.threads) return { view: 'threads' };
  if (path === ROUTES.admin) return { view: 'admin', tab: 'users' };
  if (path.startsWith(`${ROUTES.admin}/`)) {
    const tab = ADMIN_TABS.find((name) => path === adminPath(name));
    if (tab) return { view: 'admin', tab };
  }
  if (path.startsWith(CHAT_PREFIX)) {
    const id = path.slice(CHAT_PREFIX.length);
    if (isRouteId(id)) return { view: 'chat', chatId: id };
  }
  return null;
}

const listeners = new Set<() => void>();
const notify = () => {
  for (const listener of listeners) listener();
};

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (listeners.size === 1) window.addEventListener('popstate', notify);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) window.removeEventListener('popstate', notify);
  };
}

export function navigate(path: string, options: { replace?: boolean } = {}) {
  if (path === window.location.pathname) return;
  // Remember how deep into the app's own history we are, so Back can stay inside the app.
  const depth = options.replace ? historyDepth() : historyDepth() + 1;
  if (options.replace) window.history.replaceState({ depth }, '', path);
  else window.history.pushState({ depth }, '', path);
  notify();
}

function historyDepth(): number {
  const state: unknown = window.history.state;
  return typeof state === 'object' && state !== null && 'depth' in state && typeof state.depth === 'number' ? state.depth : 0;
}

/** Back within the app when there is somewhere to go back to, else to `fallback`. */
export function goBack(fallback: string) {
  if (historyDepth() > 0) window.history.back();
  else navigate(fallback, { replace: true });
}

export function usePath(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}
