/**
 * Per-device preferences kept in localStorage: the colour theme (light, dark, or follow
 * the system) and whether to play sounds. Stored values are validated on read, so a
 * hand-edited or outdated entry falls back to the default instead of breaking the app.
 */
import { useSyncExternalStore } from 'react';

export type ThemePreference = 'light' | 'dark' | 'system';
export const THEME_PREFERENCES: readonly ThemePreference[] = ['light', 'dark', 'system'];

const THEME_KEY = 'parley.theme';
const SOUND_KEY = 'parley.sound';

const listeners = new Set<() => void>();
const notify = () => {
  for (const listener of listeners) listener();
};

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    // Storage can be disabled (privacy settings); preferences then last for the page only.
    return null;
  }
}

function write(key: string, value: string) {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // See read(): nothing to do but keep the in-memory value.
  }
}

let theme: ThemePreference = 'system';
let soundEnabled = true;

function load() {
  const storedTheme = read(THEME_KEY);
  theme = THEME_PREFERENCES.find((t) => t === storedTheme) ?? 'system';
  soundEnabled = read(SOUND_KEY) !== 'off';
}

const darkQuery = () => window.matchMedia('(prefers-color-scheme: dark)');

/** Puts the resolved theme on <html data-theme>, which the stylesheet keys on. */
function applyTheme() {
  const resolved = theme === 'system' ? (darkQuery().matches ? 'dark' : 'light') : theme;
  const root = document.documentElement;
  root.dataset.theme = resolved;
  root.style.colorScheme = resolved;
  const background = getComputedStyle(root).getPropertyValue('--color-surface').trim();
  document.querySelector('meta[name="theme-color"]')?.setAttribute('content', background || '#ffffff');
}

/** Reads the stored preferences, applies the theme, and follows system changes and other tabs. */
export function initPreferences() {
  load();
  applyTheme();
  darkQuery().addEventListener('change', () => {
    if (theme === 'system') applyTheme();
  });
  window.addEventListener('storage', (event) => {
    if (event.key !== THEME_KEY && event.key !== SOUND_KEY) return;
    load();
    applyTheme();
    notify();
  });
}

export function setTheme(next: ThemePreference) {
  theme = next;
  write(THEME_KEY, next);
  applyTheme();
  notify();
}

export function setSoundEnabled(next: boolean) {
  soundEnabled = next;
  write(SOUND_KEY, next ? 'on' : 'off');
  notify();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** For code outside React (the notification chime). */
export const getSoundEnabled = () => soundEnabled;

export const useTheme = () => useSyncExternalStore(subscribe, () => theme);
export const useSoundEnabled = () => useSyncExternalStore(subscribe, () => soundEnabled);
