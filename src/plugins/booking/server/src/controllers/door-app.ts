import type { Context } from 'koa';
import { serviceWorkerScript } from '../door-app/service-worker';

/** The scanner's service worker, under /booking but allowed to serve the admin panel (/admin). */
const script = serviceWorkerScript();

const doorAppController = () => ({
  /** GET /booking/door/service-worker.js (admin; public: a browser fetches a worker without a token) */
  serviceWorker(ctx: Context) {
    ctx.set('Content-Type', 'text/javascript; charset=utf-8');
    ctx.set('Service-Worker-Allowed', '/admin');
    // A new version of the worker reaches the phones at their next load.
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = script;
  },
});

export default doorAppController;
