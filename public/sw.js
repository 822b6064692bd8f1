// Safe Jingdezhen service worker: shows Web Push notifications and opens the warning when one
// is tapped. Kept tiny and in plain JavaScript: a service worker cannot share the page's
// WebAssembly, and this one must start fast on a cheap phone woken by a push.
// The payload is JSON written by the server (server/src/delivery/webpush.rs,
// NotificationPayload), already in the resident's language.
'use strict';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  let message;
  try {
    message = event.data ? event.data.json() : null;
  } catch (_) {
    message = null;
  }
  if (!message || typeof message.title !== 'string') {
    // A push must show something (userVisibleOnly): say where to look rather than nothing.
    message = { title: '平安瓷都 Safe Jingdezhen', body: '', url: '/', tag: 'safejdz' };
  }
  event.waitUntil(
    self.registration.showNotification(message.title, {
      body: message.body || '',
      tag: message.tag || 'safejdz',
      // An Update or Cancel replaces the earlier notification of the same warning; tell the
      // resident again instead of changing it silently.
      renotify: Boolean(message.tag),
      requireInteraction: Boolean(message.require_interaction),
      lang: message.lang || 'zh-CN',
      icon: '/favicon.svg',
      badge: '/favicon.svg',
      data: { url: message.url || '/' },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = new URL((event.notification.data && event.notification.data.url) || '/', self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      for (const client of windows) {
        if (client.url === target && 'focus' in client) return client.focus();
      }
      return self.clients.openWindow(target);
    }),
  );
});
