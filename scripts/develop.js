#!/usr/bin/env node
'use strict';
/**
 * `npm run develop`: Strapi in development on a bare machine. On the first run it writes `.env`
 * with fresh random secrets (Strapi refuses to start without them), then starts `strapi develop`.
 * A `.env` that exists is never touched. Without SMTP_HOST, mail goes to a local inbox (MailDev):
 * SMTP on 127.0.0.1:1025, read it at http://localhost:1080.
 */
const { randomBytes } = require('node:crypto');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
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
if (!process.env.SMTP_HOST) {
  run(path.join(root, 'node_modules', '.bin', 'maildev'), [
    '--smtp',
    '1025',
    '--ip',
    '127.0.0.1',
    '--web',
    '1080',
    '--web-ip',
    '127.0.0.1',
    '--silent',
  ]);
  console.log('[develop] local inbox: http://localhost:1080 (MailDev); the app sends to 127.0.0.1:1025');
}

const strapi = run(process.execPath, [
  path.join(root, 'node_modules', '@strapi', 'strapi', 'bin', 'strapi.js'),
  'develop',
  ...process.argv.slice(2),
]);
const stop = () => children.forEach((child) => child.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
strapi.on('exit', (code) => {
  stop();
  process.exit(code ?? 0);
});
