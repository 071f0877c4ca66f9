/**
 * Issue 15, the door and the box office over HTTP (API.md, "The door and the box office"): the
 * door list as JSON, CSV and XLSX (read back with csv-parse and exceljs and compared row by row),
 * formula-looking cells neutralised, the search, the box-office booking and its answers, the
 * check-in by reference, access needs at the scan, and who may do which.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { service, startApp, type TestApp } from './support/app';
import { createAdmin } from './support/admin';
import { createPerformance, type PerformanceFixture } from './support/factories';
import { decodeQrPng } from './support/qr';
import { startSmtpSink, type SmtpSink } from './support/smtp';

let app: TestApp;
let superAdmin: string;
let doorStaff: string;
let boxOffice: string;
let editor: string;
let smtp: SmtpSink;
const http = () => request(app.strapi.server.httpServer);

const book = (perf: string, body: Record<string, unknown>, token = boxOffice) =>
  http().post(`/booking/performances/${perf}/reservations`).set('Authorization', `Bearer ${token}`).send(body);
const doorList = (perf: string, query = '', token = doorStaff) =>
  http().get(`/booking/performances/${perf}/door-list${query}`).set('Authorization', `Bearer ${token}`);
const binary = (res: request.Response, callback: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
};

beforeAll(async () => {
  smtp = await startSmtpSink();
  app = await startApp({
    env: { BOOKING_RATE_LIMIT_PER_MINUTE: '0', BOOKING_SCHEDULED_JOBS: 'false', SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port) },
  });
  superAdmin = (await createAdmin(app.strapi)).token;
  doorStaff = (await createAdmin(app.strapi, { roleCode: 'booking-door-staff', firstname: 'Paolo' })).token;
  boxOffice = (await createAdmin(app.strapi, { roleCode: 'booking-box-office', firstname: 'Bruna' })).token;
  editor = (await createAdmin(app.strapi, { roleCode: 'strapi-editor' })).token;
});
afterAll(async () => {
  await app?.stop();
  await smtp?.stop();
});

describe('the door list', () => {
  let perf: PerformanceFixture;
  const references: Record<string, string> = {};

  beforeAll(async () => {
    perf = await createPerformance(app.strapi, { room_capacity: 40, startsInHours: 1 });
    const parties: Array<[string, number, string[]?]> = [
      ['zoe Bianchi', 2],
      ['Élodie Martin', 1, ['wheelchair', 'hearing']],
      ['=HYPERLINK("http://evil.test","x")', 1],
      ['+39 Tizio', 3],
      ['-Caio Sempronio', 1],
      ['anna Verdi', 4, ['sight']],
      ['Eleonora Duse', 2],
    ];
    for (const [name, party_size, access_needs] of parties) {
      const res = await book(perf.documentId, {
        name,
        email: 'private@example.test',
        phone: '+39 333 000',
        notes: 'segreto',
        party_size,
        ...(access_needs ? { access_needs } : {}),
      });
      expect(res.status).toBe(201);
      references[name] = res.body.data.reference;
    }
    // A pending public reservation is not on the list.
    await app.strapi.plugin('booking').service('reservations').createReservation({
      performance: perf.documentId,
      name: 'Pendente Rossi',
      email: 'pending@example.test',
      party_size: 1,
    });
    // One party is in already, by reference (as the list's one tap does it).
    const tap = await http()
      .post('/booking/check-ins')
      .set('Authorization', `Bearer ${doorStaff}`)
      .send({ reference: references['anna Verdi'], performance: perf.documentId });
    expect(tap.body.data).toMatchObject({ result: 'ok', checked_in_by: 'Paolo R.' });
  });

  test('JSON: the confirmed parties sorted by name as a person sorts them, no e-mail, phone or notes', async () => {
    const res = await doorList(perf.documentId);
    expect(res.status).toBe(200);
    expect(res.body.data.map((row: { name: string }) => row.name)).toEqual([
      // Punctuation first, in the collation's order; then letters, case and accents aside.
      '-Caio Sempronio',
      '+39 Tizio',
      '=HYPERLINK("http://evil.test","x")',
      'anna Verdi',
      'Eleonora Duse',
      'Élodie Martin',
      'zoe Bianchi',
    ]);
    const anna = res.body.data.find((row: { name: string }) => row.name === 'anna Verdi');
    expect(Object.keys(anna).sort()).toEqual(['access_needs', 'checked_in_at', 'checked_in_by', 'name', 'party_size', 'reference']);
    expect(anna).toMatchObject({ party_size: 4, checked_in_by: 'Paolo R.', access_needs: ['sight'], reference: references['anna Verdi'] });
    expect(res.body.data.find((row: { name: string }) => row.name === 'Élodie Martin').access_needs).toEqual(['wheelchair', 'hearing']);
    expect(JSON.stringify(res.body)).not.toMatch(/private@|333 000|segreto|Pendente/);
  });

  test('?q= keeps names or references that hold it, case and accents aside; under 3 characters is 400 validation', async () => {
    const res = await doorList(perf.documentId, '?q=ELOD');
    expect(res.body.data.map((row: { name: string }) => row.name)).toEqual(['Élodie Martin']);
    const byReference = await doorList(perf.documentId, `?q=${references['zoe Bianchi'].toLowerCase()}`);
    expect(byReference.body.data.map((row: { name: string }) => row.name)).toEqual(['zoe Bianchi']);
    for (const q of ['el', '  a ', '']) {
      const short = await doorList(perf.documentId, `?q=${encodeURIComponent(q)}`);
      expect([q, short.status, short.body.error?.details?.code]).toEqual([q, 400, 'validation']);
    }
    const format = await doorList(perf.documentId, '?format=pdf');
    expect([format.status, format.body.error.details.code]).toEqual([400, 'validation']);
    const unknown = await doorList('nosuchperformance');
    expect([unknown.status, unknown.body.error.details.code]).toEqual([404, 'performance_not_found']);
  });

  test('CSV holds the JSON row by row, formula-looking cells neutralised, in a file named after the show and its start', async () => {
    const json = (await doorList(perf.documentId)).body.data as Array<Record<string, unknown>>;
    const expected = json.map((row) => [
      /^[=+\-@\t\r]/.test(String(row.name)) ? `'${row.name}` : row.name,
      row.reference,
      String(row.party_size),
      row.checked_in_at ?? '',
      row.checked_in_by ?? '',
      (row.access_needs as string[]).join('; '),
    ]);

    const csv = await doorList(perf.documentId, '?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const records = parse(csv.text, { bom: true }) as string[][];
    expect(records[0]).toEqual(['reference', 'name', 'party_size', 'checked_in_at', 'checked_in_by', 'access_needs']);
    expect(records.slice(1).map(([reference, name, ...rest]) => [name, reference, ...rest])).toEqual(expected);
    expect(
      records
        .slice(1)
        .map((row) => row[1])
        .filter((name) => /^[=+\-@]/.test(name))
    ).toEqual([]);
    expect(csv.text).not.toMatch(/private@|333 000|segreto/);

    expect(csv.headers['content-disposition']).toBe(`attachment; filename="${fileName('csv')}"`);
  });

  /** `{show-slug}-{yyyy-mm-dd}-{hhmm}-door-list.{format}`, the start in Europe/Rome (BOOKING_TIMEZONE's default). */
  const fileName = (format: string) => {
    const local = new Date(perf.startsAt).toLocaleString('sv-SE', { timeZone: 'Europe/Rome' }); // "2026-12-06 21:00:00"
    return `${perf.showSlug}-${local.slice(0, 10)}-${local.slice(11, 13)}${local.slice(14, 16)}-door-list.${format}`;
  };

  const workbookOf = async (res: request.Response) => {
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.body as Parameters<typeof workbook.xlsx.load>[0]);
    expect(workbook.worksheets).toHaveLength(1);
    return workbook.worksheets[0];
  };

  test("XLSX for people: headers and needs in the staff member's language, check-in times as date cells in BOOKING_TIMEZONE, the sheet named after the show and date", async () => {
    const json = (await doorList(perf.documentId)).body.data as Array<{
      reference: string;
      name: string;
      party_size: number;
      checked_in_at: string | null;
      checked_in_by: string | null;
      access_needs: string[];
    }>;
    const res = await doorList(perf.documentId, '?format=xlsx').buffer(true).parse(binary);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${fileName('xlsx')}"`);
    const sheet = await workbookOf(res);
    const local = new Date(perf.startsAt).toLocaleString('sv-SE', { timeZone: 'Europe/Rome' });
    // A sheet's name holds 31 characters at most: the title gives way, the date stays whole.
    expect(sheet.name).toBe(`${perf.showTitle.slice(0, 20)} ${local.slice(0, 10)}`);
    // A staff member with no language of their own, no Accept-Language: Italian, the panel's default.
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([
      'Riferimento',
      'Nome',
      'Posti',
      'Entrato alle',
      'Fatto entrare da',
      'Accessibilità',
    ]);
    expect(sheet.rowCount).toBe(json.length + 1);
    const needsIt: Record<string, string> = { wheelchair: 'Sedia a rotelle', hearing: 'Udito', sight: 'Vista', other: 'Altre esigenze' };
    json.forEach((entry, i) => {
      const row = sheet.getRow(i + 2);
      expect(row.getCell(1).value).toBe(entry.reference);
      expect(row.getCell(2).value).toBe(/^[=+\-@]/.test(entry.name) ? `'${entry.name}` : entry.name);
      expect(row.getCell(3).value).toBe(entry.party_size);
      expect(row.getCell(6).text).toBe(entry.access_needs.map((need) => needsIt[need]).join('; '));
      const checkedIn = row.getCell(4);
      if (entry.checked_in_at === null) {
        expect([entry.name, checkedIn.value]).toEqual([entry.name, null]);
        return;
      }
      // A real date cell, showing the wall-clock time in Rome (a cell has no time zone).
      expect(checkedIn.type).toBe(ExcelJS.ValueType.Date);
      expect(checkedIn.numFmt).toBe('dd/mm/yyyy hh:mm');
      const rome = new Date(entry.checked_in_at).toLocaleString('sv-SE', { timeZone: 'Europe/Rome' });
      expect((checkedIn.value as Date).toISOString().slice(0, 19).replace('T', ' ')).toBe(rome);
      expect(row.getCell(5).value).toBe(entry.checked_in_by);
    });
    expect(json.filter((entry) => entry.checked_in_at !== null)).toHaveLength(1);
    // No cell is a formula: every value is plain.
    sheet.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));

    // In English for a staff member whose profile says English, and for a browser that asks for it.
    const english = (await createAdmin(app.strapi, { roleCode: 'booking-door-staff', preferedLanguage: 'en' })).token;
    for (const asked of [
      doorList(perf.documentId, '?format=xlsx', english),
      doorList(perf.documentId, '?format=xlsx').set('Accept-Language', 'en-GB,en;q=0.9'),
    ]) {
      const en = await workbookOf(await asked.buffer(true).parse(binary));
      expect((en.getRow(1).values as unknown[]).slice(1)).toEqual([
        'Reference',
        'Name',
        'Seats',
        'Checked in at',
        'Checked in by',
        'Access needs',
      ]);
      const elodie = json.findIndex((entry) => entry.name === 'Élodie Martin');
      expect(en.getRow(elodie + 2).getCell(6).text).toBe('Wheelchair; Hearing');
    }
  });
});

describe('the box office', () => {
  test('201 confirmed at once with source box_office; stored with its access needs; seats taken', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 10, is_booking_enabled: false });
    const res = await book(perf.documentId, { name: 'Mario Neri', party_size: 4, access_needs: ['wheelchair'] });
    expect(res.status).toBe(201);
    expect(res.body.data).toEqual({
      reference: expect.stringMatching(/^[A-Z2-9]{8}$/),
      status: 'confirmed',
      party_size: 4,
      source: 'box_office',
    });
    const row = await app.strapi.db.query('plugin::booking.reservation').findOne({ where: { reference: res.body.data.reference } });
    expect(row).toMatchObject({ reservation_status: 'confirmed', source: 'box_office', email: null, access_needs: ['wheelchair'] });
    const stats = await http().get(`/booking/performances/${perf.documentId}/stats`).set('Authorization', `Bearer ${boxOffice}`);
    expect(stats.body.data).toMatchObject({ confirmed_seats: 4, available_seats: 6 });
    // No address: no ticket owed.
    expect(await app.strapi.db.query('plugin::booking.outbox-message').count({ where: { reservation: { id: row.id } } })).toBe(0);
  });

  test('the ticket mail is owed when an address is given, not when send_ticket is false', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 10 });
    const sent = await book(perf.documentId, { name: 'Lia Blu', email: 'lia@example.test', party_size: 1 });
    const quiet = await book(perf.documentId, { name: 'Teo Blu', email: 'teo@example.test', party_size: 1, send_ticket: false });
    const owed = async (reference: string) =>
      (
        await app.strapi.db.query('plugin::booking.outbox-message').findMany({ where: { reservation: { reference } }, select: ['kind'] })
      ).map((m: { kind: string }) => m.kind);
    expect(await owed(sent.body.data.reference)).toEqual(['ticket']);
    expect(await owed(quiet.body.data.reference)).toEqual([]);
    // The ticket itself reaches the visitor: its QR code is a working check-in token.
    const ticket = await smtp.waitFor((m) => smtp.to('lia@example.test').includes(m));
    const png = ticket.attachments.find((a) => a.contentType === 'image/png');
    if (!png) throw new Error('the ticket mail has no QR code');
    const scan = await http()
      .post('/booking/check-ins')
      .set('Authorization', `Bearer ${doorStaff}`)
      .send({ token: decodeQrPng(png.content) });
    expect(scan.body.data).toMatchObject({ result: 'too_early', ticket: { reference: sent.body.data.reference, party_size: 1 } });
    await service(app.strapi, 'events').settle();
    await service(app.strapi, 'mailer').settle();
    expect(smtp.to('teo@example.test')).toEqual([]);
  });

  test("'Resend ticket' from the Content Manager: a fresh ticket mail to the visitor; 409 without an address or a confirmation; 404 unknown", async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 10 });
    const booked = await book(perf.documentId, { name: 'Rita Verde', email: 'rita@example.test', party_size: 2, send_ticket: false });
    const walkIn = await book(perf.documentId, { name: 'Ugo Verde', party_size: 1 });
    const documentIdOf = async (reference: string) =>
      ((await app.strapi.db.query('plugin::booking.reservation').findOne({ where: { reference } })) as { documentId: string }).documentId;
    const resend = (documentId: string, token = boxOffice) =>
      http().post(`/booking/reservations/${documentId}/resend-ticket`).set('Authorization', `Bearer ${token}`);

    const res = await resend(await documentIdOf(booked.body.data.reference));
    expect([res.status, res.body.data]).toEqual([202, { reference: booked.body.data.reference, ticket_queued: true }]);
    const mail = await smtp.waitFor((m) => smtp.to('rita@example.test').includes(m));
    const png = mail.attachments.find((a) => a.contentType === 'image/png');
    if (!png) throw new Error('the resent ticket has no QR code');
    const scan = await http()
      .post('/booking/check-ins')
      .set('Authorization', `Bearer ${doorStaff}`)
      .send({ token: decodeQrPng(png.content) });
    expect(scan.body.data).toMatchObject({ ticket: { reference: booked.body.data.reference, party_size: 2 } });

    const noAddress = await resend(await documentIdOf(walkIn.body.data.reference));
    expect([noAddress.status, noAddress.body.error.details.code]).toEqual([409, 'no_email']);
    const pending = await service(app.strapi, 'reservations').createReservation({
      performance: perf.documentId,
      name: 'Pia Verde',
      email: 'pia@example.test',
      party_size: 1,
    });
    if (!pending.ok) throw new Error(pending.code);
    const notConfirmed = await resend(await documentIdOf(pending.reservation.reference));
    expect([notConfirmed.status, notConfirmed.body.error.details.code]).toEqual([409, 'not_confirmed']);
    const unknown = await resend('nosuchreservation');
    expect([unknown.status, unknown.body.error.details.code]).toEqual([404, 'reservation_not_found']);
    // Door staff cannot: it is the box office's (plugin::booking.box-office.create).
    expect((await resend(await documentIdOf(booked.body.data.reference), doorStaff)).status).toBe(403);
    await service(app.strapi, 'events').settle();
    await service(app.strapi, 'mailer').settle();
    expect(smtp.to('rita@example.test')).toHaveLength(1);
  });

  test('409 sold_out with available_seats, changing nothing; 409 booking_closed once started; 404; 400 with named fields', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 5, manually_occupied_seats: 1 });
    expect((await book(perf.documentId, { name: 'Uno Due', party_size: 3 })).status).toBe(201);
    const full = await book(perf.documentId, { name: 'Tre Quattro', party_size: 2 });
    expect([full.status, full.body.error.details]).toEqual([409, { code: 'sold_out', available_seats: 1 }]);
    expect(await app.strapi.db.query('plugin::booking.reservation').count({ where: { performance: { id: perf.id } } })).toBe(1);

    const started = await createPerformance(app.strapi, { startsInHours: -0.5 });
    const closed = await book(started.documentId, { name: 'Tardi Rossi', party_size: 1 });
    expect([closed.status, closed.body.error.details.code]).toEqual([409, 'booking_closed']);

    const unknown = await book('nosuchperformance', { name: 'Nessuno Rossi', party_size: 1 });
    expect([unknown.status, unknown.body.error.details.code]).toEqual([404, 'performance_not_found']);

    const big = await createPerformance(app.strapi, { room_capacity: 600 });
    expect((await book(big.documentId, { name: 'Scuola Media', party_size: 500 })).status).toBe(201);
    const bad = await book(big.documentId, { name: 'x@y', party_size: 501, email: 'no', access_needs: ['wheelchair', 'flying'], extra: 1 });
    expect([bad.status, bad.body.error.details.code]).toEqual([400, 'validation']);
    const fields = bad.body.error.details.errors.map((e: { path: string[] }) => e.path.join('.')).sort();
    expect(fields).toEqual(['access_needs[1]', 'email', 'extra', 'name', 'party_size']);
  });

  test('confirmations per day for the overview chart: reservations and seats by day of confirmation', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 20 });
    const service = app.strapi.plugin('booking').service('box-office');
    await service.book(perf.documentId, { name: 'Uno Rossi', party_size: 2 }, new Date('2026-11-20T10:00:00Z'));
    await service.book(perf.documentId, { name: 'Due Rossi', party_size: 3 }, new Date('2026-11-20T22:30:00Z')); // 23:30 in Rome
    await service.book(perf.documentId, { name: 'Tre Rossi', party_size: 1 }, new Date('2026-11-21T23:30:00Z')); // 00:30 on the 22nd
    const res = await http()
      .get(`/booking/performances/${perf.documentId}/confirmations-per-day`)
      .set('Authorization', `Bearer ${doorStaff}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      { day: '2026-11-20', reservations: 2, seats: 5 },
      { day: '2026-11-22', reservations: 1, seats: 1 },
    ]);
    const editorAnswer = await http()
      .get(`/booking/performances/${perf.documentId}/confirmations-per-day`)
      .set('Authorization', `Bearer ${editor}`);
    expect(editorAnswer.status).toBe(403);
  });

  test('roles: Door staff reads the list and cannot book; Box office books and reads; Editor neither; anonymous 401', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 10 });
    expect((await doorList(perf.documentId, '', doorStaff)).status).toBe(200);
    expect((await book(perf.documentId, { name: 'Door Staff', party_size: 1 }, doorStaff)).status).toBe(403);
    expect((await book(perf.documentId, { name: 'Box Office', party_size: 1 }, boxOffice)).status).toBe(201);
    expect((await doorList(perf.documentId, '', boxOffice)).status).toBe(200);
    expect((await book(perf.documentId, { name: 'Editor Rossi', party_size: 1 }, editor)).status).toBe(403);
    expect((await doorList(perf.documentId, '', editor)).status).toBe(403);
    expect((await http().get(`/booking/performances/${perf.documentId}/door-list`)).status).toBe(401);
    expect((await book(perf.documentId, { name: 'Super Admin', party_size: 1 }, superAdmin)).status).toBe(201);
  });
});

describe('access needs from the public booking', () => {
  test('stored on the reservation with source public; an unknown or repeated need is 400 validation', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 10 });
    const body = (access_needs: unknown) => ({
      data: { performance: perf.documentId, name: 'Sara Blu', email: `sara${Math.random()}@example.test`, party_size: 2, access_needs },
    });
    const ok = await http()
      .post('/api/booking/reservations')
      .send(body(['hearing', 'sight']));
    expect(ok.status).toBe(201);
    const row = await app.strapi.db.query('plugin::booking.reservation').findOne({ where: { reference: ok.body.data.reference } });
    expect(row).toMatchObject({ source: 'public', access_needs: ['hearing', 'sight'] });
    for (const needs of [['flying'], ['hearing', 'hearing'], 'wheelchair']) {
      const bad = await http().post('/api/booking/reservations').send(body(needs));
      expect([JSON.stringify(needs), bad.status, bad.body.error.details.code]).toEqual([JSON.stringify(needs), 400, 'validation']);
    }
  });
});

describe('check-in by reference', () => {
  test('any case, with spaces: ok, source manual; again already_checked_in; another performance wrong_performance with its dates', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 10, startsInHours: 1 });
    const other = await createPerformance(app.strapi, { room_capacity: 10, startsInHours: 30 });
    const booked = await book(perf.documentId, { name: 'Gino Rossi', party_size: 2, access_needs: ['hearing'] });
    const reference: string = booked.body.data.reference;
    const typed = `${reference.slice(0, 4).toLowerCase()} ${reference.slice(4)}`;
    const checkIn = (body: Record<string, unknown>) =>
      http().post('/booking/check-ins').set('Authorization', `Bearer ${doorStaff}`).send(body);

    const wrong = await checkIn({ reference: typed, performance: other.documentId });
    expect(wrong.body.data).toMatchObject({ result: 'wrong_performance', ticket: { reference } });
    const starts = new Date(wrong.body.data.ticket.starts_at).getTime();
    expect(new Date(wrong.body.data.check_in_opens_at).getTime()).toBe(starts - 120 * 60_000);

    const ok = await checkIn({ reference: typed, performance: perf.documentId, source: 'qr_scan' });
    expect(ok.body.data).toMatchObject({ result: 'ok', ticket: { reference, holder: 'Gino R.', access_needs: ['hearing'] } });
    const row = await app.strapi.db.query('plugin::booking.check-in').findOne({ where: { reservation: { reference } } });
    expect(row.source).toBe('manual');
    const again = await checkIn({ reference, performance: perf.documentId });
    expect(again.body.data.result).toBe('already_checked_in');
    expect((await checkIn({ reference: 'ZZZZZZZZ', performance: perf.documentId })).body.data.result).toBe('invalid');

    const early = await createPerformance(app.strapi, { room_capacity: 10, startsInHours: 5 });
    const later = await book(early.documentId, { name: 'Presto Rossi', party_size: 1 });
    const tooEarly = await checkIn({ reference: later.body.data.reference, performance: early.documentId });
    expect(tooEarly.body.data.result).toBe('too_early');
    expect(new Date(tooEarly.body.data.check_in_opens_at).getTime()).toBe(
      new Date(tooEarly.body.data.ticket.starts_at).getTime() - 120 * 60_000
    );

    for (const body of [
      { reference },
      { reference, token: 'abc', performance: perf.documentId },
      {},
      { reference: '!!', performance: perf.documentId },
    ]) {
      const bad = await checkIn(body);
      expect([JSON.stringify(body), bad.status, bad.body.error?.details?.code]).toEqual([JSON.stringify(body), 400, 'validation']);
    }
  });
});
