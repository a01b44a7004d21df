/** Short notes at the bottom of the screen ("Message copied", "Couldn’t delete the message"), each gone after a few seconds. */
import { createStore } from './store.js';

export interface Toast {
  id: number;
  text: string;
  tone: 'info' | 'error';
}

export const toastStore = createStore<Toast[]>([]);
let nextId = 1;

export function showToast(text: string, tone: Toast['tone'] = 'info') {
  const id = nextId++;
  toastStore.update((toasts) => [...toasts.slice(-2), { id, text, tone }]);
  window.setTimeout(() => dismissToast(id), tone === 'error' ? 6000 : 3000);
}

export function dismissToast(id: number) {
  toastStore.update((toasts) => toasts.filter((t) => t.id !== id));
}
