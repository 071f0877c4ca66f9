/**
 * Writing to a performance's audience (issue 22 item 3), against the real app on PostgreSQL and a
 * real SMTP server: a performance with 40 confirmed reservations and 10 waiting entries gets
 * exactly 40 or 50 plain-text mails by `to`, each with the visitor's own link at the foot; the
 * sixth message in a day is 429 (also when eight are sent at once: exactly five go); an Editor
 * without the permission gets 403; every message is kept and listed; no webhook carries its text.
 */
import request from 'supertest';
import type { ParsedMail } from 'mailparser';
import { startApp, service, type TestApp } from './support/app';
import { createAdmin } from './support/admin';
import { createPerformance } from './support/factories';
import { linkIn, startSmtpSink, tokenOf, type SmtpSink } from './support/smtp';

const PUBLIC_URL = 'https://teatro.example.test/prenota';
let app: TestApp;
let smtp: SmtpSink;
let boxOffice: { token: string };
let editor: { token: string };
let doorStaff: { token: string };
let counter = 0;

const http = () => request(app.strapi.server.httpServer);
const settle = async () => {
  await service(app.strapi, 'events').settle();
  await service(app.strapi, 'mailer').settle();
  await service(app.strapi, 'webhooks').settle();
};
const post = (documentId: string, body: unknown, token = boxOffice.token) =>
  http()
    .post(`/booking/performances/${documentId}/messages`)
    .set('Authorization', `Bearer ${token}`)
    .send(body as object);
const list = (documentId: string, token = boxOffice.token) =>
  http().get(`/booking/performances/${documentId}/messages`).set('Authorization', `Bearer ${token}`);
const withSubject = (subject: string) => smtp.messages.filter((m) => m.subject === subject);
const addressOf = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address ?? '';

/** A performance with `confirmed` single-seat reservations filling it and `waiting` confirmed waiting entries. */
const audience = async (confirmed: number, waiting: number) => {
  const perf = await createPerformance(app.strapi, { room_capacity: confirmed, startsInHours: 72 });
  const holders: string[] = [];
  const waiters: string[] = [];
  for (let i = 0; i < confirmed; i += 1) {
    const email = `holder${(counter += 1)}@example.test`;
    const created = await service(app.strapi, 'reservations').createReservation({
      performance: perf.documentId,
      name: 'Luca Neri',
      email,
      party_size: 1,
    });
    if (!created.ok) throw new Error(created.code);
    const done = await service(app.strapi, 'reservations').confirmReservation(created.confirmationToken);
    if (!done.ok) throw new Error(done.code);
    holders.push(email);
  }
  for (let i = 0; i < waiting; i += 1) {
    const email = `waiter${(counter += 1)}@example.test`;
    const joined = await service(app.strapi, 'waitlist').join({ performance: perf.documentId, name: 'Sara Bianchi', email, party_size: 1 });
    if (!joined.ok) throw new Error(joined.code);
    const confirmedJoin = await service(app.strapi, 'waitlist').confirm(joined.confirmationToken);
    if (!confirmedJoin.ok) throw new Error(confirmedJoin.code);
    waiters.push(email);
  }
  await settle();
  return { perf, holders, waiters };
};

beforeAll(async () => {
  smtp = await startSmtpSink();
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
  boxOffice = await createAdmin(app.strapi, { roleCode: 'booking-box-office', firstname: 'Bruno' });
  editor = await createAdmin(app.strapi, { roleCode: 'strapi-editor' });
  doorStaff = await createAdmin(app.strapi, { roleCode: 'booking-door-staff' });
});
afterAll(async () => {
  if (app) await settle();
  await app?.stop();
  await smtp?.stop();
});

describe('a message to the audience', () => {
  test('40 confirmed and 10 waiting: exactly 40 or 50 mails by `to`, plain text, each with its own link; the sixth in a day is 429', async () => {
    const { perf, holders, waiters } = await audience(40, 10);
    // A webhook hearing every event: a message sends it nothing.
    const hook = (await app.strapi.db.query('plugin::booking.webhook').create({ data: { url: 'http://127.0.0.1:9/hook' } })) as {
      id: number;
    };

    const first = await post(perf.documentId, {
      subject: 'Inizio posticipato di 30 minuti',
      body: 'Cari spettatori,\nlo spettacolo inizia alle 21:30.\nEntrate dalla porta laterale. <b>Grazie</b>',
      to: 'confirmed',
    });
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ data: { recipients: 40 } });
    await settle();
    const toConfirmed = withSubject('Inizio posticipato di 30 minuti');
    expect(toConfirmed).toHaveLength(40);
    expect(new Set(toConfirmed.map(addressOf))).toEqual(new Set(holders));
    for (const mail of toConfirmed) {
      // Plain text as typed; its HTML part the same text escaped: nothing typed becomes markup.
      expect(mail.text).toContain('<b>Grazie</b>');
      expect(mail.html).toContain('lo spettacolo inizia alle 21:30.\nEntrate dalla porta laterale. &lt;b&gt;Grazie&lt;/b&gt;');
      expect(mail.html).not.toContain('<b>');
      expect(mail.text).toContain('lo spettacolo inizia alle 21:30.\nEntrate dalla porta laterale.');
      expect(mail.text).toContain(`${PUBLIC_URL}/cancel?token=`);
    }
    // The foot's link is the visitor's own: it opens their booking.
    const cancel = linkIn(toConfirmed[0].text ?? '', `${PUBLIC_URL}/cancel`);
    const preview = await http()
      .post('/api/booking/reservations/preview')
      .send({ token: tokenOf(cancel) });
    expect(preview.status).toBe(200);
    expect(preview.body.data.status).toBe('confirmed');

    const second = await post(perf.documentId, { subject: 'Porta laterale', body: 'Entrate da via Verdi.', to: 'confirmed_and_waiting' });
    expect(second.status).toBe(202);
    expect(second.body.data.recipients).toBe(50);
    await settle();
    const toAll = withSubject('Porta laterale');
    expect(toAll).toHaveLength(50);
    expect(new Set(toAll.map(addressOf))).toEqual(new Set([...holders, ...waiters]));
    const toWaiter = toAll.find((m) => addressOf(m) === waiters[0])!;
    const leave = linkIn(toWaiter.text ?? '', `${PUBLIC_URL}/waitlist/leave`);
    expect(
      (
        await http()
          .post('/api/booking/waitlist/leave')
          .send({ token: tokenOf(leave) })
      ).status
    ).toBe(200);

    for (const n of [3, 4, 5]) {
      expect((await post(perf.documentId, { subject: `Avviso ${n}`, body: 'Testo', to: 'confirmed' })).status).toBe(202);
    }
    const sixth = await post(perf.documentId, { subject: 'Avviso 6', body: 'Testo', to: 'confirmed' });
    expect(sixth.status).toBe(429);
    expect(sixth.body.error.details.code).toBe('rate_limited');
    await settle();
    expect(withSubject('Avviso 6')).toHaveLength(0);

    // Kept and listed, newest first: who, when, the text, how many.
    const listed = await list(perf.documentId);
    expect(listed.status).toBe(200);
    expect(listed.body.data.messages).toHaveLength(5);
    expect(listed.body.data.messages[4]).toMatchObject({
      subject: 'Inizio posticipato di 30 minuti',
      to: 'confirmed',
      recipients: 40,
      sent_by: 'Bruno Rossi',
    });
    expect(listed.body.data.messages[3]).toMatchObject({ subject: 'Porta laterale', recipients: 50 });
    // One waiting party left: the audiences as the form counts them now.
    expect(listed.body.data.audience).toEqual({ confirmed: 40, confirmed_and_waiting: 49 });

    // No webhook delivery: a message is no event for other systems, and its text goes nowhere but the mails.
    expect(await app.strapi.db.query('plugin::booking.webhook-delivery').count({ where: { webhook_entry: hook.id } })).toBe(0);
    await app.strapi.db.query('plugin::booking.webhook').delete({ where: { id: hook.id } });
  });

  test('eight at once: exactly five go, three are 429', async () => {
    const { perf, holders } = await audience(1, 0);
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => post(perf.documentId, { subject: `Insieme ${i}`, body: 'Testo', to: 'confirmed' }))
    );
    expect(answers.filter((a) => a.status === 202)).toHaveLength(5);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(3);
    await settle();
    expect(smtp.to(holders[0]).filter((m) => (m.subject ?? '').startsWith('Insieme'))).toHaveLength(5);
  });

  test('an Editor and door staff get 403 (writing and listing); bad input is 400 and sends nothing', async () => {
    const { perf, holders } = await audience(1, 0);
    const message = { subject: 'Prova', body: 'Testo', to: 'confirmed' };
    expect((await post(perf.documentId, message, editor.token)).status).toBe(403);
    expect((await post(perf.documentId, message, doorStaff.token)).status).toBe(403);
    expect((await list(perf.documentId, editor.token)).status).toBe(403);
    expect((await list(perf.documentId, doorStaff.token)).status).toBe(403);
    expect((await http().post(`/booking/performances/${perf.documentId}/messages`).send(message)).status).toBe(401);

    for (const bad of [
      { ...message, subject: 'x'.repeat(151) },
      { ...message, body: 'x'.repeat(5001) },
      { ...message, subject: '   ' },
      { ...message, subject: 'Riga\r\nBcc: altri@example.test' },
      { ...message, to: 'everyone' },
      { subject: 'Prova', body: 'Testo' },
      { ...message, html: '<b>no</b>' },
    ]) {
      const res = await post(perf.documentId, bad);
      expect([JSON.stringify(bad).slice(0, 40), res.status, res.body.error?.details?.code]).toEqual([
        JSON.stringify(bad).slice(0, 40),
        400,
        'validation',
      ]);
    }
    expect((await post('nonesuch0000000000000000', message)).status).toBe(404);
    // The longest allowed passes.
    expect((await post(perf.documentId, { subject: 's'.repeat(150), body: 'b'.repeat(5000), to: 'confirmed' })).status).toBe(202);
    await settle();
    expect(smtp.to(holders[0]).filter((m) => m.subject === 's'.repeat(150))).toHaveLength(1);
    expect((await list(perf.documentId)).body.data.messages).toHaveLength(1);
  });
});
