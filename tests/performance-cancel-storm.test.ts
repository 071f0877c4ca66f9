/**
 * Issue 22, the proof: two app processes on one PostgreSQL, a real SMTP server. A performance
 * with 60 confirmed parties, 5 pending, 3 offers and 4 waiting parties is cancelled while
 * visitors confirm, accept offers, join and book on both instances. Afterwards every reservation
 * is cancelled and every entry ended, the seat counter and `recount()` agree, each person owed a
 * cancellation mail got exactly one (read off the SMTP server, after both instances' outbox jobs
 * ran again), nobody else got one, no confirmation succeeded after the cancel committed, and a
 * second cancel is `409 already_cancelled`.
 */
import request from 'supertest';
import { startApp, type TestApp } from './support/app';
import { createAdmin } from './support/admin';
import { createPerformance } from './support/factories';
import { listen, startAppProcess, type AppProcess } from './support/processes';
import { linkIn, startSmtpSink, tokenOf, type SmtpSink } from './support/smtp';

const PUBLIC_URL = 'https://teatro.example.test/prenota';
let app: TestApp;
let smtp: SmtpSink;
let second: AppProcess;
let servers: string[];
const service = (name: string) => app.strapi.plugin('booking').service(name);

const env = () => ({
  SMTP_HOST: '127.0.0.1',
  SMTP_PORT: String(smtp.port),
  BOOKING_PUBLIC_URL: PUBLIC_URL,
  BOOKING_RATE_LIMIT_PER_MINUTE: '0',
  BOOKING_PENDING_PER_EMAIL: '0',
  BOOKING_SCHEDULED_JOBS: 'false',
});

const cancelMails = (address: string) => smtp.to(address).filter((m) => (m.subject ?? '').startsWith('Replica annullata'));

const reservationsOf = async (performanceId: number) =>
  (await app.strapi.db.query('plugin::booking.reservation').findMany({
    where: { performance: { id: performanceId } },
    select: ['id', 'email', 'reservation_status'],
  })) as Array<{ id: number; email: string; reservation_status: string }>;

const entriesOf = async (performanceId: number) =>
  (await app.strapi.db.query('plugin::booking.waitlist-entry').findMany({
    where: { performance: { id: performanceId } },
    select: ['email', 'waitlist_status'],
  })) as Array<{ email: string; waitlist_status: string }>;

beforeAll(async () => {
  smtp = await startSmtpSink();
  app = await startApp({ env: env() });
  // The second instance runs its scheduled jobs (the outbox's retries among them) all along.
  second = await startAppProcess(app.database, { ...env(), BOOKING_SCHEDULED_JOBS: 'true' });
  servers = [await listen(app.strapi.server.httpServer), second.url];
});
afterAll(async () => {
  await second?.stop();
  await app?.stop();
  await smtp?.stop();
});

test('cancelled while visitors confirm, accept offers, join and book on two instances: everyone ended, told once, seats agree', async () => {
  const reservations = service('reservations');
  const waitlist = service('waitlist');
  const perf = await createPerformance(app.strapi, { room_capacity: 63 });
  const address = (tag: string, i: number) => `${tag}${i}@example.test`;

  // 5 pending parties of 1, made while seats were free.
  const pendingTokens: string[] = [];
  for (let i = 0; i < 5; i += 1) {
    const created = await reservations.createReservation({
      performance: perf.documentId,
      name: 'Pen Ding',
      email: address('pending', i),
      party_size: 1,
    });
    if (!created.ok) throw new Error(created.code);
    pendingTokens.push(created.confirmationToken);
  }
  // 60 holders and 3 who will give their seats back: sold out.
  const giveBack: string[] = [];
  for (let i = 0; i < 63; i += 1) {
    const email = i < 60 ? address('holder', i) : address('leaver', i);
    const created = await reservations.createReservation({ performance: perf.documentId, name: 'Pre Notato', email, party_size: 1 });
    if (!created.ok) throw new Error(created.code);
    const confirmed = await reservations.confirmReservation(created.confirmationToken);
    if (!confirmed.ok) throw new Error(confirmed.code);
    if (i >= 60) giveBack.push(confirmed.cancellationToken);
  }
  // 3 waiting parties of 1 (to be offered seats) and 4 of 6 (too large for what frees up).
  const join = async (email: string, party_size: number) => {
    const joined = await waitlist.join({ performance: perf.documentId, name: 'In Attesa', email, party_size });
    if (!joined.ok) throw new Error(joined.code);
    expect((await waitlist.confirm(joined.confirmationToken)).ok).toBe(true);
  };
  for (let i = 0; i < 3; i += 1) await join(address('offered', i), 1);
  for (let i = 0; i < 4; i += 1) await join(address('waiting', i), 6);
  // The 3 seats given back are offered to the parties of 1; 5 more seats, which no waiting party fits, for the pending ones.
  for (const token of giveBack) expect((await service('cancellations').cancelReservation(token)).ok).toBe(true);
  await app.strapi.db.query('plugin::booking.performance').update({ where: { id: perf.id }, data: { room_capacity: 68 } });
  const before = await entriesOf(perf.id);
  expect(before.filter((e) => e.waitlist_status === 'offered')).toHaveLength(3);
  expect(before.filter((e) => e.waitlist_status === 'waiting')).toHaveLength(4);
  const offerTokens: string[] = [];
  for (let i = 0; i < 3; i += 1) {
    const prefix = `${PUBLIC_URL}/confirm?token=`;
    const mail = await smtp.waitFor((m) => smtp.to(address('offered', i)).includes(m) && (m.text ?? '').includes(prefix), 20_000);
    offerTokens.push(tokenOf(linkIn(mail.text ?? '', prefix)));
  }
  await service('events').settle();
  await service('mailer').settle();

  // The storm: the cancel on the second instance in the middle of the visitors' calls.
  const admin = await createAdmin(app.strapi);
  type Call = { kind: string; path: string; body: Record<string, unknown>; who: string };
  type Answer = Call & { status: number; code: string | undefined };
  const send = (call: Call, url: string): Promise<Answer> =>
    request(url)
      .post(call.path)
      .send(call.body)
      .then((res) => ({ ...call, status: res.status, code: res.body?.error?.details?.code as string | undefined }));
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const confirmations: Call[] = [
    ...pendingTokens.map((token, i) => ({
      kind: 'confirm',
      path: '/api/booking/reservations/confirm',
      body: { token },
      who: address('pending', i),
    })),
    ...offerTokens.map((token, i) => ({
      kind: 'offer',
      path: '/api/booking/reservations/confirm',
      body: { token },
      who: address('offered', i),
    })),
  ];
  // Pending confirmations and offer acceptances alternate, one every 100 ms, the cancel sent after
  // 250 ms; joins and bookings go every 40 ms until 300 ms after it answered. Round-robin
  // over both instances: some land before the cancel, some queue behind its locks, some after it.
  const order = [0, 5, 1, 6, 2, 7, 3, 4].map((i) => confirmations[i]);
  let cancelAnswered = 0;
  const cancelling = wait(250).then(() =>
    request(second.url)
      .post(`/booking/performances/${perf.documentId}/cancel`)
      .set('Authorization', `Bearer ${admin.token}`)
      .send({ message: 'Allagamento in sala.' })
      .then((res) => {
        cancelAnswered = Date.now();
        return res;
      })
  );
  const confirming = Promise.all(order.map((call, i) => wait(i * 100).then(() => send(call, servers[i % 2]))));
  const others: Array<Promise<Answer>> = [];
  for (let i = 0; cancelAnswered === 0 || Date.now() < cancelAnswered + 300; i += 1) {
    const who = address(i % 2 === 0 ? 'joiner' : 'booker', i);
    const data = { performance: perf.documentId, name: 'Tar Divo', email: who, party_size: i % 2 === 0 ? 6 : 1 };
    const call =
      i % 2 === 0
        ? { kind: 'join', path: '/api/booking/waitlist', body: { data }, who }
        : { kind: 'book', path: '/api/booking/reservations', body: { data }, who };
    others.push(send(call, servers[i % 2]));
    await wait(40);
  }
  const [cancelled, confirmed, rest] = await Promise.all([cancelling, confirming, Promise.all(others)]);
  const answers = [...confirmed, ...rest];
  expect(cancelled.status).toBe(200);
  // Every answer is one of the contract's: before the cancel, done; after it, closed (a
  // confirmation whose reservation the cancel ended finds its link used).
  for (const a of answers) {
    if (a.kind === 'confirm' || a.kind === 'offer') expect([200, 409, 410]).toContain(a.status);
    if (a.kind === 'join' || a.kind === 'book') expect([201, 409]).toContain(a.status);
    if (a.status === 409) expect(['booking_closed', 'sold_out']).toContain(a.code);
    if (a.status === 410) expect(a.code).toBe('token_used');
  }
  // Calls landed on both sides of the cancel.
  expect(answers.some((a) => a.status === 200 || a.status === 201)).toBe(true);
  expect(answers.some((a) => a.code === 'booking_closed')).toBe(true);
  // After the answer, everything is closed on both instances.
  for (const url of servers) {
    const late = await request(url).post('/api/booking/reservations/confirm').send({ token: pendingTokens[0] });
    expect(late.status).toBeGreaterThanOrEqual(400);
    const closed = await request(url)
      .post('/api/booking/waitlist')
      .send({ data: { performance: perf.documentId, name: 'Troppo Tardi', email: 'toolate@example.test', party_size: 6 } });
    expect([closed.status, closed.body.error?.details?.code]).toEqual([409, 'booking_closed']);
  }

  // Everyone ended: no reservation pending or confirmed, no entry waiting, offered or unconfirmed.
  const rows = await reservationsOf(perf.id);
  expect(rows.filter((r) => r.reservation_status !== 'cancelled')).toEqual([]);
  const entries = await entriesOf(perf.id);
  expect(entries.filter((e) => ['unconfirmed', 'waiting', 'offered'].includes(e.waitlist_status))).toEqual([]);
  // The answer counts what the cancel ended: all but the 3 that gave their seats back before.
  expect(cancelled.body.data.reservations_cancelled).toBe(rows.length - 3);
  const seats = await service('availability').forPerformance(perf.id);
  expect([seats.confirmedSeats, seats.heldSeats]).toEqual([0, 0]);
  expect([...(await service('availability').recount()).entries()]).toEqual([]);

  // Who is owed a mail: the 60 holders, the pending parties whose confirmation answered 200 (it
  // committed before the cancel, which then found them confirmed), the 3 offered parties
  // (accepted or not), the 4 waiting. Nobody else.
  const confirmedInTime = answers.filter((a) => a.kind === 'confirm' && a.status === 200).map((a) => a.who!);
  const owed = new Set([
    ...Array.from({ length: 60 }, (_, i) => address('holder', i)),
    ...confirmedInTime,
    ...[0, 1, 2].map((i) => address('offered', i)),
    ...[0, 1, 2, 3].map((i) => address('waiting', i)),
  ]);
  const deadline = Date.now() + 30_000;
  while ([...owed].some((a) => cancelMails(a).length === 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  // The outbox job again, here and (scheduled) on the second instance: a mail sent is never sent again.
  await service('mailer').deliverDue(new Date(Date.now() + 3600_000));
  await new Promise((r) => setTimeout(r, 1500));
  for (const a of owed) expect([a, cancelMails(a).length]).toEqual([a, 1]);
  const everyone = [
    ...Array.from({ length: 5 }, (_, i) => address('pending', i)),
    ...[60, 61, 62].map((i) => address('leaver', i)),
    ...rest.map((a) => a.who),
  ].filter((a) => !owed.has(a));
  for (const a of everyone) expect([a, cancelMails(a).length]).toEqual([a, 0]);
  const sent = smtp.messages.filter((m) => (m.subject ?? '').startsWith('Replica annullata'));
  expect(sent).toHaveLength(owed.size);
  expect(sent.every((m) => (m.text ?? '').includes('Allagamento in sala.'))).toBe(true);

  // No confirmation succeeded after the cancel committed: every one that answered 200 was found
  // confirmed by the cancel (its holder was written to above), and none is confirmed now.
  for (const who of confirmedInTime) expect(rows.find((r) => r.email === who)?.reservation_status).toBe('cancelled');

  const again = await request(servers[0])
    .post(`/booking/performances/${perf.documentId}/cancel`)
    .set('Authorization', `Bearer ${admin.token}`)
    .send({});
  expect([again.status, again.body.error.details.code]).toEqual([409, 'already_cancelled']);
});
