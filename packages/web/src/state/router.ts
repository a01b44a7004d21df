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
} as const;

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
