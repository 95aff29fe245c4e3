// Huiqi's service worker: after one visit the app works with no network at all
// (exhibitions, kiosks). The list of files is written at build time from Trunk's
// hashed names (www/build/post-build.mjs), so it can never go stale.
const VERSION = "__VERSION__";
const CACHE = `huiqi-${VERSION}`;
const PRECACHE = __PRECACHE__;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  // Older builds' caches go; other sites' caches on the same origin are not ours to touch.
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("huiqi-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  // Cache first: every file name but index.html carries its content hash, and a new
  // build brings a new sw.js, which replaces this cache. "?kiosk=1" is the same page.
  // The rule studio and the register page are not precached (a questionnaire visitor
  // never needs them); what a visit to them fetches is kept, so they too work offline after.
  const path = new URL(request.url).pathname;
  const studio = path.includes("/studio/") || path.includes("/register/");
  event.respondWith(
    caches.open(CACHE).then((cache) =>
      cache.match(request, { ignoreSearch: request.mode === "navigate" }).then((hit) =>
        // Kept before it is answered, so a page that waited for its files can go offline.
        hit || fetch(request).then((response) =>
          studio && response.ok ? cache.put(request, response.clone()).then(() => response) : response))),
  );
});
