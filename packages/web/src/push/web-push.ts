/**
 * This device's Web Push subscription (H2): the service worker, the browser's permission,
 * the PushManager subscription and its registration with the server, and opening a chat
 * when a notification is clicked (the service worker posts `parley.openChat` to an open
 * window, or opens one on the chat's link) — with the thread beside it when the
 * notification was about a reply only in that thread.
 */
import { parley } from '../api/client.js';
import { onEachConnection } from '../state/follow-realtime.js';
import { loadServerInfo } from '../state/notification-settings.js';
import { chatPath, isRouteId, linkedThread, navigate, parseAppPath } from '../state/router.js';
import { openThread } from '../state/threads.js';

const DEVICE_KEY = 'parley.pushDevice';

export const pushSupported = () => 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

/** Opens the chat a clicked notification is about, and its thread when it was about a reply there. */
function openNotified(data: unknown) {
  if (typeof data !== 'object' || data === null || !('type' in data) || data.type !== 'parley.openChat') return;
  if (!('chatId' in data) || typeof data.chatId !== 'string') return;
  if ('threadRootId' in data && typeof data.threadRootId === 'string' && isRouteId(data.threadRootId)) {
    openThread(data.chatId, data.threadRootId);
  }
  navigate(chatPath(data.chatId));
}

/**
 * A window the service worker opened on `/chats/<id>?thread=<root>` opens that thread once
 * the account's first connection is up (the thread state is reset when a connection starts),
 * and the address drops the query so a reload shows the chat as usual.
 */
function openLinkedThreadOnStart() {
  let first = true;
  onEachConnection((_realtime, isNew) => {
    if (!first || !isNew) return;
    first = false;
    const route = parseAppPath(window.location.pathname);
    const rootId = linkedThread(window.location.search);
    if (route?.view !== 'chat' || !rootId) return;
    openThread(route.chatId, rootId);
    window.history.replaceState(window.history.state, '', window.location.pathname);
  });
}

/** Registers the service worker (push, offline shell) in the built app. */
export function registerServiceWorker() {
  openLinkedThreadOnStart();
  if (!('serviceWorker' in navigator) || !import.meta.env.PROD) return;
  navigator.serviceWorker.addEventListener('message', (event: MessageEvent<unknown>) => openNotified(event.data));
  void navigator.serviceWorker.register('/sw.js').catch(() => undefined);
}

function applicationServerKey(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(base64url.length / 4) * 4, '=');
  const raw = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

function storedDeviceId(): string | null {
  try {
    return window.localStorage.getItem(DEVICE_KEY);
  } catch {
    return null;
  }
}

function storeDeviceId(id: string | null) {
  try {
    if (id) window.localStorage.setItem(DEVICE_KEY, id);
    else window.localStorage.removeItem(DEVICE_KEY);
  } catch {
    // Storage disabled: the device list still shows the subscription.
  }
}

/** The server's id of this browser's subscription, if it has one. */
export async function thisDeviceId(): Promise<string | null> {
  if (!pushSupported()) return null;
  const registration = await navigator.serviceWorker.getRegistration();
  const subscription = await registration?.pushManager.getSubscription();
  return subscription ? storedDeviceId() : null;
}

export type EnableResult = 'enabled' | 'denied' | 'unsupported';

export async function enablePush(deviceName: string): Promise<EnableResult> {
  if (!pushSupported()) return 'unsupported';
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return 'denied';
  const { vapidPublicKey } = await loadServerInfo();
  const registration = await navigator.serviceWorker.ready;
  const subscription =
    (await registration.pushManager.getSubscription()) ??
    (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: applicationServerKey(vapidPublicKey) }));
  const json = subscription.toJSON();
  const device = await parley.notifications.subscribePush({
    endpoint: subscription.endpoint,
    keys: { p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' },
    deviceName,
  });
  storeDeviceId(device.id);
  return 'enabled';
}

/** Stops pushes to this browser: the server forgets the device, the browser the subscription. */
export async function disablePush(): Promise<void> {
  const id = storedDeviceId();
  if (id) await parley.notifications.removePushDevice(id).catch(() => undefined);
  storeDeviceId(null);
  const registration = await navigator.serviceWorker.getRegistration();
  await (await registration?.pushManager.getSubscription())?.unsubscribe();
}

/** A device removed from the list was this browser: drop the local subscription too. */
export async function forgetIfThisDevice(id: string): Promise<void> {
  if (storedDeviceId() !== id) return;
  storeDeviceId(null);
  const registration = await navigator.serviceWorker.getRegistration();
  await (await registration?.pushManager.getSubscription())?.unsubscribe();
}
