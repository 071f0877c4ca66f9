/**
 * The pages that come with the plugin (its pages/ folder, served at `pagesPath`, /site here):
 * the e-mailed links' pages and the catalogue, titled and coloured by the app's `brand` setting
 * (config/plugins.ts), the scripts they load, and nothing else of the plugin's folder.
 */
import request from 'supertest';
import { startApp, type TestApp } from './support/app';

let app: TestApp;
const http = () => request(app.strapi.server.httpServer);

beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

test.each([
  ['/site/', 'list'],
  ['/site', 'list'],
  ['/site/confirm', 'confirm'],
  ['/site/confirm/', 'confirm'],
  ['/site/cancel/', 'cancel'],
  ['/site/waitlist/confirm/', 'waitlist-confirm'],
  ['/site/waitlist/leave', 'leave'],
  ['/site/show/', 'show'],
  ['/site/book/', 'book'],
])('%s is the %s page, under the brand', async (path, page) => {
  const res = await http().get(path);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(res.text).toContain(`<body data-page="${page}">`);
  expect(res.text).toContain('<title>AzioneLab</title>');
  // AzioneLab's colours (config/plugins.ts), over the stylesheet's.
  expect(res.text).toContain(':root{--accent:#8a1c1c;--ink:#1a1a1a}body{background:#faf8f5}');
  expect(res.text).toContain('<script type="module" src="/site/site.js" data-api="/api/booking" data-base="/site"></script>');
});

test('the scripts and the stylesheet are served as such; nothing else of the package is', async () => {
  for (const [file, type] of [
    ['site.js', 'text/javascript; charset=utf-8'],
    ['booking-core.js', 'text/javascript; charset=utf-8'],
    ['widget.js', 'text/javascript; charset=utf-8'],
    ['site.css', 'text/css; charset=utf-8'],
  ]) {
    const res = await http().get(`/site/${file}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(type);
    expect(res.text.length).toBeGreaterThan(1000);
  }
  for (const path of [
    '/site/package.json',
    '/site/../package.json',
    '/site/%2e%2e/package.json',
    '/site/pages/site.js',
    '/site/nope/',
    '/site/confirm/x',
  ]) {
    const res = await http().get(path);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('strapi-plugin-booking');
  }
});
