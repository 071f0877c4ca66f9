/**
 * The door when the network drops (API.md, season three), the server's half, on PostgreSQL with a
 * real SMTP server: the snapshot read as a thief would (nothing personal in clear) and opened with
 * one ticket's raw token as a browser would (WebCrypto's HKDF and AES-GCM, from node:crypto); its
 * incremental `since`; resent, cancelled, reduced and erased tickets; offline uploads exactly once
 * under retries; two devices admitting one ticket offline: one check-in, one offline conflict,
 * named by the overview's data route and counted in the stats.
 */
import { createHash, webcrypto } from 'node:crypto';
import request from 'supertest';
import { service, startApp, type TestApp } from './support/app';
import { createAdmin } from './support/admin';
import { createPerformance, type PerformanceFixture } from './support/factories';
import { decodeQrPng } from './support/qr';
import { startSmtpSink, type SmtpSink } from './support/smtp';

let app: TestApp;
let smtp: SmtpSink;
let anna: { id: number; token: string };
let bruno: { id: number; token: string };
let editor: string;
const http = () => request(app.strapi.server.httpServer);
const settle = async () => {
  await service(app.strapi, 'events').settle();
  await service(app.strapi, 'mailer').settle();
};
let counter = 0;

interface Entry {
  id: string;
  party_size: number;
  status: 'confirmed' | 'revoked';
  checked_in_at: string | null;
  sealed: string | null;
}

const snapshot = (documentId: string, since?: string, token = anna.token) =>
  http()
    .get(`/booking/performances/${documentId}/door-snapshot${since === undefined ? '' : `?since=${encodeURIComponent(since)}`}`)
    .set('Authorization', `Bearer ${token}`);

const upload = (body: Record<string, unknown>, token: string) =>
  http().post('/booking/check-ins').set('Authorization', `Bearer ${token}`).send(body);

/** The QR codes of the tickets mailed to an address, in the order they came. */
const qrCodesTo = (email: string) =>
  smtp
    .to(email)
    .map((mail) => mail.attachments.find((a) => a.contentType === 'image/png'))
    .filter((png) => png !== undefined)
    .map((png) => decodeQrPng(png.content));

const sha256 = (raw: string) => createHash('sha256').update(raw, 'utf8').digest('hex');

/** Opens a sealed record as the scanner page does: WebCrypto, the raw token as the HKDF key material. */
const openAsBrowser = async (rawToken: string, sealed: string): Promise<unknown> => {
  const subtle = webcrypto.subtle;
  const material = await subtle.importKey('raw', new TextEncoder().encode(rawToken), 'HKDF', false, ['deriveKey']);
  const key = await subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new TextEncoder().encode('azionelab-door-v1') },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['decrypt']
  );
  const bytes = Buffer.from(sealed, 'base64url');
  try {
    const plain = await subtle.decrypt({ name: 'AES-GCM', iv: bytes.subarray(0, 12) }, key, bytes.subarray(12));
    return JSON.parse(new TextDecoder().decode(plain));
  } catch {
    return null;
  }
};

/** A visitor with everything personal a reservation can hold, confirmed through the services. */
const book = async (
  performance: string,
  party_size = 2,
  extra: { access_needs?: Array<'wheelchair' | 'hearing' | 'sight' | 'other'> } = {}
) => {
  counter += 1;
  const who = {
    name: `Giulietta${counter} Capuleti${counter}`,
    email: `giulietta${counter}.capuleti@example.test`,
    phone: `+39 333 000 ${String(1000 + counter)}`,
    notes: `balcone riservato ${counter}`,
  };
  const created = await service(app.strapi, 'reservations').createReservation({ performance, party_size, ...who, ...extra });
  if (!created.ok) throw new Error(created.code);
  const confirmed = await service(app.strapi, 'reservations').confirmReservation(created.confirmationToken);
  if (!confirmed.ok) throw new Error(confirmed.code);
  const issued = confirmed as { reservation: { id: number; reference: string }; checkInToken: string; cancellationToken: string };
  return { ...who, ...issued, reference: issued.reservation.reference };
};

/**
 * Moves every stamp of a performance's tickets back in time, as if they were issued and changed
 * that long ago, so a test can tell "changed after the cursor" from "issued before it" without
 * waiting out the cursor's one-minute overlap.
 */
const age = async (perf: PerformanceFixture, ms: number) => {
  const knex = app.strapi.db.connection;
  const back = (column: string) => knex.raw(`?? - (? * interval '1 millisecond')`, [column, ms]);
  const ids = knex('booking_reservations_performance_lnk').select('reservation_id').where('performance_id', perf.id);
  await knex('booking_reservations')
    .whereIn('id', ids)
    .update({ updated_at: back('updated_at') });
  const tokens = knex('booking_reservation_tokens_reservation_lnk').select('reservation_token_id').whereIn('reservation_id', ids);
  await knex('booking_reservation_tokens')
    .whereIn('id', tokens)
    .update({ updated_at: back('updated_at'), created_at: back('created_at') });
  const checkIns = knex('booking_check_ins_reservation_lnk').select('check_in_id').whereIn('reservation_id', ids);
  await knex('booking_check_ins')
    .whereIn('id', checkIns)
    .update({ created_at: back('created_at') });
};

beforeAll(async () => {
  smtp = await startSmtpSink();
  // No cache of what the door shows of a performance: one test moves a start under it.
  app = await startApp({
    env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), BOOKING_RATE_LIMIT_PER_MINUTE: '0', BOOKING_PUBLIC_CACHE_SECONDS: '0' },
  });
  anna = await createAdmin(app.strapi, { roleCode: 'booking-door-staff', firstname: 'Anna' });
  bruno = await createAdmin(app.strapi, { roleCode: 'booking-door-staff', firstname: 'Bruno' });
  editor = (await createAdmin(app.strapi, { roleCode: 'strapi-editor' })).token;
});
afterAll(async () => {
  await app?.stop();
  await smtp?.stop();
});

describe('the snapshot', () => {
  test('read as a thief would: nothing personal in clear; one raw token opens exactly its own record', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 40, startsInHours: 1 });
    const guests = [
      await book(perf.documentId, 3, { access_needs: ['wheelchair', 'hearing'] }),
      await book(perf.documentId, 1),
      await book(perf.documentId, 2),
    ];
    await settle();

    const res = await snapshot(perf.documentId);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const data = res.body.data as { performance: Record<string, string>; cursor: string; tickets: Entry[] };
    expect(data.performance).toEqual({
      documentId: perf.documentId,
      starts_at: perf.startsAt,
      show_title: perf.showTitle,
      venue_name: expect.any(String),
      check_in_opens_at: new Date(new Date(perf.startsAt).getTime() - 120 * 60_000).toISOString(),
      check_in_closes_at: new Date(new Date(perf.startsAt).getTime() + 240 * 60_000).toISOString(),
    });
    expect(typeof data.cursor).toBe('string');

    // The thief's view: the whole answer as text holds nothing of any visitor, in any case.
    const text = JSON.stringify(res.body).toLowerCase();
    for (const guest of guests) {
      for (const secret of [
        guest.name,
        ...guest.name.split(' '),
        guest.email,
        guest.phone,
        guest.notes,
        guest.reference,
        guest.checkInToken,
      ]) {
        expect(text).not.toContain(secret.toLowerCase());
      }
    }
    for (const word of ['wheelchair', 'hearing', 'access', 'holder', 'email', 'phone', 'notes', 'reference']) {
      expect(text).not.toContain(word);
    }
    // One entry per check-in token, keyed by its hash, with only the fields of the contract.
    expect(data.tickets).toHaveLength(3);
    for (const entry of data.tickets) {
      expect(Object.keys(entry).sort()).toEqual(['checked_in_at', 'id', 'party_size', 'sealed', 'status']);
      expect(entry.id).toMatch(/^[0-9a-f]{64}$/);
      expect(entry.status).toBe('confirmed');
      expect(entry.checked_in_at).toBeNull();
      expect(entry.sealed).toMatch(/^[A-Za-z0-9_-]+$/);
    }
    expect(data.tickets.map((entry) => entry.id).sort()).toEqual(guests.map((guest) => sha256(guest.checkInToken)).sort());

    // The holder of the first ticket: their record opens, and no other.
    const [first] = guests;
    const own = data.tickets.find((entry) => entry.id === sha256(first.checkInToken))!;
    expect(own.party_size).toBe(3);
    expect(await openAsBrowser(first.checkInToken, own.sealed!)).toEqual({
      reference: first.reference,
      holder: `Giulietta${counter - 2} C.`,
      access_needs: ['wheelchair', 'hearing'],
    });
    for (const other of data.tickets.filter((entry) => entry !== own)) {
      expect(await openAsBrowser(first.checkInToken, other.sealed!)).toBeNull();
    }
    // A made-up token opens nothing, its own record's bytes altered open nothing.
    expect(await openAsBrowser('A'.repeat(43), own.sealed!)).toBeNull();
    const tampered = Buffer.from(own.sealed!, 'base64url');
    tampered[20] ^= 1;
    expect(await openAsBrowser(first.checkInToken, tampered.toString('base64url'))).toBeNull();
  });

  test('since: only the tickets that changed after the cursor (checked in, cancelled, reduced, resent, new); an erased one loses its record', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 40, startsInHours: 1 });
    const [checkedIn, cancelled, reduced, resent, untouched, erased] = [
      await book(perf.documentId, 2),
      await book(perf.documentId, 2),
      await book(perf.documentId, 4),
      await book(perf.documentId, 1),
      await book(perf.documentId, 2),
      await book(perf.documentId, 2),
    ];
    await settle();
    await age(perf, 5 * 60_000);
    const full = await snapshot(perf.documentId);
    expect(full.body.data.tickets).toHaveLength(6);
    const cursor = full.body.data.cursor as string;
    // Nothing changed: an incremental read after the cursor is empty.
    expect((await snapshot(perf.documentId, cursor)).body.data.tickets).toEqual([]);

    expect((await upload({ token: checkedIn.checkInToken }, anna.token)).body.data.result).toBe('ok');
    await service(app.strapi, 'cancellations').cancelByStaff(cancelled.reservation.id);
    expect((await http().post('/api/booking/reservations/reduce').send({ token: reduced.cancellationToken, party_size: 3 })).status).toBe(
      200
    );
    const resend = await http().post('/api/booking/reservations/resend').send({ email: resent.email });
    expect(resend.status).toBe(202);
    const newcomer = await book(perf.documentId, 5);
    expect(
      (
        await http()
          .post('/booking/visitor-data/erase')
          .set('Authorization', `Bearer ${(await createAdmin(app.strapi)).token}`)
          .send({ email: erased.email })
      ).status
    ).toBe(200);
    await settle();

    const changes = await snapshot(perf.documentId, cursor);
    expect(changes.status).toBe(200);
    const entries = changes.body.data.tickets as Entry[];
    const byId = new Map(entries.map((entry) => [entry.id, entry]));
    // The mails that went with the reduction and the resend carry new QR codes: new entries, sealed.
    const qrOf = (email: string, count: number) => {
      const codes = qrCodesTo(email);
      expect(codes).toHaveLength(count);
      return codes[count - 1];
    };
    const reducedQr = qrOf(reduced.email, 2);
    const resentQr = qrOf(resent.email, 2);
    const newcomerQr = qrOf(newcomer.email, 1);
    expect(newcomerQr).toBe(newcomer.checkInToken);

    expect(byId.get(sha256(checkedIn.checkInToken))).toMatchObject({
      status: 'confirmed',
      checked_in_at: expect.any(String),
      party_size: 2,
    });
    expect(byId.get(sha256(cancelled.checkInToken))).toMatchObject({ status: 'revoked', checked_in_at: null });
    expect(byId.get(sha256(reduced.checkInToken))).toMatchObject({ status: 'confirmed', party_size: 3 });
    expect(byId.get(sha256(reducedQr))).toMatchObject({ status: 'confirmed', party_size: 3 });
    expect(byId.get(sha256(resentQr))).toMatchObject({ status: 'confirmed', party_size: 1 });
    expect(byId.get(sha256(newcomer.checkInToken))).toMatchObject({ status: 'confirmed', party_size: 5 });
    // The visitor who asked to be forgotten: cancelled, and their record is gone from the snapshot too.
    expect(byId.get(sha256(erased.checkInToken))).toMatchObject({ status: 'revoked', sealed: null });
    expect([...byId.keys()].sort()).toEqual(
      [
        checkedIn.checkInToken,
        cancelled.checkInToken,
        reduced.checkInToken,
        reducedQr,
        resentQr,
        newcomer.checkInToken,
        erased.checkInToken,
      ]
        .map(sha256)
        .sort()
    );
    // Not there: the untouched ticket, and the resent ticket's first token (still good, unchanged).
    expect(byId.has(sha256(untouched.checkInToken))).toBe(false);
    expect(byId.has(sha256(resent.checkInToken))).toBe(false);

    // Each new token opens its own record, the resent one with the same reference as before.
    expect(await openAsBrowser(resentQr, byId.get(sha256(resentQr))!.sealed!)).toMatchObject({ reference: resent.reference });
    expect(await openAsBrowser(reducedQr, byId.get(sha256(reducedQr))!.sealed!)).toMatchObject({ reference: reduced.reference });
    expect(await openAsBrowser(newcomer.checkInToken, byId.get(sha256(newcomer.checkInToken))!.sealed!)).toMatchObject({
      reference: newcomer.reference,
    });

    // The full snapshot agrees: every token, the resent ticket's two among them.
    const again = (await snapshot(perf.documentId)).body.data.tickets as Entry[];
    expect(again).toHaveLength(9);
    expect(again.find((entry) => entry.id === sha256(resent.checkInToken))).toMatchObject({ status: 'confirmed' });
  });

  test('a ticket issued before sealing existed has sealed: null and is still judged by its hash; its next mail brings a sealed token', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 10, startsInHours: 1 });
    const old = await book(perf.documentId, 2);
    await settle();
    // As a database from before this version holds it: no sealed record.
    await app.strapi.db
      .connection('booking_reservation_tokens')
      .where('token_hash', sha256(old.checkInToken))
      .update({ door_sealed: null });
    const before = (await snapshot(perf.documentId)).body.data.tickets as Entry[];
    expect(before).toEqual([{ id: sha256(old.checkInToken), party_size: 2, status: 'confirmed', checked_in_at: null, sealed: null }]);
    await http().post('/api/booking/reservations/resend').send({ email: old.email });
    await settle();
    const codes = qrCodesTo(old.email);
    expect(codes).toHaveLength(2);
    const fresh = codes[1];
    const after = (await snapshot(perf.documentId)).body.data.tickets as Entry[];
    expect(after).toHaveLength(2);
    expect(await openAsBrowser(fresh, after.find((entry) => entry.id === sha256(fresh))!.sealed!)).toMatchObject({
      reference: old.reference,
    });
  });

  test('who may read it, and bad input', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 10, startsInHours: 1 });
    expect((await http().get(`/booking/performances/${perf.documentId}/door-snapshot`)).status).toBe(401);
    expect((await snapshot(perf.documentId, undefined, editor)).status).toBe(403);
    const unknown = await snapshot('nosuchperformance000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.details.code).toBe('performance_not_found');
    for (const since of ['yesterday', '-1', '1.5', String(Date.now() + 3_600_000), '9'.repeat(20)]) {
      const res = await snapshot(perf.documentId, since);
      expect(res.status).toBe(400);
      expect(res.body.error.details.code).toBe('validation');
    }
    const extra = await http()
      .get(`/booking/performances/${perf.documentId}/door-snapshot?since=1&other=2`)
      .set('Authorization', `Bearer ${anna.token}`);
    expect(extra.status).toBe(400);
  });
});

describe('offline scans uploaded later', () => {
  const conflicts = async (documentId: string) =>
    http().get(`/booking/performances/${documentId}/offline-conflicts`).set('Authorization', `Bearer ${anna.token}`);
  const stats = async (documentId: string) =>
    (await http().get(`/booking/performances/${documentId}/stats`).set('Authorization', `Bearer ${anna.token}`)).body.data;

  test('two devices admit one ticket offline, each uploading its scan five times at once: one check-in, one conflict, named', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 10, startsInHours: 1 });
    const guest = await book(perf.documentId, 2);
    await settle();
    const annaAt = new Date(Date.now() - 4 * 60_000).toISOString();
    const brunoAt = new Date(Date.now() - 3 * 60_000).toISOString();
    const annaScan = {
      token: guest.checkInToken,
      performance: perf.documentId,
      offline: true,
      scanned_at: annaAt,
      idempotency_key: 'device-a-0001',
    };
    const brunoScan = {
      token: guest.checkInToken,
      performance: perf.documentId,
      offline: true,
      scanned_at: brunoAt,
      idempotency_key: 'device-b-0001',
    };
    const answers = await Promise.all([
      ...Array.from({ length: 5 }, () => upload(annaScan, anna.token)),
      ...Array.from({ length: 5 }, () => upload(brunoScan, bruno.token)),
    ]);
    for (const res of answers) expect(res.status).toBe(200);
    const annas = answers.slice(0, 5).map((res) => res.body.data);
    const brunos = answers.slice(5).map((res) => res.body.data);
    // Each device's retries got one answer; between the two devices exactly one `ok`.
    for (const group of [annas, brunos]) for (const answer of group) expect(answer).toEqual(group[0]);
    expect([annas[0].result, brunos[0].result].sort()).toEqual(['already_checked_in', 'ok']);
    const [winner, loser] =
      annas[0].result === 'ok'
        ? [
            { at: annaAt, by: 'Anna R.' },
            { at: brunoAt, by: 'Bruno R.' },
          ]
        : [
            { at: brunoAt, by: 'Bruno R.' },
            { at: annaAt, by: 'Anna R.' },
          ];
    // The check-in is dated when the device admitted the party, and the loser is told who and when.
    const ok = annas[0].result === 'ok' ? annas[0] : brunos[0];
    const refused = annas[0].result === 'ok' ? brunos[0] : annas[0];
    expect(ok).toMatchObject({ checked_in_at: winner.at, checked_in_by: winner.by });
    expect(refused).toMatchObject({ result: 'already_checked_in', checked_in_at: winner.at, checked_in_by: winner.by });

    expect(await app.strapi.db.query('plugin::booking.check-in').count({ where: { reservation: { id: guest.reservation.id } } })).toBe(1);
    expect(await app.strapi.db.query('plugin::booking.scan').count({ where: { reservation: { id: guest.reservation.id } } })).toBe(2);
    expect(await stats(perf.documentId)).toMatchObject({ checked_in_reservations: 1, checked_in_seats: 2, offline_conflicts: 1 });
    const listed = await conflicts(perf.documentId);
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([
      { reference: guest.reference, checked_in_at: winner.at, checked_in_by: winner.by, scanned_at: loser.at, scanned_by: loser.by },
    ]);
    // The snapshot shows the ticket checked in at the device's time.
    const entry = ((await snapshot(perf.documentId)).body.data.tickets as Entry[]).find((e) => e.id === sha256(guest.checkInToken));
    expect(entry?.checked_in_at).toBe(winner.at);

    // A retry later still answers the first time and adds nothing.
    expect((await upload(brunoScan, bruno.token)).body.data).toEqual(brunos[0]);
    expect((await upload(annaScan, anna.token)).body.data).toEqual(annas[0]);
    expect((await stats(perf.documentId)).offline_conflicts).toBe(1);
    expect((await conflicts(perf.documentId)).body.data).toHaveLength(1);
  });

  test('an online double scan is no offline conflict; an offline scan after an online check-in is one', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 10, startsInHours: 1 });
    const guest = await book(perf.documentId, 1);
    await settle();
    expect((await upload({ token: guest.checkInToken }, anna.token)).body.data.result).toBe('ok');
    expect((await upload({ token: guest.checkInToken }, bruno.token)).body.data.result).toBe('already_checked_in');
    expect((await stats(perf.documentId)).offline_conflicts).toBe(0);
    const at = new Date(Date.now() - 1000).toISOString();
    const late = await upload(
      { token: guest.checkInToken, offline: true, scanned_at: at, idempotency_key: 'device-b-late-1' },
      bruno.token
    );
    expect(late.body.data.result).toBe('already_checked_in');
    expect((await stats(perf.documentId)).offline_conflicts).toBe(1);
    expect((await conflicts(perf.documentId)).body.data).toEqual([
      { reference: guest.reference, checked_in_at: expect.any(String), checked_in_by: 'Anna R.', scanned_at: at, scanned_by: 'Bruno R.' },
    ]);
  });

  test('judged at the time the device scanned: admitted inside the window, uploaded after it closed, is ok', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 10, startsInHours: 1 });
    const ticket = await book(perf.documentId, 2);
    await settle();
    // The evening went on: it started 4 h 10 min ago, so its door closed 10 minutes ago (240 minutes after the start).
    await app.strapi.db
      .connection('booking_performances')
      .where('id', perf.id)
      .update({ starts_at: new Date(Date.now() - (4 * 60 + 10) * 60_000) });
    expect((await upload({ token: ticket.checkInToken }, anna.token)).body.data.result).toBe('too_late');
    const at = new Date(Date.now() - 15 * 60_000).toISOString();
    const res = await upload(
      { token: ticket.checkInToken, offline: true, scanned_at: at, idempotency_key: 'device-a-late-window' },
      anna.token
    );
    expect(res.body.data).toMatchObject({ result: 'ok', checked_in_at: at });
  });

  test('bad offline input is 400 validation and records nothing', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 10, startsInHours: 1 });
    const guest = await book(perf.documentId, 1);
    await settle();
    const now = Date.now();
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ offline: true, idempotency_key: 'device-x-00001' }, 'scanned_at'],
      [{ offline: true, scanned_at: new Date(now).toISOString() }, 'idempotency_key'],
      [{ offline: true, scanned_at: 'last night', idempotency_key: 'device-x-00002' }, 'scanned_at'],
      [{ offline: true, scanned_at: '2026-13-45T99:99:99Z', idempotency_key: 'device-x-00003' }, 'scanned_at'],
      [{ offline: true, scanned_at: '2026-12-06T20:00:00', idempotency_key: 'device-x-00004' }, 'scanned_at'],
      [{ offline: true, scanned_at: new Date(now + 3_600_000).toISOString(), idempotency_key: 'device-x-00005' }, 'scanned_at'],
      [{ offline: true, scanned_at: 12, idempotency_key: 'device-x-00006' }, 'scanned_at'],
      [{ offline: 'yes', scanned_at: new Date(now).toISOString(), idempotency_key: 'device-x-00008' }, 'offline'],
    ];
    for (const [body, field] of bad) {
      const res = await upload({ token: guest.checkInToken, ...body }, anna.token);
      expect(res.status).toBe(400);
      expect(res.body.error.details.code).toBe('validation');
      expect(res.body.error.details.errors.map((e: { path: string[] }) => e.path.join('.'))).toContain(field);
    }
    expect(await app.strapi.db.query('plugin::booking.scan').count({ where: { reservation: { id: guest.reservation.id } } })).toBe(0);
    expect(await app.strapi.db.query('plugin::booking.check-in').count({ where: { reservation: { id: guest.reservation.id } } })).toBe(0);
  });
});
