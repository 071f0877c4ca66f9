/**
 * The door's service worker (the plugin serves it at /booking/door/service-worker.js, allowed the
 * /admin scope): once the scanner has been opened online, the admin panel and the scanner page
 * load again with no network. Registered from the scanner page. The worker keeps the panel's
 * files and its start-up answers, never a visitor's data (its source: server/src/door-app).
 */
import * as React from 'react';
import { getFetchClient } from '@strapi/strapi/admin';
import { DOOR_BOOT_PATHS, SERVICE_WORKER_PATH } from '../../../shared/door-offline';

const controlled = () =>
  navigator.serviceWorker.controller
    ? Promise.resolve()
    : new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));

/** 'ready': the page will load again with no network; 'unavailable': the browser refused the worker (said on the page). */
export type OfflineLoading = 'pending' | 'ready' | 'unavailable';

export const useServiceWorker = (): OfflineLoading => {
  // Service workers need HTTPS (or localhost) and a browser that has them.
  const [state, setState] = React.useState<OfflineLoading>(() =>
    'serviceWorker' in navigator && window.isSecureContext ? 'pending' : 'unavailable'
  );
  React.useEffect(() => {
    if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
    let cancelled = false;
    void (async () => {
      await navigator.serviceWorker.register(SERVICE_WORKER_PATH, { scope: '/admin' });
      const registration = await navigator.serviceWorker.ready;
      // What this page loaded before the worker was there (the panel's page, scripts, styles, fonts).
      registration.active?.postMessage({
        type: 'keep',
        page: window.location.href,
        files: performance.getEntriesByType('resource').map((entry) => entry.name),
      });
      // The start-up answers, asked again through the worker (with the staff member's token) so it keeps them.
      await controlled();
      const { get } = getFetchClient();
      await Promise.all(DOOR_BOOT_PATHS.map((path) => get(path).catch(() => undefined)));
      if (!cancelled) setState('ready');
    })().catch((error: unknown) => {
      console.warn('[booking] the scanner cannot be made to load offline:', error);
      if (!cancelled) setState('unavailable');
    });
    return () => {
      cancelled = true;
    };
  }, []);
  return state;
};
