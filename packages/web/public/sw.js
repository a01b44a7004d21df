/*
 * Parley's service worker (issue 14): Web Push notifications with the tab closed, and the
 * offline shell. Plain JavaScript served as is from /sw.js, so its scope is the whole app.
 *
 * - push: shows one notification per chat (tag = chat id, so a newer message replaces the
 *   older one); a `close` push (the chat was read on another device) closes it.
 * - notificationclick: focuses an open Parley window and tells it to open the chat (and
 *   the thread, for a reply only in one), or opens a new window on the chat's link
 *   (`/chats/<id>?thread=<root id>` for a thread).
 * - fetch: navigations go to the network first; when it cannot be reached, Parley's own
 *   offline page (offline.html, self-contained: its files are cached at install) answers,
 *   with the chat list last seen. The chat list is kept (names, unread counts — no message
 *   text) each time the app loads it, and forgotten on sign-out.
 */
const SHELL_CACHE = 'parley-shell-v1';
const DATA_CACHE = 'parley-data-v1';
const SHELL = ['/offline.html', '/offline.js', '/offline.css', '/favicon.svg', '/icons/icon-192.png', '/manifest.webmanifest'];
const CHAT_LIST_KEY = '/offline/chats';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== SHELL_CACHE && n !== DATA_CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

/** The chat list without message text: what the offline page shows. */
function offlineChatList(list) {
  const items = Array.isArray(list?.items) ? list.items : [];
  return {
    savedAt: new Date().toISOString(),
    items: items.map((chat) => ({
      id: chat.id,
      kind: chat.kind,
      title: chat.kind === 'direct' && chat.peer ? chat.peer.displayName : chat.name,
      unreadCount: chat.unreadCount ?? 0,
      muted: Boolean(chat.muted),
      lastActivityAt: chat.lastActivityAt,
    })),
  };
}

async function keepChatList(response) {
  try {
    const list = await response.clone().json();
    const cache = await caches.open(DATA_CACHE);
    await cache.put(
      CHAT_LIST_KEY,
      new Response(JSON.stringify(offlineChatList(list)), { headers: { 'content-type': 'application/json' } }),
    );
  } catch {
    // Not JSON, or storage full: the offline page shows what it had.
  }
}

async function navigation(request) {
  try {
    return await fetch(request);
  } catch {
    const offline = await caches.match('/offline.html');
    return offline ?? Response.error();
  }
}

async function cachedAsset(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(SHELL_CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === 'POST' && url.pathname === '/api/v1/auth/logout') {
    event.waitUntil(caches.delete(DATA_CACHE));
    return;
  }
  if (request.method !== 'GET') return;
  if (request.mode === 'navigate') {
    event.respondWith(navigation(request));
    return;
  }
  if (url.pathname === '/api/v1/chats') {
    event.respondWith(
      fetch(request).then((response) => {
        if (response.ok) event.waitUntil(keepChatList(response));
        return response;
      }),
    );
    return;
  }
  // The app's own hashed assets are left to the HTTP cache (immutable for a year); only the offline page's files are ours.
  if (SHELL.includes(url.pathname)) event.respondWith(cachedAsset(request));
});

async function showMessage(data) {
  await self.registration.showNotification(data.title || 'Parley', {
    body: data.body,
    // One notification per chat, and one per thread for replies only in it: the newest replaces the one before.
    tag: notificationTag(data),
    renotify: true,
    icon: '/icons/icon-192.png',
    badge: '/icons/badge-72.png',
    timestamp: Date.now(),
    data: { chatId: data.chatId, threadRootId: data.threadRootId, url: data.url, seq: data.seq },
  });
}

/** A thread's replies have their own notification, closed when the thread (not the chat) is read. */
function notificationTag(data) {
  return typeof data.threadRootId === 'string' ? `${data.chatId}:${data.threadRootId}` : data.chatId;
}

async function closeChat(data) {
  const shown = await self.registration.getNotifications({ tag: notificationTag(data) });
  for (const notification of shown) notification.close();
}

self.addEventListener('push', (event) => {
  let data = null;
  try {
    data = event.data ? event.data.json() : null;
  } catch {
    data = null;
  }
  if (!data || typeof data.chatId !== 'string') return;
  event.waitUntil(data.type === 'close' ? closeChat(data) : showMessage(data));
});

/** The app's link to the chat a notification is about, with its thread open for a reply only in one. */
function chatLink(data) {
  const chatPath = `/chats/${encodeURIComponent(data.chatId)}`;
  return typeof data.threadRootId === 'string' ? `${chatPath}?thread=${encodeURIComponent(data.threadRootId)}` : chatPath;
}

/** Opens the chat (or thread) a notification is about: in an open Parley window if there is one. */
async function openChat(data) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
  if (open) {
    open.postMessage({
      type: 'parley.openChat',
      chatId: data.chatId,
      ...(typeof data.threadRootId === 'string' && { threadRootId: data.threadRootId }),
    });
    try {
      await open.focus();
    } catch {
      // Focus needs the click's user activation; the window still opens the chat.
    }
    return open;
  }
  return self.clients.openWindow(chatLink(data));
}

/** What a click on one of Parley's notifications does (a function of its own, so the browser test can call it). */
async function notificationClicked(notification) {
  notification.close();
  const data = notification.data;
  if (data && typeof data.chatId === 'string') await openChat(data);
}

self.addEventListener('notificationclick', (event) => {
  event.waitUntil(notificationClicked(event.notification));
});
