/**
 * Scheduled messages and reminders (E17) as this person's devices see them: the list is
 * loaded on every (re)connect and kept current by `scheduled.updated` / `reminder.updated`
 * in our own stream. A due reminder arrives as a notification-centre entry (kind
 * `reminder`); it is also shown at once, as a toast and (with permission) a system
 * notification.
 */
import type { CentreNotification, ScheduledMessage, ScheduledUpdated } from '@parley/protocol';
import i18n from 'i18next';
import { parley } from '../api/client.js';
import { onEachConnection } from './follow-realtime.js';
import { createStore, useStore, withEntry } from './store.js';
import { showToast } from './toasts.js';

export const scheduledStore = createStore<Readonly<Record<string, ScheduledMessage>>>({});

export function applyScheduled(id: string, scheduled: ScheduledMessage | null) {
  scheduledStore.update((all) => withEntry(all, id, scheduled ?? undefined));
}

export async function loadScheduled() {
  const { items } = await parley.scheduled.list();
  scheduledStore.set(Object.fromEntries(items.map((s) => [s.id, s])));
}

export async function scheduleMessage(chatId: string, text: string, sendAt: Date) {
  const scheduled = await parley.scheduled.create(chatId, { text, sendAt: sendAt.toISOString() });
  applyScheduled(scheduled.id, scheduled);
}

export async function updateScheduled(id: string, change: { text?: string; sendAt?: Date }) {
  const scheduled = await parley.scheduled.update(id, {
    ...(change.text !== undefined && { text: change.text }),
    ...(change.sendAt && { sendAt: change.sendAt.toISOString() }),
  });
  applyScheduled(id, scheduled);
}

export async function cancelScheduled(id: string) {
  await parley.scheduled.cancel(id);
  applyScheduled(id, null);
}

export async function remindMe(chatId: string, messageId: string, at: Date) {
  await parley.reminders.create(chatId, messageId, at.toISOString());
}

/** The moments "remind me" offers: in 20 minutes, in an hour, tomorrow at 9:00. */
export function reminderPresets(from: Date): { key: 'in20' | 'in60' | 'tomorrow'; at: Date }[] {
  const tomorrow = new Date(from);
  tomorrow.setDate(tomorrow.getDate() + 1);
  tomorrow.setHours(9, 0, 0, 0);
  return [
    { key: 'in20', at: new Date(from.getTime() + 20 * 60_000) },
    { key: 'in60', at: new Date(from.getTime() + 60 * 60_000) },
    { key: 'tomorrow', at: tomorrow },
  ];
}

/** A `datetime-local` input's value (local time, to the minute) for a date. */
export function localInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export const useScheduledIn = (chatId: string) => {
  const all = useStore(scheduledStore, (s) => s);
  return Object.values(all)
    .filter((s) => s.chatId === chatId)
    .sort((a, b) => a.sendAt.localeCompare(b.sendAt));
};

function showReminder(notification: CentreNotification) {
  const excerpt = typeof notification.data.excerpt === 'string' ? notification.data.excerpt : '';
  const text = i18n.t('reminder.due', { excerpt });
  showToast(text);
  if (typeof Notification !== 'undefined' && Notification.permission === 'granted' && document.visibilityState !== 'visible') {
    new Notification('Parley', { body: text, tag: notification.id });
  }
}

onEachConnection((realtime, isNew) => {
  if (isNew) {
    scheduledStore.set({});
    realtime.on('scheduled.updated', (data) => {
      const { id, scheduled } = data as ScheduledUpdated;
      applyScheduled(id, scheduled);
    });
    realtime.on('notification.created', (data) => {
      const { notification } = data as { notification: CentreNotification };
      if (notification.kind === 'reminder') showReminder(notification);
    });
  }
  void loadScheduled().catch(() => undefined);
});
