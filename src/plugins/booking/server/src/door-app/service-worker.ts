/**
 * The door's service worker: once the scanner has been opened online, the admin panel loads again
 * with no network, so door staff are never left with a blank page in a basement.
 *
 * It is written here as a function and served as its own source text (`serviceWorkerScript`),
 * so it is type-checked and linted with the rest. It keeps:
 * - the panel's page (one HTML for every /admin address) and its files (scripts, styles, fonts,
 *   images): the network first for the page, the cache first for the content-hashed files;
 * - the few start-up answers without which the panel shows an error instead of the scanner
 *   (BOOT_PATHS: who is logged in, their permissions, the panel's settings, the season's
 *   performances): the network first, the kept answer when there is none. They name the staff
 *   member, never a visitor, and logging out deletes them (the page clears that cache).
 * Nothing else is kept: the door snapshot lives in IndexedDB, sealed; check-ins, door lists,
 * statistics and every other answer go to the network or fail.
 */

import { DOOR_BOOT_PATHS } from '../../../shared/door-offline';

/** The little of the worker's global scope the script uses (the server's TypeScript has no WebWorker types). */
interface FetchEventLike {
  request: { url: string; method: string; mode: string; destination: string };
  respondWith(response: Promise<unknown>): void;
}
interface WorkerScope {
  location: { origin: string };
  addEventListener(type: 'install' | 'activate', listener: (event: { waitUntil(p: Promise<unknown>): void }) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEventLike) => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown; waitUntil?(p: Promise<unknown>): void }) => void): void;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
}
interface CacheLike {
  put(key: string, response: ResponseLike): Promise<void>;
  match(key: string): Promise<ResponseLike | undefined>;
}
interface ResponseLike {
  ok: boolean;
  type: string;
  clone(): ResponseLike;
}
interface WorkerGlobals {
  caches: { open(name: string): Promise<CacheLike> };
  fetch(this: void, input: string | FetchEventLike['request']): Promise<ResponseLike>;
}

/** The worker itself. It must not refer to anything outside its body: it runs from its own source text. */
export function doorServiceWorker(self: WorkerScope, globals: WorkerGlobals, BOOT_PATHS: string[]) {
  const SHELL = 'azionelab-door-shell-v1';
  const BOOT = 'azionelab-door-boot';
  const PANEL = '/admin';
  const FILE = /\.(?:js|mjs|css|woff2?|ttf|otf|svg|png|jpe?g|gif|webp|ico)$/;
  const { caches, fetch } = globals;

  const isFile = (url: URL, destination: string) =>
    url.pathname.startsWith(`${PANEL}/`) && (FILE.test(url.pathname) || ['script', 'style', 'font', 'image'].includes(destination));
  const isBoot = (url: URL) => BOOT_PATHS.includes(url.pathname);

  /** The network's answer, kept under `key` when it is good; the kept one when the network fails. */
  const networkFirst = async (request: FetchEventLike['request'] | string, cacheName: string, key: string) => {
    const cache = await caches.open(cacheName);
    try {
      const response = await fetch(request);
      if (response.ok) await cache.put(key, response.clone());
      return response;
    } catch (error) {
      const kept = await cache.match(key);
      if (kept) return kept;
      throw error;
    }
  };
  const cacheFirst = async (request: FetchEventLike['request'] | string, key: string) => {
    const cache = await caches.open(SHELL);
    const kept = await cache.match(key);
    if (kept) return kept;
    const response = await fetch(request);
    if (response.ok && response.type === 'basic') await cache.put(key, response.clone());
    return response;
  };

  self.addEventListener('install', (event) => event.waitUntil(self.skipWaiting()));
  self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

  self.addEventListener('fetch', (event) => {
    const { request } = event;
    if (request.method !== 'GET') return;
    const url = new URL(request.url);
    if (url.origin !== self.location.origin) return;
    if (request.mode === 'navigate' && (url.pathname === PANEL || url.pathname.startsWith(`${PANEL}/`))) {
      event.respondWith(networkFirst(request, SHELL, PANEL));
    } else if (isBoot(url)) {
      event.respondWith(networkFirst(request, BOOT, url.pathname + url.search));
    } else if (isFile(url, request.destination)) {
      event.respondWith(cacheFirst(request, url.pathname + url.search));
    }
  });

  // The page tells what it loaded before the worker was there (the panel's page and files): kept
  // now. (The start-up answers need the staff member's token: the page asks for them again.)
  self.addEventListener('message', (event) => {
    const data = event.data as { type?: string; page?: unknown; files?: unknown } | null;
    if (data?.type !== 'keep' || !Array.isArray(data.files) || typeof data.page !== 'string') return;
    const inPanel = (url: URL) => url.origin === self.location.origin && url.pathname.startsWith(`${PANEL}/`);
    const page = new URL(data.page, self.location.origin);
    const files = data.files
      .filter((href): href is string => typeof href === 'string')
      .map((href) => new URL(href, self.location.origin))
      .filter((url) => inPanel(url) && isFile(url, ''));
    const work = Promise.all([
      inPanel(page) ? networkFirst(page.href, SHELL, PANEL).catch(() => undefined) : undefined,
      ...files.map((url) => cacheFirst(url.href, url.pathname + url.search).catch(() => undefined)),
    ]);
    event.waitUntil?.(work);
  });
}

/** The script the browser runs: the function above, called with the worker's own globals. */
export const serviceWorkerScript = () =>
  `'use strict';\n(${doorServiceWorker.toString()})(self, self, ${JSON.stringify(DOOR_BOOT_PATHS)});\n`;
