/**
 * Webhooks: a real HTTP receiver on 127.0.0.1 checks with the Standard Webhooks reference library
 * (`standardwebhooks`) what each event kind sends; the body holds no personal data; a failed
 * delivery is retried with the same webhook-id (the retry job's clock injected, no sleeping); a
 * rolled-back confirmation sends nothing; a webhook hears only the events it listens to; two
 * app processes running the retry job at once send each due delivery exactly once; a secret is
 * made when none is given and a non-http(s) URL is a 400 in the Content Manager.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { Webhook } from 'standardwebhooks';
import { appEnv, service, startApp, type TestApp } from './support/app';
import { createAdmin } from './support/admin';
import { confirmedReservation, createPerformance } from './support/factories';
import { listen } from './support/processes';

const WEBHOOK = 'plugin::booking.webhook';
const DELIVERY = 'plugin::booking.webhook-delivery';

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}

let app: TestApp;
let baseUrl: string;
let receiver: http.Server;
let receiverUrl: string;
let received: Received[] = [];
/** The status each path answers next (a queue; 200 once it is empty). */
const answers = new Map<string, number[]>();
let answerDelayMs = 0;

const PERSONAL = {
  name: 'Ginevra Quaglieri',
  email: 'ginevra.quaglieri@example.test',
  phone: '+39 333 7654321',
  notes: 'sedia a rotelle vicino uscita',
};
let emailCounter = 0;
const visitor = () => ({ ...PERSONAL, email: `ginevra.quaglieri+${(emailCounter += 1)}@example.test` });

const settle = async () => {
  await service(app.strapi, 'events').settle();
  await service(app.strapi, 'webhooks').settle();
};

const createWebhook = async (hookPath: string, events: string[] = []) =>
  (await app.strapi.db.query(WEBHOOK).create({ data: { url: `${receiverUrl}${hookPath}`, events } })) as { id: number; secret: string };

/** What a path received, each verified by the reference library with the webhook's secret. */
const verifiedAt = (hookPath: string, secret: string) =>
  received
    .filter((r) => r.path === hookPath)
    .map((r) => ({
      id: r.headers['webhook-id'],
      raw: r.body,
      payload: new Webhook(secret).verify(r.body, r.headers) as { type: string; timestamp: string; data: Record<string, unknown> },
    }));

const deliveriesOf = async (webhookId: number) =>
  (await app.strapi.db.query(DELIVERY).findMany({ where: { webhook_entry: webhookId }, orderBy: { id: 'asc' } })) as Array<
    Record<string, unknown>
  >;

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers as Record<string, string>, body });
      const queue = answers.get(req.url ?? '') ?? [];
      const status = queue.shift() ?? 200;
      setTimeout(() => res.writeHead(status).end(), answerDelayMs);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  app = await startApp({ env: { BOOKING_RATE_LIMIT_PER_MINUTE: '0', BOOKING_PENDING_PER_EMAIL: '0' } });
  baseUrl = await listen(app.strapi.server.httpServer);
});
afterAll(async () => {
  await app?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});
afterEach(async () => {
  await settle();
  // Each test listens with webhooks of its own.
  await app.strapi.db.query(WEBHOOK).deleteMany({});
  received = [];
  answerDelayMs = 0;
});

describe('what each event sends', () => {
  test('book, confirm, cancel, expire, check in: signed per Standard Webhooks, the contract body, nothing personal', async () => {
    const hook = await createWebhook('/all');
    const perf = await createPerformance(app.strapi, { room_capacity: 20, startsInHours: 1 });
    const reservations = service(app.strapi, 'reservations');

    // Booked, confirmed, cancelled.
    const first = await reservations.createReservation({ performance: perf.documentId, party_size: 2, ...visitor() });
    if (!first.ok) throw new Error(first.code);
    const confirmed = await reservations.confirmReservation(first.confirmationToken);
    if (!confirmed.ok) throw new Error(confirmed.code);
    const cancelled = await service(app.strapi, 'cancellations').cancelReservation(confirmed.cancellationToken);
    expect(cancelled.ok).toBe(true);

    // Booked, then lapsed.
    const second = await reservations.createReservation({ performance: perf.documentId, party_size: 1, ...visitor() });
    if (!second.ok) throw new Error(second.code);
    expect(await reservations.expireOverdue(new Date(Date.now() + 2 * 3600_000))).toBe(1);

    // Booked, confirmed, checked in at the door.
    const third = await reservations.createReservation({ performance: perf.documentId, party_size: 3, ...visitor() });
    if (!third.ok) throw new Error(third.code);
    const ticket = await reservations.confirmReservation(third.confirmationToken);
    if (!ticket.ok) throw new Error(ticket.code);
    const door = await createAdmin(app.strapi, { roleCode: 'booking-door-staff' });
    const scan = await request(baseUrl)
      .post('/booking/check-ins')
      .set('Authorization', `Bearer ${door.token}`)
      .send({ token: ticket.checkInToken });
    expect(scan.body.data.result).toBe('ok');
    await settle();

    const got = verifiedAt('/all', hook.secret);
    const seen = got.map(({ payload }) => `${payload.data.reference} ${payload.type} ${payload.data.status}`);
    const [a, b, c] = [first.reservation.reference, second.reservation.reference, third.reservation.reference];
    expect(seen.sort()).toEqual(
      [
        `${a} reservation.created pending`,
        `${a} reservation.confirmed confirmed`,
        `${a} reservation.cancelled cancelled`,
        `${b} reservation.created pending`,
        `${b} reservation.expired expired`,
        `${c} reservation.created pending`,
        `${c} reservation.confirmed confirmed`,
        `${c} check-in.created confirmed`,
      ].sort()
    );
    for (const { id, raw, payload } of got) {
      expect(id).toMatch(/^msg_[0-9a-f]{32}$/);
      expect(Object.keys(payload).sort()).toEqual(['data', 'timestamp', 'type']);
      expect(Object.keys(payload.data).sort()).toEqual(['party_size', 'performance', 'reference', 'status']);
      expect(payload.data.performance).toBe(perf.documentId);
      expect(Number.isNaN(Date.parse(payload.timestamp))).toBe(false);
      // Nothing the visitor typed: no name, address, phone or notes, whole or in part.
      expect(raw).not.toMatch(/Ginevra|Quaglieri|example\.test|333|rotelle|"name"|"email"|"phone"|"notes"/i);
    }
    expect(new Set(got.map((g) => g.id)).size).toBe(8);
    const party = Object.fromEntries(got.map(({ payload }) => [payload.data.reference, payload.data.party_size]));
    expect(party).toEqual({ [a]: 2, [b]: 1, [c]: 3 });

    const log = await deliveriesOf(hook.id);
    expect(log.map((d) => [d.delivery_status, d.attempts, d.last_response_status])).toEqual(Array(8).fill(['delivered', 1, 200]));
  });

  test('a signature made with another secret is refused by the reference library', async () => {
    const hook = await createWebhook('/forged');
    const perf = await createPerformance(app.strapi);
    await confirmedReservation(app.strapi, perf.documentId, 1);
    await settle();
    const mine = received.filter((r) => r.path === '/forged');
    expect(mine).toHaveLength(2);
    const other = (await app.strapi.db.query(WEBHOOK).create({ data: { url: `${receiverUrl}/other` } })) as { secret: string };
    expect(other.secret).not.toBe(hook.secret);
    expect(() => new Webhook(other.secret).verify(mine[0].body, mine[0].headers)).toThrow();
    expect(() => new Webhook(hook.secret).verify(mine[0].body.replace('"party_size":1', '"party_size":9'), mine[0].headers)).toThrow();
  });

  test("an offer to the waiting list: waitlist.offered, with the offer reservation's reference, party and status", async () => {
    const hook = await createWebhook('/offers', ['waitlist.offered']);
    const perf = await createPerformance(app.strapi, { room_capacity: 2 });
    const taken = await confirmedReservation(app.strapi, perf.documentId, 2);
    const joined = await service(app.strapi, 'waitlist').join({ performance: perf.documentId, party_size: 2, ...visitor() });
    expect(joined.ok).toBe(true);
    if (!joined.ok) throw new Error(joined.code);
    expect((await service(app.strapi, 'waitlist').confirm(joined.confirmationToken)).ok).toBe(true);
    // The cancellation frees the two seats and offers them, in its own transaction.
    expect((await service(app.strapi, 'cancellations').cancelReservation(taken.cancellationToken)).ok).toBe(true);
    await settle();
    const got = verifiedAt('/offers', hook.secret);
    expect(got.map((g) => g.payload.type)).toEqual(['waitlist.offered']);
    const offer = (await app.strapi.db.query('plugin::booking.reservation').findOne({
      where: { held_until: { $notNull: true }, performance: { id: perf.id } },
    })) as { reference: string };
    expect(got[0].payload.data).toEqual({ reference: offer.reference, performance: perf.documentId, party_size: 2, status: 'pending' });
    for (const value of Object.values(PERSONAL)) expect(got[0].raw).not.toContain(value);
  });
});

describe('delivery', () => {
  test('500 then 200: retried within a minute with the same webhook-id; the log says delivered after 2 attempts', async () => {
    const hook = await createWebhook('/flaky', ['reservation.confirmed']);
    answers.set('/flaky', [500]);
    const perf = await createPerformance(app.strapi);
    const before = Date.now();
    await confirmedReservation(app.strapi, perf.documentId, 2);
    await settle();

    let [delivery] = await deliveriesOf(hook.id);
    expect(delivery).toMatchObject({ delivery_status: 'retrying', attempts: 1, last_response_status: 500, last_error: 'HTTP 500' });
    const nextTry = new Date(delivery.next_attempt_at as string).getTime();
    expect(nextTry).toBeGreaterThan(before);
    expect(nextTry).toBeLessThanOrEqual(Date.now() + 60_000);

    const webhooks = service(app.strapi, 'webhooks');
    expect(await webhooks.deliverDue(new Date())).toEqual([]); // not yet due
    expect(await webhooks.deliverDue(new Date(nextTry + 1000))).toEqual(['delivered']);
    expect(await webhooks.deliverDue(new Date(nextTry + 3600_000))).toEqual([]); // nothing left

    const got = received.filter((r) => r.path === '/flaky');
    expect(got).toHaveLength(2);
    expect(got[1].headers['webhook-id']).toBe(got[0].headers['webhook-id']);
    expect(got[1].body).toBe(got[0].body);
    for (const r of got) expect(() => new Webhook(hook.secret).verify(r.body, r.headers)).not.toThrow();
    [delivery] = await deliveriesOf(hook.id);
    expect(delivery).toMatchObject({
      delivery_status: 'delivered',
      attempts: 2,
      last_response_status: 200,
      last_error: null,
      message_id: got[0].headers['webhook-id'],
    });
  });

  test('no answer: retried with doubling back-off until 24 h after the event, then failed', async () => {
    const hook = await createWebhook('/down', ['reservation.confirmed']);
    answers.set('/down', Array(40).fill(503));
    const perf = await createPerformance(app.strapi);
    await confirmedReservation(app.strapi, perf.documentId, 1);
    await settle();
    const webhooks = service(app.strapi, 'webhooks');
    const gaps: number[] = [];
    let [delivery] = await deliveriesOf(hook.id);
    for (let round = 0; round < 40 && delivery.delivery_status === 'retrying'; round += 1) {
      const due = new Date(delivery.next_attempt_at as string);
      await webhooks.deliverDue(due);
      const [after] = await deliveriesOf(hook.id);
      if (after.next_attempt_at) gaps.push(new Date(after.next_attempt_at as string).getTime() - due.getTime());
      delivery = after;
    }
    expect(delivery.delivery_status).toBe('failed');
    expect(gaps.slice(0, 4)).toEqual([60_000, 120_000, 240_000, 480_000]);
    const ids = new Set(received.filter((r) => r.path === '/down').map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(1);
    const created = new Date(delivery.createdAt as string).getTime();
    const lastTry = Math.max(...received.filter((r) => r.path === '/down').map((r) => Number(r.headers['webhook-timestamp']) * 1000));
    expect(lastTry).toBeLessThanOrEqual(created + 24 * 3600_000);
    expect(lastTry).toBeGreaterThan(created + 23 * 3600_000);
  });

  test('a rolled-back confirmation (sold_out) sends nothing and leaves no delivery', async () => {
    const hook = await createWebhook('/rollback');
    const perf = await createPerformance(app.strapi, { room_capacity: 2 });
    const reservations = service(app.strapi, 'reservations');
    const late = await reservations.createReservation({ performance: perf.documentId, party_size: 2, ...visitor() });
    if (!late.ok) throw new Error(late.code);
    await confirmedReservation(app.strapi, perf.documentId, 2);
    await settle();
    received = [];

    const refused = await reservations.confirmReservation(late.confirmationToken);
    expect(refused).toMatchObject({ ok: false, code: 'sold_out' });
    await settle();
    expect(received).toEqual([]);
    const mine = (await deliveriesOf(hook.id)).filter((d) => d.reference === late.reservation.reference);
    expect(mine.map((d) => d.event_type)).toEqual(['reservation.created']);
  });

  test('a webhook listening only to reservation.cancelled hears only that; a disabled one nothing', async () => {
    const cancelsOnly = await createWebhook('/cancels', ['reservation.cancelled']);
    await app.strapi.db.query(WEBHOOK).create({ data: { url: `${receiverUrl}/off`, enabled: false } });
    await createWebhook('/everything');
    const perf = await createPerformance(app.strapi);
    const confirmed = await confirmedReservation(app.strapi, perf.documentId, 2);
    await service(app.strapi, 'cancellations').cancelReservation(confirmed.cancellationToken as string);
    await settle();

    const cancels = verifiedAt('/cancels', cancelsOnly.secret);
    expect(cancels.map((r) => r.payload.type)).toEqual(['reservation.cancelled']);
    expect(received.filter((r) => r.path === '/everything')).toHaveLength(3);
    expect(received.filter((r) => r.path === '/off')).toHaveLength(0);
  });
});

describe('several instances', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  });

  /** An app process that runs the retry job once when told GO (tests/support/webhook-job-process.js). */
  const jobProcess = async () => {
    const child = spawn(process.execPath, [path.join(__dirname, 'support', 'webhook-job-process.js')], {
      env: { ...process.env, ...appEnv(app.database) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (output.includes('READY')) {
          clearInterval(timer);
          resolve();
        }
        if (child.exitCode !== null) {
          clearInterval(timer);
          reject(new Error(`job process exited:\n${output}`));
        }
      }, 100);
    });
    return {
      go(at: number) {
        child.stdin!.write(`GO ${at}\n`);
        return new Promise<string[]>((resolve, reject) => {
          child.once('exit', () => {
            const line = output.split('\n').find((l) => l.startsWith('RESULT '));
            if (line) resolve(JSON.parse(line.slice('RESULT '.length)));
            else reject(new Error(`no result:\n${output}`));
          });
        });
      },
    };
  };

  test('two app processes running the retry job at once send each due delivery exactly once', async () => {
    const hook = await createWebhook('/shared', ['reservation.confirmed']);
    const parties = 6;
    answers.set('/shared', Array(parties).fill(500));
    const perf = await createPerformance(app.strapi);
    for (let i = 0; i < parties; i += 1) await confirmedReservation(app.strapi, perf.documentId, 1);
    await settle();
    expect((await deliveriesOf(hook.id)).map((d) => d.delivery_status)).toEqual(Array(parties).fill('retrying'));
    received = [];
    // A slow receiver widens the window in which the two would both send.
    answerDelayMs = 150;

    const [one, two] = await Promise.all([jobProcess(), jobProcess()]);
    const at = Date.now() + 120_000;
    const results = (await Promise.all([one.go(at), two.go(at)])).flat();
    expect(results.filter((r) => r === 'delivered')).toHaveLength(parties);

    const ids = received.filter((r) => r.path === '/shared').map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(parties);
    expect(new Set(ids).size).toBe(parties);
    expect((await deliveriesOf(hook.id)).map((d) => [d.delivery_status, d.attempts])).toEqual(Array(parties).fill(['delivered', 2]));
  }, 180_000);
});

describe('webhooks in the Content Manager', () => {
  test('a secret is made when left empty, on both write paths; a given one is kept; a bad one refused', async () => {
    const byQuery = await createWebhook('/made');
    const key = Buffer.from(byQuery.secret.replace(/^whsec_/, ''), 'base64');
    expect(byQuery.secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
    expect(key.length).toBeGreaterThanOrEqual(24);

    const admin = await createAdmin(app.strapi);
    const cm = (body: Record<string, unknown>) =>
      request(baseUrl).post(`/content-manager/collection-types/${WEBHOOK}`).set('Authorization', `Bearer ${admin.token}`).send(body);
    const made = await cm({ url: `${receiverUrl}/cm`, events: ['reservation.confirmed'], secret: '', enabled: true });
    expect(made.status).toBe(201);
    const stored = (await app.strapi.db.query(WEBHOOK).findOne({ where: { documentId: made.body.data.documentId } })) as { secret: string };
    expect(stored.secret).toMatch(/^whsec_/);
    expect(Buffer.from(stored.secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);
    expect(stored.secret).not.toBe(byQuery.secret);

    const given = `whsec_${Buffer.alloc(24, 7).toString('base64')}`;
    expect((await cm({ url: `${receiverUrl}/given`, secret: given })).body.data.secret).toBe(given);
    const short = await cm({ url: `${receiverUrl}/short`, secret: `whsec_${Buffer.alloc(8).toString('base64')}` });
    expect(short.status).toBe(400);
    expect(short.body.error.details.code).toBe('webhook_invalid');
  });

  test('only http(s) URLs and known events: anything else is a clear 400, nothing stored', async () => {
    const admin = await createAdmin(app.strapi);
    const cm = (body: Record<string, unknown>) =>
      request(baseUrl)
        .post(`/content-manager/collection-types/${WEBHOOK}`)
        .set('Authorization', `Bearer ${admin.token}`)
        .set('Accept-Language', 'en')
        .send(body);
    for (const url of ['ftp://example.test/hook', 'javascript:alert(1)', 'file:///etc/passwd', 'example.test/hook', 'http://']) {
      const res = await cm({ url });
      expect([url, res.status, res.body.error?.details?.code]).toEqual([url, 400, 'webhook_invalid']);
      expect(res.body.error.message).toMatch(/http:\/\/ or https:\/\//);
    }
    const badEvent = await cm({ url: `${receiverUrl}/x`, events: ['reservation.created', 'seat.sold'] });
    expect(badEvent.status).toBe(400);
    expect(badEvent.body.error.details.code).toBe('webhook_invalid');
    expect(await app.strapi.db.query(WEBHOOK).count({})).toBe(0);
    // The waiting list's event is accepted ahead of the waiting list.
    expect((await cm({ url: `https://example.test/hook`, events: ['waitlist.offered'], enabled: false })).status).toBe(201);
  });

  test('deliveries are read-only, even for the Super Admin', async () => {
    await createWebhook('/ro');
    const perf = await createPerformance(app.strapi);
    await confirmedReservation(app.strapi, perf.documentId, 1);
    await settle();
    const admin = await createAdmin(app.strapi);
    const list = await request(baseUrl).get(`/content-manager/collection-types/${DELIVERY}`).set('Authorization', `Bearer ${admin.token}`);
    expect(list.status).toBe(200);
    const one = list.body.results[0] as { documentId: string };
    const update = await request(baseUrl)
      .put(`/content-manager/collection-types/${DELIVERY}/${one.documentId}`)
      .set('Authorization', `Bearer ${admin.token}`)
      .send({ delivery_status: 'delivered' });
    expect(update.status).toBe(403);
    const del = await request(baseUrl)
      .delete(`/content-manager/collection-types/${DELIVERY}/${one.documentId}`)
      .set('Authorization', `Bearer ${admin.token}`);
    expect(del.status).toBe(403);
  });

  test("Strapi's Editor and Author see neither webhooks nor deliveries", async () => {
    for (const roleCode of ['strapi-editor', 'strapi-author']) {
      const { token } = await createAdmin(app.strapi, { roleCode });
      for (const uid of [WEBHOOK, DELIVERY]) {
        const res = await request(baseUrl).get(`/content-manager/collection-types/${uid}`).set('Authorization', `Bearer ${token}`);
        expect([roleCode, uid, res.status]).toEqual([roleCode, uid, 403]);
      }
    }
  });
});
