#!/usr/bin/env node
'use strict';
/**
 * `npm run develop`: Strapi in development on a bare machine. On the first run it writes `.env`
 * with fresh random secrets (Strapi refuses to start without them), then starts `strapi develop`.
 * A `.env` that exists is never touched. Without SMTP_HOST, mail goes to a local inbox (MailDev):
 * SMTP on 127.0.0.1:DEV_INBOX_SMTP_PORT (1025), read it at http://localhost:DEV_INBOX_WEB_PORT
 * (1080); it keeps mail in memory, so a restart empties it. A page of a second origin,
 * http://localhost:DEV_WIDGET_PORT (1338), holds the booking widget, and that origin is allowed
 * (BOOKING_ALLOWED_ORIGINS) for this run: the widget is tried as the company's site would use it.
 * The booking plugin (the npm workspace src/plugins/booking) is built first, then rebuilt by
 * `strapi-plugin watch` on every change; a new server bundle restarts Strapi.
 */
const http = require('node:http');
const { randomBytes } = require('node:crypto');
const { existsSync, readFileSync, utimesSync, writeFileSync } = require('node:fs');
const { spawn } = require('node:child_process');
const path = require('node:path');

const root = path.join(__dirname, '..');
const envFile = path.join(root, '.env');
const secret = () => randomBytes(24).toString('base64');

if (!existsSync(envFile)) {
  const example = readFileSync(path.join(root, '.env.example'), 'utf8');
  const filled = example
    .replace(/^APP_KEYS=.*$/m, `APP_KEYS=${[secret(), secret(), secret(), secret()].join(',')}`)
    .replace(/^(API_TOKEN_SALT|ADMIN_JWT_SECRET|TRANSFER_TOKEN_SALT|JWT_SECRET|ENCRYPTION_KEY)=.*$/gm, (_, key) => `${key}=${secret()}`);
  writeFileSync(envFile, filled, { mode: 0o600 });
  console.log('[develop] wrote .env with new development secrets');
}

const children = [];
const run = (command, args) => {
  const child = spawn(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { STRAPI_TELEMETRY_DISABLED: 'true', ...process.env },
  });
  children.push(child);
  return child;
};

require('dotenv').config({ path: envFile });
const port = (name, fallback) => {
  const value = Number(process.env[name] || fallback);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    console.error(`[develop] ${name} must be a port number (1-65535), not "${process.env[name]}"`);
    process.exit(1);
  }
  return value;
};
const inboxSmtp = port('DEV_INBOX_SMTP_PORT', 1025);
const inboxWeb = port('DEV_INBOX_WEB_PORT', 1080);
const widgetPort = port('DEV_WIDGET_PORT', 1338);
const appUrl = (process.env.PUBLIC_URL || `http://localhost:${process.env.PORT || 1337}`).replace(/\/+$/, '');
if (!process.env.SMTP_HOST) {
  run(path.join(root, 'node_modules', '.bin', 'maildev'), [
    '--smtp',
    String(inboxSmtp),
    '--ip',
    '127.0.0.1',
    '--web',
    String(inboxWeb),
    '--web-ip',
    '127.0.0.1',
    '--silent',
  ]);
  // The app sends to the inbox's SMTP port (config/plugins.ts reads SMTP_PORT).
  process.env.SMTP_PORT = String(inboxSmtp);
  console.log(
    `[develop] local inbox: http://localhost:${inboxWeb} (MailDev, in memory: a restart empties it); the app sends to 127.0.0.1:${inboxSmtp}`
  );
}

// The widget on a page of another origin, as the company's site would hold it.
const widgetOrigin = `http://localhost:${widgetPort}`;
process.env.BOOKING_ALLOWED_ORIGINS = [process.env.BOOKING_ALLOWED_ORIGINS, widgetOrigin].filter(Boolean).join(',');
const escapeHtml = (value) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const host = http.createServer((req, res) => {
  const query = new URL(req.url || '/', widgetOrigin).searchParams;
  const show = escapeHtml(query.get('show') || 'il-giardino-dei-ciliegi');
  const lang = query.get('lang') === 'en' ? 'en' : 'it';
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Compagnia AzioneLab: prova del widget / widget trial</title>
<style>body{font-family:Georgia,serif;max-width:40rem;margin:2rem auto;padding:0 1rem}azionelab-booking{--azionelab-accent:#1d3f72}</style>
</head><body><h1>Compagnia AzioneLab</h1>
<p lang="it">Una pagina di un'altra origine (${widgetOrigin}) con il widget: <code>?show=la-locandiera</code>, <code>?lang=en</code>.</p>
<p lang="en">A page of another origin holding the widget: <code>?show=la-locandiera</code>, <code>?lang=en</code>.</p>
<script type="module" src="${appUrl}/site/widget.js"></script>
<azionelab-booking show="${show}" lang="${lang}"></azionelab-booking>
</body></html>`);
});
host.on('error', (error) => console.error(`[develop] the widget page could not listen on ${widgetPort}: ${error.message}`));
host.listen(widgetPort, '127.0.0.1', () => console.log(`[develop] the widget on another origin: ${widgetOrigin}/`));

// The plugin: `strapi-plugin watch` builds it, then rebuilds a bundle on every change of its
// code. Strapi starts once both bundles are built; Strapi's own watcher skips the plugin
// (config/admin.ts watchIgnoreFiles) and any dist/, so each later server bundle restarts Strapi
// by touching src/index.ts (its content unchanged). The admin panel's dev server reloads the
// admin bundle itself.
const pluginDir = path.join(root, 'src', 'plugins', 'booking');
const pluginWatch = spawn(path.join(root, 'node_modules', '.bin', 'strapi-plugin'), ['watch'], {
  cwd: pluginDir,
  stdio: ['ignore', 'pipe', 'inherit'],
});
children.push(pluginWatch);
const firstBuilt = new Set();
let strapi = null;
require('node:readline')
  .createInterface({ input: pluginWatch.stdout })
  .on('line', (line) => {
    console.log(`[plugin] ${line}`);
    const rebuilt = /\b(admin|server) rebuilt\b/.exec(line);
    if (!rebuilt) return;
    if (!strapi) {
      firstBuilt.add(rebuilt[1]);
      if (firstBuilt.size === 2) startStrapi();
    } else if (rebuilt[1] === 'server') {
      const now = new Date();
      utimesSync(path.join(root, 'src', 'index.ts'), now, now);
    }
  });
pluginWatch.on('exit', (code) => {
  if (!strapi) {
    console.error(`[develop] the booking plugin's build stopped (${code}) before Strapi could start`);
    stop();
    process.exit(code || 1);
  }
});

const startStrapi = () => {
  strapi = run(process.execPath, [
    path.join(root, 'node_modules', '@strapi', 'strapi', 'bin', 'strapi.js'),
    'develop',
    ...process.argv.slice(2),
  ]);
  strapi.on('exit', (code) => {
    stop();
    process.exit(code ?? 0);
  });
};
function stop() {
  host.close();
  children.forEach((child) => child.kill('SIGTERM'));
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
