/**
 * The plugin in any Strapi app (API.md, Season three, "The plugin in any Strapi app"; issue 24):
 * the package as npm publishes it (`npm pack` of src/plugins/booking after `strapi-plugin
 * build`), installed into a new Strapi 5.54 TypeScript app made by `create-strapi-app@5.54.0` (no
 * example, no cloud, SQLite as it asks), with nothing of AzioneLab's copied: the app's
 * config/plugins.ts gets an SMTP provider and the plugin with another theatre's brand, the app is
 * built, started in production against a fresh PostgreSQL database, and walked over HTTP as the
 * theatre would: a show and a performance made through the Content Manager API, a booking, the
 * confirmation mail read off a real SMTP server (the brand's name, no "AzioneLab"), the confirm,
 * the ticket's QR code, and a check-in by a Door staff user: `ok`.
 *
 * Slow by nature: the new app's `npm install` (1,600 packages: 4.5 min on the 2-core machine
 * with npm's cache warm, 11 min while other tests ran) and its admin build (1 to 5 min); 7.5 min
 * in all when the machine is otherwise quiet. The app is made under
 * a temporary folder outside the repository and removed afterwards unless FRESH_APP_KEEP=1.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDatabase, dropDatabase, databaseUrlFor } from '../support/app';
import { freePort } from '../support/processes';
import { decodeQrPng } from '../support/qr';
import { linkIn, startSmtpSink, tokenOf, type SmtpSink } from '../support/smtp';

const root = path.join(__dirname, '..', '..');
const pluginDir = path.join(root, 'src', 'plugins', 'booking');
// Outside this repository: no node_modules of AzioneLab's up the tree can lend the new app a
// package the plugin forgot to declare.
// FRESH_APP_REUSE=<a folder kept by FRESH_APP_KEEP=1> starts that app again without making it anew.
const reuse = process.env.FRESH_APP_REUSE;
const work = reuse ?? mkdtempSync(path.join(os.tmpdir(), 'booking-fresh-app-'));
const appDir = path.join(work, 'theatre');

const BRAND = {
  name: 'Teatro Esempio',
  sender: 'Teatro Esempio <biglietti@teatro-esempio.test>',
  colors: { primary: '#224466', background: '#ffffff', text: '#111111' },
  logoUrl: 'https://teatro-esempio.test/logo.png',
};

const timings: Record<string, number> = {};
const step = <T>(name: string, run: () => T): T => {
  const started = Date.now();
  try {
    return run();
  } finally {
    timings[name] = Math.round((Date.now() - started) / 1000);
    console.log(`[fresh-app] ${name}: ${timings[name]} s`);
  }
};
const sh = (command: string, args: string[], cwd: string, env: Record<string, string> = {}) =>
  execFileSync(command, args, {
    cwd,
    env: { ...process.env, STRAPI_TELEMETRY_DISABLED: 'true', CI: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
    encoding: 'utf8',
  });

/** What the theatre writes in its config/plugins.ts: a mail server and the plugin with its brand. */
const pluginsConfig = `import type { Core } from '@strapi/strapi';

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Plugin => ({
  email: {
    config: {
      provider: 'nodemailer',
      providerOptions: {
        host: env('SMTP_HOST', '127.0.0.1'),
        port: env.int('SMTP_PORT', 25),
        secure: false,
        ignoreTLS: true,
      },
      settings: { defaultFrom: 'noreply@teatro-esempio.test', defaultReplyTo: 'noreply@teatro-esempio.test' },
    },
  },
  booking: {
    enabled: true,
    config: {
      brand: ${JSON.stringify(BRAND, null, 2).replace(/\n/g, '\n      ')},
      timezone: 'Europe/Rome',
    },
  },
});

export default config;
`;

let smtp: SmtpSink;
let database: string | null = null;
let app: ChildProcess | null = null;
let baseUrl = '';
let output = '';

beforeAll(async () => {
  smtp = await startSmtpSink();

  if (!reuse) {
    step('plugin build and pack', () => {
      sh('npm', ['run', '--silent', 'build'], pluginDir);
      sh('npm', ['pack', '--pack-destination', work], pluginDir);
    });
    const tarball = readdirSync(work).find((name) => /^strapi-plugin-booking-.*\.tgz$/.test(name));
    if (!tarball) throw new Error('npm pack wrote no tarball');

    step('create-strapi-app@5.54.0', () =>
      sh(
        'npx',
        [
          '-y',
          'create-strapi-app@5.54.0',
          'theatre',
          '--no-run',
          '--skip-cloud',
          '--no-example',
          '--typescript',
          '--use-npm',
          '--no-git-init',
          '--no-install',
          '--dbclient=sqlite',
          '--non-interactive',
        ],
        work
      )
    );
    // The app's own dependencies, the packed plugin, PostgreSQL's driver and an SMTP provider: one
    // install, as a theatre would run it.
    step('npm install (the new app, the plugin tarball, pg, the nodemailer provider)', () =>
      sh(
        'npm',
        [
          'install',
          '--no-audit',
          '--no-fund',
          '--prefer-offline',
          path.join(work, tarball),
          'pg@8.20.0',
          '@strapi/provider-email-nodemailer@5.54.0',
        ],
        appDir
      )
    );
    writeFileSync(path.join(appDir, 'config', 'plugins.ts'), pluginsConfig);
    step('strapi build (production)', () =>
      sh(process.execPath, [path.join(appDir, 'node_modules', '@strapi', 'strapi', 'bin', 'strapi.js'), 'build'], appDir, {
        NODE_ENV: 'production',
      })
    );
  }

  database = await createDatabase();
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  app = spawn(process.execPath, [path.join(appDir, 'node_modules', '@strapi', 'strapi', 'bin', 'strapi.js'), 'start'], {
    cwd: appDir,
    // The app's .env (create-strapi-app wrote its secrets) fills the rest.
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      STRAPI_TELEMETRY_DISABLED: 'true',
      HOST: '127.0.0.1',
      PORT: String(port),
      // The theatre's public address: the e-mailed links' base (the plugin's publicUrl default).
      PUBLIC_URL: baseUrl,
      DATABASE_CLIENT: 'postgres',
      DATABASE_URL: databaseUrlFor(database),
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  app.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  app.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const started = Date.now();
  for (;;) {
    if (app.exitCode !== null) throw new Error(`the new app stopped (${app.exitCode}):\n${output}`);
    if (Date.now() - started > 180_000) throw new Error(`the new app did not start in time:\n${output}`);
    const ready = await fetch(`${baseUrl}/api/booking/ready`).then(
      (res) => res.status,
      () => 0
    );
    if (ready === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  timings['production start'] = Math.round((Date.now() - started) / 1000);
  console.log(`[fresh-app] timings (s): ${JSON.stringify(timings)}`);
}, 45 * 60_000);

afterAll(async () => {
  if (app && app.exitCode === null) {
    const exited = new Promise((resolve) => app!.once('exit', resolve));
    app.kill('SIGTERM');
    await exited;
  }
  if (database) await dropDatabase(database);
  await smtp?.stop();
  if (process.env.FRESH_APP_KEEP !== '1' && !reuse) rmSync(work, { recursive: true, force: true });
});

const call = async (method: string, url: string, body?: unknown, token?: string) => {
  const res = await fetch(`${baseUrl}${url}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  // Read field by field below, as supertest's `any` bodies are in the other tests.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let json: { data?: any; error?: any } = {};
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON: the status tells.
  }
  return { status: res.status, body: json, text };
};
const cm = (uid: string) => `/content-manager/collection-types/plugin::booking.${uid}`;

test('a new Strapi 5.54 app with the packed plugin books, mails under its brand, confirms and checks in', async () => {
  // The first administrator of the new app.
  const password = 'Secret-password-123';
  const admin = await call('POST', '/admin/register-admin', {
    firstname: 'Ada',
    lastname: 'Neri',
    email: 'ada@teatro-esempio.test',
    password,
  });
  expect(admin.status).toBe(200);
  const adminToken = admin.body.data.token as string;

  // The roles the plugin makes: Door staff among them.
  const roles = await call('GET', '/admin/roles', undefined, adminToken);
  expect(roles.status).toBe(200);
  const doorRole = (roles.body.data as Array<{ id: number; code: string }>).find((role) => role.code === 'booking-door-staff');
  expect(doorRole).toBeDefined();

  // A venue, a show and a performance through the Content Manager API, as an editor makes them.
  const venue = await call('POST', `${cm('venue')}?locale=it`, { name: 'Sala Grande', slug: 'sala-grande', city: 'Torino' }, adminToken);
  expect(venue.status).toBe(201);
  const show = await call(
    'POST',
    `${cm('show')}?locale=it`,
    { title: 'Aspettando Godot', slug: 'aspettando-godot', is_published: true },
    adminToken
  );
  expect(show.status).toBe(201);
  const startsAt = new Date(Date.now() + 60 * 60_000).toISOString();
  const performance = await call(
    'POST',
    cm('performance'),
    {
      show: { connect: [{ documentId: show.body.data.documentId, locale: 'it' }] },
      venue: { connect: [{ documentId: venue.body.data.documentId, locale: 'it' }] },
      starts_at: startsAt,
      room_capacity: 40,
      manually_occupied_seats: 0,
      additional_seats: 0,
      is_booking_enabled: true,
    },
    adminToken
  );
  expect(performance.status).toBe(201);
  const performanceId = performance.body.data.documentId as string;

  // The public catalogue shows it.
  const shows = await call('GET', '/api/booking/shows');
  expect(shows.status).toBe(200);
  expect(JSON.stringify(shows.body)).toContain('aspettando-godot');

  // A visitor books two seats.
  const email = 'lucia@example.test';
  const booked = await call('POST', '/api/booking/reservations', {
    data: { performance: performanceId, name: 'Lucia Bianchi', email, party_size: 2 },
  });
  expect(booked.status).toBe(201);
  expect(booked.body.data).toMatchObject({ status: 'pending', party_size: 2 });

  // The confirmation mail, off the real SMTP server: the theatre's sender and name, none of AzioneLab's.
  const mail = await smtp.waitFor((m) => smtp.to(email).includes(m), 30_000);
  expect(mail.from?.value[0]).toMatchObject({ name: 'Teatro Esempio', address: 'biglietti@teatro-esempio.test' });
  const everything = `${mail.subject}\n${mail.text}\n${mail.html}`;
  expect(everything).toContain('Teatro Esempio');
  expect(everything).not.toMatch(/azionelab/i);
  expect(mail.html).toContain(BRAND.colors.primary);
  expect(mail.html).toContain(BRAND.logoUrl);
  const link = linkIn(mail.text ?? '', `${baseUrl}/site/confirm?token=`);

  // The page the link opens comes with the plugin, under the theatre's brand.
  const page = await fetch(link.replace('/site/confirm?', '/site/confirm/?'));
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('<title>Teatro Esempio</title>');
  expect(html).toContain(`--accent:${BRAND.colors.primary}`);
  expect(html).not.toMatch(/azionelab/i);
  expect((await fetch(`${baseUrl}/site/site.js`)).status).toBe(200);

  const confirmed = await call('POST', '/api/booking/reservations/confirm', { token: tokenOf(link) });
  expect(confirmed.status).toBe(200);
  expect(confirmed.body.data).toMatchObject({ status: 'confirmed', party_size: 2 });

  // The ticket: its QR code holds the check-in token.
  const ticket = await smtp.waitFor((m) => smtp.to(email).includes(m) && m !== mail, 30_000);
  expect(`${ticket.subject}\n${ticket.text}\n${ticket.html}`).not.toMatch(/azionelab/i);
  const calendar = ticket.attachments.find((a) => a.contentType.startsWith('text/calendar'));
  expect(calendar?.content.toString('utf8')).not.toMatch(/azionelab/i);
  const png = ticket.attachments.find((a) => a.contentType === 'image/png');
  expect(png).toBeDefined();
  const qr = decodeQrPng(png!.content);
  expect(qr).toMatch(/^[A-Za-z0-9_-]{43}$/);

  // A Door staff member, invited by the administrator, checks the party in.
  const invited = await call(
    'POST',
    '/admin/users',
    { firstname: 'Piero', lastname: 'Gallo', email: 'piero@teatro-esempio.test', roles: [doorRole!.id] },
    adminToken
  );
  expect(invited.status).toBe(201);
  const registered = await call('POST', '/admin/register', {
    registrationToken: invited.body.data.registrationToken,
    userInfo: { firstname: 'Piero', lastname: 'Gallo', password },
  });
  expect(registered.status).toBe(200);
  const doorToken = registered.body.data.token as string;

  const scan = await call('POST', '/booking/check-ins', { token: qr, performance: performanceId, source: 'qr_scan' }, doorToken);
  expect(scan.status).toBe(200);
  expect(scan.body.data).toMatchObject({ result: 'ok', checked_in_by: 'Piero G.' });
  const again = await call('POST', '/booking/check-ins', { token: qr, performance: performanceId, source: 'qr_scan' }, doorToken);
  expect(again.body.data.result).toBe('already_checked_in');
});
