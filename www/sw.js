// Workqueue Playground service worker: the app works offline after its first load.
// On install it reads the built index.html, precaches every asset it names (the hashed JS,
// wasm, CSS and icon) and the page itself. Pages are served network-first (so a new build is
// picked up when online) with the cache as the fallback; hashed assets are served cache-first.
// Nothing is sent anywhere: no telemetry, no third-party requests.
const CACHE = "wqplay-v1";
const ASSET = /["'](\.?\/[^"']+\.(?:js|wasm|css|svg|json))["']/g;

// Paths are relative to this file, so dist/ works from any path of a host (`/playground/`).
const SCOPE = new URL("./", self.location.href).pathname;
const isPlayground = (url) => url.pathname === SCOPE || url.pathname === `${SCOPE}index.html`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const page = await fetch("./", { cache: "no-store" });
      const html = await page.clone().text();
      const assets = [...new Set([...html.matchAll(ASSET)].map((m) => m[1]))];
      await cache.addAll(assets);
      await cache.put("./", page);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin) return;
  if (req.mode === "navigate") {
    event.respondWith(
      (async () => {
        try {
          const fresh = await fetch(req);
          const cache = await caches.open(CACHE);
          // The playground itself is kept as "./" (any fragment, index.html or not); other
          // pages (lesson.html) under their own URL, so they never replace it.
          await cache.put(isPlayground(url) ? "./" : req, fresh.clone());
          return fresh;
        } catch {
          return (await caches.match(isPlayground(url) ? "./" : req)) ?? Response.error();
        }
      })(),
    );
    return;
  }
  event.respondWith(
    (async () => {
      const hit = await caches.match(req);
      if (hit) return hit;
      const res = await fetch(req);
      if (res.ok) (await caches.open(CACHE)).put(req, res.clone());
      return res;
    })(),
  );
});
