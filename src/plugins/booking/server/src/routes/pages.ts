import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { brand } from '../mail/brand';
import { escapeHtml } from '../mail/templates';
import { getConfig } from '../utils/get-service';

interface Ctx {
  path: string;
  status: number;
  body: unknown;
  set(name: string, value: string): void;
  redirect(url: string): void;
  querystring: string;
}

/**
 * The pages that come with the plugin (pages/ in its package): the catalogue, a show, the
 * booking form, and the pages behind the e-mailed links (confirm, cancel, the waiting list's
 * confirm and leave), one script (site.js) that reads `data-page`. Served at `pagesPath`
 * (/site by default, where `publicUrl` points unless the theatre hosts the pages elsewhere),
 * titled and coloured by the `brand` setting. Each page is a fixed name: no path from the
 * request reaches the file system.
 */
const PAGES: Record<string, string> = {
  '': 'list',
  show: 'show',
  book: 'book',
  confirm: 'confirm',
  cancel: 'cancel',
  'waitlist/confirm': 'waitlist-confirm',
  'waitlist/leave': 'leave',
};
const FILES: Record<string, string> = {
  'site.js': 'text/javascript; charset=utf-8',
  'booking-core.js': 'text/javascript; charset=utf-8',
  'widget.js': 'text/javascript; charset=utf-8',
  'site.css': 'text/css; charset=utf-8',
};

/** The plugin package's folder: the nearest one up from this file whose package.json is the plugin's. */
const packageRoot = (): string => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { strapi?: { name?: string } }).strapi?.name === 'booking') {
      return dir;
    }
    if (path.dirname(dir) === dir) throw new Error('booking: the plugin package (with its pages/) was not found');
  }
};

const pageHtml = (page: string, base: string) => {
  const { name, colors, logoUrl } = brand();
  const title = escapeHtml(name);
  const home = logoUrl ? `<img src="${escapeHtml(logoUrl)}" alt="${title}" style="max-height:32px;vertical-align:middle">` : title;
  return `<!doctype html>
<html lang="it">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>${title}</title>
  <link rel="stylesheet" href="${base}/site.css">
  <style>:root{--accent:${colors.primary};--ink:${colors.text}}body{background:${colors.background}}</style>
</head>
<body data-page="${page}">
  <header><a href="${base}/">${home}</a><nav id="lang"></nav></header>
  <main id="app" aria-live="polite"></main>
  <script type="module" src="${base}/site.js" data-api="/api/booking" data-base="${base}"></script>
</body>
</html>
`;
};

export const registerPages = (strapi: Core.Strapi) => {
  const { pagesPath } = getConfig(strapi);
  const folder = path.join(packageRoot(), 'pages');
  const files = new Map(Object.keys(FILES).map((file) => [file, readFileSync(path.join(folder, file))]));
  const html = new Map<string, string>();
  const htmlOf = (page: string) => html.get(page) ?? html.set(page, pageHtml(page, pagesPath)).get(page)!;

  strapi.server.routes([
    {
      method: 'GET',
      path: `${pagesPath}/:rest(.*)?`,
      handler: (ctx: Ctx) => {
        const rest = ctx.path.slice(pagesPath.length).replace(/^\/+/, '');
        const file = files.get(rest);
        if (file) {
          ctx.set('Content-Type', FILES[rest]);
          ctx.set('Cache-Control', 'public, max-age=300');
          ctx.body = file;
          return;
        }
        const page = PAGES[rest.replace(/\/+$/, '')];
        if (page === undefined) {
          ctx.status = 404;
          ctx.body = 'Not Found';
          return;
        }
        ctx.set('Content-Type', 'text/html; charset=utf-8');
        ctx.set('Cache-Control', 'no-cache');
        ctx.body = htmlOf(page);
      },
      config: { auth: false },
    },
  ]);
};
