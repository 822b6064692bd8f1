// Safe Jingdezhen service worker: shows Web Push notifications and opens the warning when one
// is tapped, and keeps the shelter list, each shelter page opened, the register, the safety
// library and each article opened (with the drills' and articles' pictures) for use without a
// connection (network first: online, a resident always gets the states of now; a
// kept copy says when it was made). Kept tiny and in plain JavaScript: a service worker cannot share the page's
// WebAssembly, and this one must start fast on a cheap phone woken by a push.
// The payload is JSON written by the server (server/src/delivery/webpush.rs,
// NotificationPayload), already in the resident's language.
'use strict';

// Bump when what is kept changes shape; older caches are dropped on activation.
const SHELTER_CACHE = 'safejdz-shelters-v1';
// Kept at install: the list (the resident's language: the request carries their cookie) and
// the register with each shelter's last state.
const PRECACHE = ['/shelters', '/api/v1/shelters.geojson'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELTER_CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      // Offline at install: nothing kept yet; the next visit online keeps it.
      .catch(() => undefined)
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith('safejdz-shelters-') && n !== SHELTER_CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

/** Shelter pages, the register, the library and its articles (not quiz results: those are
 *  one resident's answers), and the stylesheets, icons and pictures those pages need. */
function kept(request) {
  if (request.method !== 'GET') return false;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return false;
  return (
    url.pathname === '/shelters' ||
    url.pathname.startsWith('/shelters/') ||
    url.pathname === '/api/v1/shelters.geojson' ||
    url.pathname === '/learn' ||
    /^\/learn\/[a-z0-9-]+$/.test(url.pathname) ||
    url.pathname.startsWith('/illustrations/') ||
    request.destination === 'style' ||
    url.pathname === '/favicon.svg'
  );
}

/** A list page asked with a query answers, offline, with the list page itself. */
function listOf(request) {
  const path = new URL(request.url).pathname;
  return path === '/shelters' || path === '/learn' ? path : request;
}

self.addEventListener('fetch', (event) => {
  if (!kept(event.request)) return;
  event.respondWith(
    caches.open(SHELTER_CACHE).then((cache) =>
      fetch(event.request)
        .then((response) => {
          if (response.ok) cache.put(event.request, response.clone());
          return response;
        })
        .catch(() =>
          cache
            .match(event.request)
            // Another query of a list offline (the shelters, a library search): the list as last
            // kept (the shelters' says its time).
            .then((hit) => hit || cache.match(listOf(event.request), { ignoreSearch: true }))
            .then((hit) => hit || Response.error()),
        ),
    ),
  );
});

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
