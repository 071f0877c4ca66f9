/**
 * Issue 22: a performance cancelled, against the real app on PostgreSQL, a real SMTP server and
 * a real HTTP webhook receiver: the route and its permission, the answers (`already_cancelled`,
 * `too_late`), the mails in each person's language with the editor's message, the webhooks
 * without it, the public performance's `status`, booking and joining closed, its ticket refused
 * at the door; and item 4: a reservation cancelled by staff tells its holder, a show with booked
 * upcoming performances is not unpublished, nor is it or its venue deleted, on either write path.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { connectToDatabaseOf, startApp, service, type TestApp } from './support/app';
import { createAdmin } from './support/admin';
import { createPerformance, seatsOf } from './support/factories';
import { startSmtpSink, type SmtpSink } from './support/smtp';

const PUBLIC_URL = 'https://teatro.example.test/prenota';
const MESSAGE = 'L’attore protagonista è malato. / The lead actor is ill. <b>niente HTML</b>';
let app: TestApp;
let smtp: SmtpSink;
let receiver: http.Server;
let receiverUrl: string;
let received: Array<{ path: string; body: string }> = [];
let superToken: string;
let counter = 0;
const api = () => request(app.strapi.server.httpServer);
const email = (tag: string) => `${tag}${(counter += 1)}@example.test`;
const settle = async () => {
  await service(app.strapi, 'events').settle();
  await service(app.strapi, 'mailer').settle();
  await service(app.strapi, 'webhooks').settle();
};
const cancel = (documentId: string, token = superToken, body: unknown = { message: MESSAGE }) =>
  api()
    .post(`/booking/performances/${documentId}/cancel`)
    .set('Authorization', `Bearer ${token}`)
    .send(body as object);

const book = async (performance: string, address: string, locale: 'it' | 'en' = 'it', party_size = 2) => {
  const created = await service(app.strapi, 'reservations').createReservation({
    performance,
    name: 'Luca Neri',
    email: address,
    party_size,
    locale,
  });
  if (!created.ok) throw new Error(created.code);
  const confirmed = await service(app.strapi, 'reservations').confirmReservation(created.confirmationToken);
  if (!confirmed.ok) throw new Error(confirmed.code);
  return confirmed as { reservation: { id: number; documentId: string; reference: string }; checkInToken: string };
};

const cancelMails = (address: string) => smtp.to(address).filter((m) => /Replica annullata|Performance cancelled/.test(m.subject ?? ''));

beforeAll(async () => {
  smtp = await startSmtpSink();
  receiver = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  app = await startApp({
    env: {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      BOOKING_PUBLIC_URL: PUBLIC_URL,
      BOOKING_RATE_LIMIT_PER_MINUTE: '0',
      BOOKING_PENDING_PER_EMAIL: '0',
      BOOKING_SCHEDULED_JOBS: 'false',
      BOOKING_WEBHOOK_ALLOW_PRIVATE: 'true',
    },
  });
  superToken = (await createAdmin(app.strapi)).token;
});
afterAll(async () => {
  await app?.stop();
  await smtp?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('cancel a performance', () => {
  test('holders and waiting parties are written to once, in their language, with the message; the webhooks carry none of it', async () => {
    await app.strapi.db.query('plugin::booking.webhook').create({ data: { url: `${receiverUrl}/all`, events: [] } });
    const perf = await createPerformance(app.strapi, { room_capacity: 4 });
    const [it, en] = [email('holder-it'), email('holder-en')];
    const first = await book(perf.documentId, it, 'it');
    await book(perf.documentId, en, 'en');
    const waiting = email('waiting');
    const joined = await service(app.strapi, 'waitlist').join({
      performance: perf.documentId,
      name: 'In Attesa',
      email: waiting,
      party_size: 1,
      locale: 'en',
    });
    if (!joined.ok) throw new Error(joined.code);
    expect((await service(app.strapi, 'waitlist').confirm(joined.confirmationToken)).ok).toBe(true);
    const unconfirmed = email('unconfirmed');
    expect(
      (
        await service(app.strapi, 'waitlist').join({
          performance: perf.documentId,
          name: 'Mai Confermato',
          email: unconfirmed,
          party_size: 1,
        })
      ).ok
    ).toBe(true);
    await settle();
    received = [];

    // The dialog's count: two holders, one waiting party (the unconfirmed join is not written to).
    const preview = await api().get(`/booking/performances/${perf.documentId}/cancel`).set('Authorization', `Bearer ${superToken}`);
    expect(preview.status).toBe(200);
    expect(preview.body.data).toMatchObject({ status: 'scheduled', started: false, holders: 2, waiting: 1, recipients: 3 });

    const res = await cancel(perf.documentId);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      documentId: perf.documentId,
      status: 'cancelled',
      reservations_cancelled: 2,
      waitlist_entries_closed: 2,
    });
    await settle();

    const [toIt] = cancelMails(it);
    expect(cancelMails(it)).toHaveLength(1);
    expect(toIt.subject).toBe(`Replica annullata: ${perf.showTitle}`);
    expect(toIt.text).toContain('La tua prenotazione è annullata');
    expect(toIt.text).toContain(MESSAGE);
    expect(toIt.html).toContain('&lt;b&gt;niente HTML&lt;/b&gt;');
    expect(toIt.html).not.toContain('<b>niente');
    const [toEn] = cancelMails(en);
    expect(cancelMails(en)).toHaveLength(1);
    expect(toEn.subject).toBe(`Performance cancelled: ${perf.showTitle}`);
    expect(toEn.text).toContain('Your booking is cancelled');
    const [toWaiting] = cancelMails(waiting);
    expect(cancelMails(waiting)).toHaveLength(1);
    expect(toWaiting.text).toContain('The waiting list is closed');
    expect(toWaiting.text).toContain(MESSAGE);
    expect(cancelMails(unconfirmed)).toHaveLength(0);

    // Webhooks: the performance's and each reservation's, and never the message.
    const bodies = received
      .filter((r) => r.path === '/all')
      .map((r) => JSON.parse(r.body) as { type: string; data: Record<string, unknown> });
    expect(bodies.filter((b) => b.type === 'performance.cancelled')).toEqual([
      expect.objectContaining({ data: { reference: null, performance: perf.documentId, party_size: null, status: 'cancelled' } }),
    ]);
    expect(bodies.filter((b) => b.type === 'reservation.cancelled')).toHaveLength(2);
    for (const r of received) expect(r.body).not.toMatch(/malato|ill|HTML/);

    // Seats: all back, the counter and the recount agree, nothing was offered.
    const seats = await seatsOf(app.strapi, perf.id);
    expect([seats.confirmedSeats, seats.heldSeats]).toEqual([0, 0]);
    expect([...(await service(app.strapi, 'availability').recount()).entries()]).toEqual([]);

    // Twice: 409, and nobody is written to again, even when the outbox is run by the job.
    const again = await cancel(perf.documentId);
    expect(again.status).toBe(409);
    expect(again.body.error.details.code).toBe('already_cancelled');
    // The mails' dedupe key: the same cancel announced again (a retry) owes nobody a second mail.
    const outbox = () => app.strapi.db.query('plugin::booking.outbox-message').count({ where: { kind: 'performance_cancelled' } });
    const owed = await outbox();
    const holderIds = (
      (await app.strapi.db
        .query('plugin::booking.reservation')
        .findMany({ where: { performance: { id: perf.id } }, select: ['id'] })) as Array<{
        id: number;
      }>
    ).map((r) => r.id);
    const entryIds = [joined.entry.id];
    await app.strapi.db.transaction(({ trx }) =>
      service(app.strapi, 'events').announce(trx, {
        type: 'performance.cancelled',
        performanceId: perf.id,
        reservationIds: [],
        holderReservationIds: holderIds,
        entryIds,
      })
    );
    expect(await outbox()).toBe(owed);
    await service(app.strapi, 'mailer').deliverDue(new Date(Date.now() + 3600_000));
    await settle();
    expect([cancelMails(it), cancelMails(en), cancelMails(waiting)].map((m) => m.length)).toEqual([1, 1, 1]);

    // The public performance: listed on its show, cancelled, not bookable; booking and joining closed.
    const shown = await api().get(`/api/booking/performances/${perf.documentId}`);
    expect(shown.body.data).toMatchObject({ status: 'cancelled', bookable: false, waitlist_open: false });
    const show = await api().get(`/api/booking/shows/${perf.showSlug}`);
    expect(show.body.data.performances).toEqual([
      expect.objectContaining({ documentId: perf.documentId, status: 'cancelled', bookable: false }),
    ]);
    const data = { performance: perf.documentId, name: 'Tar Divo', email: email('late'), party_size: 1 };
    const booking = await api().post('/api/booking/reservations').send({ data });
    expect([booking.status, booking.body.error?.details?.code]).toEqual([409, 'booking_closed']);
    const join = await api().post('/api/booking/waitlist').send({ data });
    expect([join.status, join.body.error?.details?.code]).toEqual([409, 'booking_closed']);

    // Its ticket at the door.
    const door = await api().post('/booking/check-ins').set('Authorization', `Bearer ${superToken}`).send({ token: first.checkInToken });
    expect(door.body.data?.result ?? door.body.error?.details?.code).toBe('not_confirmed');
  });

  test('a performance that has started is too late; an unknown one is 404; a long message is 400', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 4 });
    await app.strapi.db
      .query('plugin::booking.performance')
      .update({ where: { id: perf.id }, data: { starts_at: new Date(Date.now() - 60_000) } });
    const late = await cancel(perf.documentId);
    expect([late.status, late.body.error.details.code]).toEqual([409, 'too_late']);
    expect((await cancel('nosuchperformance0000000')).status).toBe(404);
    const other = await createPerformance(app.strapi, { room_capacity: 4 });
    const long = await cancel(other.documentId, superToken, { message: 'x'.repeat(1001) });
    expect([long.status, long.body.error.details.code]).toEqual([400, 'validation']);
    expect((await cancel(other.documentId, superToken, { message: 'x'.repeat(1000) })).status).toBe(200);
  });

  test('Editors may cancel by default; Authors and the box office may not; an editor cannot write cancelled_at by hand', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 4 });
    const author = await createAdmin(app.strapi, { roleCode: 'strapi-author' });
    const boxOffice = await createAdmin(app.strapi, { roleCode: 'booking-box-office' });
    expect((await cancel(perf.documentId, author.token)).status).toBe(403);
    expect((await cancel(perf.documentId, boxOffice.token)).status).toBe(403);
    await expect(
      app.strapi
        .documents('plugin::booking.performance')
        .update({ documentId: perf.documentId, data: { cancelled_at: new Date() } as never })
    ).rejects.toMatchObject({ details: { code: 'read_only' } });
    await expect(
      app.strapi.db.query('plugin::booking.performance').update({ where: { id: perf.id }, data: { cancellation_message: 'x' } })
    ).rejects.toMatchObject({ details: { code: 'read_only' } });
    const editor = await createAdmin(app.strapi, { roleCode: 'strapi-editor' });
    expect((await cancel(perf.documentId, editor.token, {})).status).toBe(200);
  });

  test('a pending reservation of a cancelled performance cannot be confirmed', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 4 });
    const created = await service(app.strapi, 'reservations').createReservation({
      performance: perf.documentId,
      name: 'Pen Ding',
      email: email('pending'),
      party_size: 1,
    });
    if (!created.ok) throw new Error(created.code);
    expect((await cancel(perf.documentId)).body.data.reservations_cancelled).toBe(1);
    const res = await api().post('/api/booking/reservations/confirm').send({ token: created.confirmationToken });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(['booking_closed', 'token_used']).toContain(res.body.error.details.code);
    const row = await app.strapi.db.query('plugin::booking.reservation').findOne({ where: { id: created.reservation.id } });
    expect(row.reservation_status).toBe('cancelled');
  });
});

test('join confirmations queued on both sides of a cancel: no deadlock (the cancel skips the entries they hold), every answer from the contract', async () => {
  const perf = await createPerformance(app.strapi, { room_capacity: 1 });
  await book(perf.documentId, email('full'), 'it', 1);
  const tokens: string[] = [];
  for (let i = 0; i < 8; i += 1) {
    const joined = await service(app.strapi, 'waitlist').join({
      performance: perf.documentId,
      name: 'In Coda',
      email: email('queue'),
      party_size: 1,
    });
    if (!joined.ok) throw new Error(joined.code);
    tokens.push(joined.confirmationToken);
  }
  // The performance row held from outside, so that the calls queue on it in a known order: four
  // confirmations, the cancel, four more (the app's pool has ten connections). Each
  // confirmation locks its entry, then waits for the row; the cancel, once it has the row,
  // locks the open entries. Were it to wait for those the confirmations behind it hold, each
  // would wait for the other and PostgreSQL would roll one back (a 500 for the visitor, or the
  // cancel run again): it skips them, and they find the performance closed.
  const holder = await connectToDatabaseOf(app);
  const table = app.strapi.db.metadata.get('plugin::booking.performance').tableName;
  const waiting = async (n: number) => {
    for (let tries = 0; tries < 200; tries += 1) {
      const { rows } = await holder.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
      );
      if (rows[0].n >= n) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`fewer than ${n} transactions waiting`);
  };
  const warnings: string[] = [];
  const warn = jest.spyOn(app.strapi.log, 'warn').mockImplementation(((message: unknown) => void warnings.push(String(message))) as never);
  try {
    await holder.query('BEGIN');
    await holder.query(`SELECT id FROM ${table} WHERE id = $1 FOR UPDATE`, [perf.id]);
    // Sent at once (supertest sends a request when it is awaited).
    const confirm = (token: string) =>
      api()
        .post('/api/booking/waitlist/confirm')
        .send({ token })
        .then((res) => res);
    const before = tokens.slice(0, 4).map(confirm);
    await waiting(4);
    const cancelling = cancel(perf.documentId).then((res) => res);
    await waiting(5);
    const after = tokens.slice(4).map(confirm);
    await waiting(9);
    await holder.query('COMMIT');
    const [cancelled, ...answers] = await Promise.all([cancelling, ...before, ...after]);
    expect(cancelled.status).toBe(200);
    // Those ahead of the cancel are on the list (then ended by it); those behind it find it closed.
    expect(answers.map((a) => (a.status === 200 ? 200 : `${a.status} ${a.body.error?.details?.code}`))).toEqual([
      ...Array(4).fill(200),
      ...Array(4).fill('410 token_expired'),
    ]);
  } finally {
    warn.mockRestore();
    await holder.end();
  }
  expect(warnings.filter((w) => /deadlock/i.test(w))).toEqual([]);
  await settle();
});

describe('every change a ticket holder must know of is told (item 4)', () => {
  /** An upcoming performance with 2 confirmed seats, its show's and venue's rows, and the refusal that names it. */
  const bookedPerformance = async (tag: string) => {
    const perf = await createPerformance(app.strapi, { room_capacity: 10 });
    type Row = { id: number; documentId: string };
    const show = (await app.strapi.db.query('plugin::booking.show').findOne({ where: { slug: perf.showSlug } })) as Row;
    const venue = (await app.strapi.db.query('plugin::booking.venue').findOne({ where: { slug: perf.venueSlug } })) as Row;
    const { label } = (await app.strapi.db.query('plugin::booking.performance').findOne({ where: { id: perf.id } })) as { label: string };
    await book(perf.documentId, email(tag));
    const refused = { details: { code: 'capacity_below_confirmed' }, message: expect.stringContaining(label) };
    return { perf, show, venue, label, refused };
  };

  test('a confirmed reservation cancelled by staff in the Content Manager sends its holder a notice in their language; an erasure sends none', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 10 });
    const address = email('staff-cancel');
    const booked = await book(perf.documentId, address, 'en');
    await settle();
    await app.strapi
      .documents('plugin::booking.reservation')
      .update({ documentId: booked.reservation.documentId, data: { reservation_status: 'cancelled' } as never });
    await settle();
    const notices = smtp.to(address).filter((m) => (m.subject ?? '').startsWith('Booking cancelled'));
    expect(notices).toHaveLength(1);
    expect(notices[0].text).toContain('the box office has cancelled your booking');
    expect(notices[0].text).toContain(booked.reservation.reference);

    // An erasure the visitor asked for cancels without a word.
    const erased = email('erase-me');
    await book(perf.documentId, erased, 'it');
    await settle();
    const before = smtp.to(erased).length;
    await service(app.strapi, 'privacy').eraseVisitor(erased);
    await settle();
    expect(smtp.to(erased)).toHaveLength(before);
  });

  test('a show with an upcoming booked performance is not unpublished, by the Document Service or the Query Engine; named in the refusal', async () => {
    const { perf, show, label, refused } = await bookedPerformance('keeps-show');
    await expect(
      app.strapi
        .documents('plugin::booking.show')
        .update({ documentId: show.documentId, locale: 'it', data: { is_published: false } as never })
    ).rejects.toMatchObject(refused);
    await expect(
      app.strapi.db.query('plugin::booking.show').update({ where: { id: show.id }, data: { is_published: false } })
    ).rejects.toMatchObject(refused);
    await expect(
      app.strapi.db.query('plugin::booking.show').updateMany({ where: { id: { $in: [show.id] } }, data: { is_published: false } })
    ).rejects.toMatchObject(refused);
    // The Content Manager: the editor's save answers 400 naming the performance, in their language;
    // its bulk unpublish of a show (a type without drafts) changes nothing either.
    const editor = await createAdmin(app.strapi, { roleCode: 'strapi-editor', preferedLanguage: 'en' });
    const saved = await api()
      .put(`/content-manager/collection-types/plugin::booking.show/${show.documentId}?locale=it`)
      .set('Authorization', `Bearer ${editor.token}`)
      .send({ is_published: false });
    expect([saved.status, saved.body.error?.details?.code]).toEqual([400, 'capacity_below_confirmed']);
    expect(saved.body.error.message).toContain(`This show has upcoming performances with confirmed seats: ${label} (2)`);
    const bulk = await api()
      .post('/content-manager/collection-types/plugin::booking.show/actions/bulkUnpublish')
      .set('Authorization', `Bearer ${editor.token}`)
      .send({ documentIds: [show.documentId] });
    expect(bulk.status).toBe(400);
    expect((await app.strapi.db.query('plugin::booking.show').findOne({ where: { id: show.id } })).is_published).toBe(true);
    expect((await api().get(`/api/booking/shows/${perf.showSlug}`)).status).toBe(200);

    // Once the performance is cancelled, the show may go.
    expect((await cancel(perf.documentId)).status).toBe(200);
    await app.strapi
      .documents('plugin::booking.show')
      .update({ documentId: show.documentId, locale: 'it', data: { is_published: false } as never });
    expect((await app.strapi.db.query('plugin::booking.show').findOne({ where: { id: show.id } })).is_published).toBe(false);
  });

  test('a venue or show whose upcoming performance holds confirmed seats is not deleted, on any write path; named in the refusal', async () => {
    const { perf, show, venue, label, refused } = await bookedPerformance('keeps-venue');
    for (const uid of ['plugin::booking.venue', 'plugin::booking.show'] as const) {
      const row = uid === 'plugin::booking.venue' ? venue : show;
      await expect(app.strapi.documents(uid).delete({ documentId: row.documentId, locale: 'it' })).rejects.toMatchObject(refused);
      await expect(app.strapi.db.query(uid).delete({ where: { id: row.id } })).rejects.toMatchObject(refused);
      await expect(app.strapi.db.query(uid).deleteMany({ where: { id: { $in: [row.id] } } })).rejects.toMatchObject(refused);
    }
    // The Content Manager: the editor's delete answers 400 naming the performance, in their language.
    const editor = await createAdmin(app.strapi, { roleCode: 'strapi-editor', preferedLanguage: 'en' });
    const deleted = await api()
      .delete(`/content-manager/collection-types/plugin::booking.venue/${venue.documentId}?locale=it`)
      .set('Authorization', `Bearer ${editor.token}`);
    expect([deleted.status, deleted.body.error?.details?.code]).toEqual([400, 'capacity_below_confirmed']);
    expect(deleted.body.error.message).toContain(`This venue has upcoming performances with confirmed seats: ${label} (2)`);
    const linked = (await app.strapi.db
      .query('plugin::booking.performance')
      .findOne({ where: { id: perf.id }, populate: { venue: true, show: true } })) as {
      venue: { id: number } | null;
      show: { id: number } | null;
    };
    expect([linked.venue?.id, linked.show?.id]).toEqual([venue.id, show.id]);

    // Once the performance is cancelled, both may go.
    expect((await cancel(perf.documentId)).status).toBe(200);
    await app.strapi.documents('plugin::booking.venue').delete({ documentId: venue.documentId, locale: 'it' });
    await app.strapi.documents('plugin::booking.show').delete({ documentId: show.documentId, locale: 'it' });
    expect(await app.strapi.db.query('plugin::booking.venue').findOne({ where: { id: venue.id } })).toBeNull();
  });
});
