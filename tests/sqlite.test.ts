/**
 * `npm run develop` runs on SQLite, where the plugin's raw SQL takes its other branches: no
 * data-modifying CTEs, a single connection, RETURNING through better-sqlite3. The booking and
 * door flow on a throwaway SQLite file: confirm until sold out, check in, replay a scan by its
 * idempotency key, refuse an invalid ticket twice, record an offline conflict, read the offline
 * door's snapshot, and keep the seat counter true.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Core } from '@strapi/strapi';
import { Webhook } from 'standardwebhooks';
import { service, startApp, type TestApp } from './support/app';
import { pendingReservation, seatsOf } from './support/factories';

let app: TestApp;
let strapi: Core.Strapi;

beforeAll(async () => {
  app = await startApp({ client: 'sqlite', env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: '1' } });
  strapi = app.strapi;
});

afterAll(async () => {
  if (app) await service(app.strapi, 'mailer').settle();
  await app?.stop();
});

test('confirm, sell out, check in, replay and refuse on SQLite', async () => {
  const stamp = Date.now();
  const show = await strapi.db
    .query('plugin::booking.show')
    .create({ data: { title: 'Prova', slug: `prova-${stamp}`, is_published: true } });
  const venue = await strapi.db
    .query('plugin::booking.venue')
    .create({ data: { name: 'Sala', slug: `sala-${stamp}`, address: 'Via Roma 1', city: 'Bologna' } });
  const perf = await strapi.db.query('plugin::booking.performance').create({
    data: {
      starts_at: new Date(Date.now() + 3600_000),
      room_capacity: 2,
      additional_seats: 0,
      manually_occupied_seats: 0,
      is_booking_enabled: true,
      show: show.id,
      venue: venue.id,
    },
  });
  const reservations = service(strapi, 'reservations');
  const pair = await pendingReservation(strapi, {
    performance: perf.documentId,
    name: 'Anna Bianchi',
    email: 'anna@example.it',
    party_size: 2,
  });
  const single = await pendingReservation(strapi, {
    performance: perf.documentId,
    name: 'Carlo Neri',
    email: 'carlo@example.it',
    party_size: 1,
  });

  const confirmed = await reservations.confirmReservation(pair.confirmationToken);
  expect(confirmed).toMatchObject({ ok: true, availableSeats: 0 });
  if (!confirmed.ok) throw new Error(`not confirmed: ${confirmed.code}`);
  expect(await reservations.confirmReservation(single.confirmationToken)).toMatchObject({ ok: false, code: 'sold_out' });
  expect(await reservations.confirmReservation(pair.confirmationToken)).toMatchObject({ ok: false, code: 'token_used' });

  const staff = await strapi.db
    .query('admin::user')
    .create({ data: { email: `porta-${stamp}@example.it`, firstname: 'Paolo', lastname: 'Rossi', isActive: true } });
  const door = service(strapi, 'door');
  const scan = (text: string, idempotencyKey: string) =>
    door.checkInTicket({
      text,
      performance: perf.documentId,
      staff: { id: staff.id, firstname: 'Paolo', lastname: 'Rossi' },
      idempotencyKey,
    });
  const first = await scan(confirmed.checkInToken, 'scan-1');
  expect(first).toMatchObject({
    result: 'ok',
    checked_in_by: 'Paolo R.',
    ticket: { party_size: 2, show_title: 'Prova', venue_name: 'Sala' },
  });
  expect(await scan(confirmed.checkInToken, 'scan-1')).toEqual(first);
  expect(await scan(confirmed.checkInToken, 'scan-2')).toMatchObject({ result: 'already_checked_in', checked_in_by: 'Paolo R.' });
  const invalid = 'x'.repeat(43);
  expect(await scan(invalid, 'scan-3')).toEqual({ result: 'invalid' });
  expect(await scan(invalid, 'scan-3')).toEqual({ result: 'invalid' });

  // An offline admission of the same ticket, uploaded later: the conflict is counted and listed.
  const offlineAt = new Date(Date.now() - 60_000);
  const late = await door.checkInTicket({
    text: confirmed.checkInToken,
    performance: perf.documentId,
    staff: { id: staff.id, firstname: 'Paolo', lastname: 'Rossi' },
    idempotencyKey: 'scan-4',
    offline: { scannedAt: offlineAt },
  });
  expect(late).toMatchObject({ result: 'already_checked_in' });
  expect(await service(strapi, 'door-reports').offlineConflicts(perf.documentId)).toEqual([
    {
      reference: confirmed.reservation.reference,
      checked_in_at: first.checked_in_at,
      checked_in_by: 'Paolo R.',
      scanned_at: offlineAt.toISOString(),
      scanned_by: 'Paolo R.',
    },
  ]);
  expect((await service(strapi, 'door-reports').statistics(perf.documentId))?.offline_conflicts).toBe(1);
  // The offline door's snapshot: the one check-in token, sealed, checked in; nothing changed since a cursor of now.
  const snapshot = await service(strapi, 'door-snapshot').snapshot(perf.documentId, null);
  expect(snapshot?.tickets).toEqual([
    {
      id: expect.stringMatching(/^[0-9a-f]{64}$/),
      party_size: 2,
      status: 'confirmed',
      checked_in_at: first.checked_in_at,
      sealed: expect.any(String),
    },
  ]);
  expect((await service(strapi, 'door-snapshot').snapshot(perf.documentId, Date.now() + 1000))?.tickets).toEqual([]);

  expect(await strapi.db.query('plugin::booking.check-in').count()).toBe(1);
  expect(await strapi.db.query('plugin::booking.scan').count()).toBe(4);
  expect((await seatsOf(strapi, perf.id)).confirmedSeats).toBe(2);
  expect([...(await service(strapi, 'availability').recount())]).toEqual([]);
});

test('the retention job and the erasure of one address on SQLite', async () => {
  const stamp = Date.now();
  const show = await strapi.db
    .query('plugin::booking.show')
    .create({ data: { title: 'Privacy', slug: `privacy-${stamp}`, is_published: true } });
  const venue = await strapi.db
    .query('plugin::booking.venue')
    .create({ data: { name: 'Sala P', slug: `sala-p-${stamp}`, address: 'Via Roma 2', city: 'Bologna' } });
  const newPerformance = () =>
    strapi.db.query('plugin::booking.performance').create({
      data: {
        starts_at: new Date(Date.now() + 48 * 3600_000),
        room_capacity: 10,
        additional_seats: 0,
        manually_occupied_seats: 0,
        is_booking_enabled: true,
        show: show.id,
        venue: venue.id,
      },
    });
  const past = await newPerformance();
  const upcoming = await newPerformance();
  const reservations = strapi.plugin('booking').service('reservations');
  const book = async (performance: string, email: string) => {
    const created = await reservations.createReservation({
      performance,
      name: 'Elena Conti',
      email,
      phone: '333',
      notes: 'nota',
      party_size: 2,
    });
    return reservations.confirmReservation(created.confirmationToken);
  };
  const old = await book(past.documentId, 'elena@example.it');
  await book(upcoming.documentId, 'ELENA@example.it');
  await strapi.db
    .connection('booking_performances')
    .where({ id: past.id })
    .update({ starts_at: new Date(Date.now() - 31 * 24 * 3600_000) });

  const privacy = strapi.plugin('booking').service('privacy');
  expect(await privacy.eraseLapsed(new Date())).toBe(1);
  const erased = await strapi.db.query('plugin::booking.reservation').findOne({ where: { id: old.reservation.id } });
  expect(erased).toMatchObject({ name: '—', email: 'erased@erased.invalid', phone: null, notes: null, reservation_status: 'confirmed' });

  expect(await privacy.eraseVisitor('elena@example.it')).toEqual({ reservations: 1, waitlist_entries: 0, found: true });
  expect((await strapi.plugin('booking').service('availability').forPerformance(upcoming.id)).availableSeats).toBe(10);
  expect((await privacy.exportVisitor('elena@example.it')).reservations).toEqual([]);
  expect([...(await strapi.plugin('booking').service('availability').recount())]).toEqual([]);
});

test('webhooks on SQLite: the INSERT ... SELECT filters by the events list, and the delivery is signed and sent', async () => {
  const received: Array<{ headers: Record<string, string>; body: string }> = [];
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers as Record<string, string>, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const hook = (await strapi.db.query('plugin::booking.webhook').create({ data: { url, events: ['reservation.confirmed'] } })) as {
      id: number;
      secret: string;
    };
    await strapi.db.query('plugin::booking.webhook').create({ data: { url, events: ['check-in.created'] } });
    const stamp = Date.now();
    const show = await strapi.db.query('plugin::booking.show').create({ data: { title: 'Eco', slug: `eco-${stamp}`, is_published: true } });
    const venue = await strapi.db
      .query('plugin::booking.venue')
      .create({ data: { name: 'Sala', slug: `sala-eco-${stamp}`, address: 'Via Roma 1', city: 'Bologna' } });
    const perf = (await strapi.db.query('plugin::booking.performance').create({
      data: { starts_at: new Date(Date.now() + 3600_000), room_capacity: 5, is_booking_enabled: true, show: show.id, venue: venue.id },
    })) as { documentId: string };
    const created = await pendingReservation(strapi, { performance: perf.documentId, party_size: 2, email: 'eco@example.test' });
    const confirmed = await service(strapi, 'reservations').confirmReservation(created.confirmationToken);
    expect(confirmed.ok).toBe(true);
    await service(strapi, 'events').settle();
    await service(strapi, 'webhooks').settle();

    const deliveries = (await strapi.db.query('plugin::booking.webhook-delivery').findMany({})) as Array<{
      webhook_entry: number;
      event_type: string;
    }>;
    expect(deliveries.map((d) => [d.webhook_entry, d.event_type])).toEqual([[hook.id, 'reservation.confirmed']]);
    expect(received).toHaveLength(1);
    const payload = new Webhook(hook.secret).verify(received[0].body, received[0].headers);
    expect(payload).toEqual({
      type: 'reservation.confirmed',
      timestamp: expect.any(String),
      data: { reference: created.reservation.reference, performance: perf.documentId, party_size: 2, status: 'confirmed' },
    });
  } finally {
    await new Promise((resolve) => receiver.close(resolve));
  }
});

test('the demo season seeds on SQLite with its sold-out performance; a link is previewed and a party reduced there', async () => {
  const demo = service(strapi, 'demo-data');
  // Shows, venues, performances, box-office parties, then the English copies of 3 shows and 2 venues.
  expect(await demo.seed()).toBe(4 + 3 + 11 + 2 + 3 + 2);
  const show = await service(strapi, 'catalogue').showBySlug('la-locandiera');
  const english = await service(strapi, 'catalogue').showBySlug('la-locandiera', new Date(), 'en');
  expect([show.title, english.title]).toEqual(['La locandiera', 'The Mistress of the Inn']);
  expect(english.description_html).toContain('<strong>2 hours</strong>');
  expect(english.performances.map((p) => p.venue?.city)).toEqual(['Bologna', 'Rome', 'Bologna']);
  // In the order of the Italian titles (Il giardino, La locandiera, Sei personaggi), each show once
  // (the other tests' shows have no English version).
  const demoSlugs = ['il-giardino-dei-ciliegi', 'la-locandiera', 'sei-personaggi-in-cerca-d-autore'];
  const listed = (await service(strapi, 'catalogue').listShows(1, 100, new Date(), 'en')).data;
  expect(listed.filter((s) => demoSlugs.includes(s.slug)).map((s) => s.title)).toEqual([
    'The Cherry Orchard',
    'The Mistress of the Inn',
    'Six Characters in Search of an Author',
  ]);
  const soldOut = show.performances.filter((p) => p.waitlist_open);
  expect(soldOut.map((p) => p.available_seats)).toEqual([0]);
  expect(show.description_html).toContain('<strong>2 ore</strong>');

  const open = show.performances.find((p) => p.bookable)!;
  const pending = await pendingReservation(strapi, {
    performance: open.documentId,
    name: 'Dora Gialli',
    email: 'dora@example.it',
    party_size: 3,
  });
  const reservations = service(strapi, 'reservations');
  const seen = await reservations.previewReservation(pending.confirmationToken);
  expect(seen).toMatchObject({ ok: true, reservation: { reservation_status: 'pending', party_size: 3 } });
  const confirmed = await reservations.confirmReservation(pending.confirmationToken);
  if (!confirmed.ok) throw new Error(confirmed.code);
  expect(await service(strapi, 'cancellations').reduceReservation(confirmed.cancellationToken, 1)).toMatchObject({ ok: true });
  const mails = await strapi.db.query('plugin::booking.outbox-message').count({ where: { kind: 'reduced' } });
  expect(mails).toBe(1);
});
