/**
 * GET /api/booking/openapi.json: valid OpenAPI 3.1 by a standard validator, and true to the code.
 * Real requests reach each success and each error code of each public route; every answer's
 * status must be one the document lists for that route, and its body must match that status's
 * schema (ajv, JSON Schema 2020-12). Then every documented (route, status, code) must have been
 * seen, so the document can drift from the code in neither direction.
 */
import request from 'supertest';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { execFileSync } from 'node:child_process';
import { startApp, service, type TestApp } from './support/app';
import { confirmedReservation, createPerformance } from './support/factories';
import { startSmtpSink, type SmtpSink } from './support/smtp';

type Schema = Record<string, unknown>;
interface Operation {
  requestBody?: { content: { 'application/json': { schema: Schema } } };
  responses: Record<string, { content: { 'application/json': { schema: Schema } } }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/**
 * @seriousme/openapi-schema-validator's verdict on a document. The package is an ES module only,
 * which jest (CommonJS here) cannot load: it runs in a Node of its own.
 */
const validateOpenApi = (document: unknown): { valid: boolean; errors?: unknown } => {
  const script =
    "import { Validator } from '@seriousme/openapi-schema-validator';" +
    "let text = ''; for await (const chunk of process.stdin) text += chunk;" +
    'process.stdout.write(JSON.stringify(await new Validator().validate(JSON.parse(text))));';
  return JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { input: JSON.stringify(document), cwd: __dirname }).toString()
  );
};

/** Codes no request of this test can cause: the database away (middlewares/body-errors.ts). */
const NOT_REACHED = new Set(['503 service_unavailable']);

let app: TestApp;
let smtp: SmtpSink;
let doc: Document;
let ajv: Ajv2020;
const http = () => request(app.strapi.server.httpServer);
const seen = new Set<string>();

/** The operation a concrete path belongs to: `/api/booking/shows/{slug}` for `/api/booking/shows/x`. */
const operationOf = (method: string, path: string): [string, Operation] => {
  const bare = path.split('?')[0];
  const template = Object.keys(doc.paths).find(
    (t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(bare) && doc.paths[t][method]
  );
  if (!template) throw new Error(`no operation for ${method} ${bare}`);
  return [template, doc.paths[template][method]];
};

/** The document's schemas compiled with its components (their $refs made local). */
const compile = (schema: Schema) =>
  ajv.compile(JSON.parse(JSON.stringify({ ...schema, $defs: doc.components.schemas }).replaceAll('#/components/schemas/', '#/$defs/')));

/** Sends a request and holds its answer to the document; returns the answer. */
const call = async (method: 'get' | 'post', path: string, body?: unknown, raw?: string) => {
  const req = http()[method](path);
  const res =
    raw !== undefined
      ? await req.set('Content-Type', 'application/json').send(raw)
      : body !== undefined
        ? await req.send(body as object)
        : await req;
  const [template, operation] = operationOf(method, path);
  const response = operation.responses[String(res.status)];
  if (!response) throw new Error(`${method} ${path}: ${res.status} is not in the document (${JSON.stringify(res.body)})`);
  const validate = compile(response.content['application/json'].schema);
  if (!validate(res.body)) {
    throw new Error(`${method} ${path} ${res.status}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(res.body)}`);
  }
  // A body the server took must also be one the request schema takes.
  if (res.status < 300 && body !== undefined && operation.requestBody) {
    const takes = compile(operation.requestBody.content['application/json'].schema);
    if (!takes(body))
      throw new Error(`${method} ${path}: the request schema refuses a body the server took: ${ajv.errorsText(takes.errors)}`);
  }
  const code = res.status >= 400 ? ` ${(res.body as { error: { details: { code: string } } }).error.details.code}` : '';
  seen.add(`${method} ${template} ${res.status}${code}`);
  return res;
};

beforeAll(async () => {
  smtp = await startSmtpSink();
  app = await startApp({
    env: {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      // High enough for every request below, low enough to reach at the end.
      BOOKING_RATE_LIMIT_PER_MINUTE: '150',
    },
  });
  const res = await http().get('/api/booking/openapi.json');
  expect(res.status).toBe(200);
  doc = res.body;
  ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
});
afterAll(async () => {
  await app?.stop();
  await smtp?.stop();
});

test('the document is valid OpenAPI 3.1, public and cacheable, and names every public route', async () => {
  expect(validateOpenApi(doc)).toEqual({ valid: true });
  // The validator can say no: a document without its required `info` is refused.
  expect(validateOpenApi({ ...doc, info: undefined }).valid).toBe(false);
  expect(doc.openapi).toBe('3.1.0');
  const res = await http().get('/api/booking/openapi.json');
  expect(res.headers['cache-control']).toBe('public, max-age=300');
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const routes = (app.strapi.plugin('booking').routes as unknown as Record<string, { routes: Array<{ method: string; path: string }> }>)[
    'content-api'
  ].routes;
  const described = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
  expect(described.sort()).toEqual(routes.map((r) => `${r.method} /api/booking${r.path.replace(/:([A-Za-z]+)/g, '{$1}')}`).sort());
  // The party-size limit in the request schema is the running app's.
  expect(doc.components.schemas.ReservationInput).toMatchObject({ properties: { party_size: { maximum: 10 } } });
});

test('every answer of every public route matches the document, and every documented code is reached', async () => {
  const perf = await createPerformance(app.strapi, { room_capacity: 20 });
  const closed = await createPerformance(app.strapi, { is_booking_enabled: false });
  const full = await createPerformance(app.strapi, { room_capacity: 2 });
  await confirmedReservation(app.strapi, full.documentId, 2);
  const person = (email: string, performance = perf.documentId, party_size = 1) => ({
    data: { performance, name: 'Anna Blu', email, phone: '+39 051 000000', party_size, locale: 'en' },
  });

  // The catalogue.
  await call('get', '/api/booking/openapi.json');
  expect((await call('get', '/api/booking/shows?page=1&pageSize=10')).status).toBe(200);
  expect((await call('get', '/api/booking/shows?page=0')).status).toBe(400);
  expect((await call('get', `/api/booking/shows/${perf.showSlug}`)).status).toBe(200);
  expect((await call('get', '/api/booking/shows/nessuno')).status).toBe(404);
  expect((await call('get', `/api/booking/performances/${perf.documentId}`)).status).toBe(200);
  expect((await call('get', '/api/booking/performances/nessuna')).status).toBe(404);
  expect((await call('get', `/api/booking/venues/${perf.venueSlug}`)).status).toBe(200);
  expect((await call('get', '/api/booking/venues/nessuno')).status).toBe(404);

  // Booking.
  expect((await call('post', '/api/booking/reservations', person('a@example.test'))).status).toBe(201);
  expect((await call('post', '/api/booking/reservations', { data: { party_size: 0, extra: 1 } })).status).toBe(400);
  expect((await call('post', '/api/booking/reservations', undefined, '{not json')).status).toBe(400);
  expect(
    (await call('post', '/api/booking/reservations', { data: { ...person('b@example.test').data, notes: 'x'.repeat(20_000) } })).status
  ).toBe(413);
  expect((await call('post', '/api/booking/reservations', person('b@example.test', 'nessuna'))).status).toBe(404);
  expect((await call('post', '/api/booking/reservations', person('b@example.test', closed.documentId))).status).toBe(409);
  expect((await call('post', '/api/booking/reservations', person('b@example.test', full.documentId))).status).toBe(409);
  for (let i = 0; i < 3; i++)
    await service(app.strapi, 'reservations').createReservation({
      performance: perf.documentId,
      name: 'Eva Rosa',
      email: 'many@example.test',
      party_size: 1,
    });
  expect((await call('post', '/api/booking/reservations', person('many@example.test'))).status).toBe(429);

  // Confirming.
  const fresh = await service(app.strapi, 'reservations').createReservation({
    performance: perf.documentId,
    name: 'Ivo Nero',
    email: 'ivo@example.test',
    party_size: 2,
  });
  if (!fresh.ok) throw new Error(fresh.code);
  // What a link acts on, before and after it is used: the same reservation, its status now.
  const before = await call('post', '/api/booking/reservations/preview', { token: fresh.confirmationToken });
  expect(before.body.data).toMatchObject({ status: 'pending', party_size: 2, performance: { documentId: perf.documentId } });
  expect((await call('post', '/api/booking/reservations/preview', { token: 'x'.repeat(43) })).status).toBe(404);
  expect((await call('post', '/api/booking/reservations/preview', { token: 7 })).status).toBe(400);
  expect((await call('post', '/api/booking/reservations/confirm', { token: fresh.confirmationToken })).status).toBe(200);
  expect((await call('post', '/api/booking/reservations/preview', { token: fresh.confirmationToken })).body.data.status).toBe('confirmed');
  expect((await call('post', '/api/booking/reservations/confirm', { token: fresh.confirmationToken })).status).toBe(410);
  expect((await call('post', '/api/booking/reservations/confirm', { token: 'x'.repeat(43) })).status).toBe(404);
  expect((await call('post', '/api/booking/reservations/confirm', { token: 1 })).status).toBe(400);
  const late = await service(app.strapi, 'reservations').createReservation(
    { performance: perf.documentId, name: 'Ada Viola', email: 'ada@example.test', party_size: 1 },
    new Date(Date.now() - 3 * 3600_000)
  );
  if (!late.ok) throw new Error(late.code);
  const lapsed = await call('post', '/api/booking/reservations/preview', { token: late.confirmationToken });
  expect(lapsed.body.error.details.code).toBe('token_expired');
  const expired = await call('post', '/api/booking/reservations/confirm', { token: late.confirmationToken });
  expect(expired.body.error.details.code).toBe('token_expired');
  const tight = await createPerformance(app.strapi, { room_capacity: 2 });
  const tooMany = await service(app.strapi, 'reservations').createReservation({
    performance: tight.documentId,
    name: 'Leo Gialli',
    email: 'leo@example.test',
    party_size: 2,
  });
  if (!tooMany.ok) throw new Error(tooMany.code);
  await confirmedReservation(app.strapi, tight.documentId, 1);
  expect((await call('post', '/api/booking/reservations/confirm', { token: tooMany.confirmationToken })).body.error.details.code).toBe(
    'sold_out'
  );
  // Fewer seats than requested: more than requested is 400, the seats left are 200.
  expect((await call('post', '/api/booking/reservations/confirm', { token: tooMany.confirmationToken, party_size: 3 })).status).toBe(400);
  const fewer = await call('post', '/api/booking/reservations/confirm', { token: tooMany.confirmationToken, party_size: 1 });
  expect([fewer.status, fewer.body.data.party_size]).toEqual([200, 1]);
  const shutPerf = await createPerformance(app.strapi);
  const shutting = await service(app.strapi, 'reservations').createReservation({
    performance: shutPerf.documentId,
    name: 'Ugo Verde',
    email: 'ugo2@example.test',
    party_size: 1,
  });
  if (!shutting.ok) throw new Error(shutting.code);
  await app.strapi.db.query('plugin::booking.performance').update({ where: { id: shutPerf.id }, data: { is_booking_enabled: false } });
  expect((await call('post', '/api/booking/reservations/confirm', { token: shutting.confirmationToken })).body.error.details.code).toBe(
    'booking_closed'
  );

  // Cancelling and coming with fewer people.
  const four = await confirmedReservation(app.strapi, perf.documentId, 4);
  expect((await call('post', '/api/booking/reservations/reduce', { token: four.cancellationToken, party_size: 2 })).status).toBe(200);
  expect((await call('post', '/api/booking/reservations/reduce', { token: four.cancellationToken, party_size: 2 })).status).toBe(400);
  expect((await call('post', '/api/booking/reservations/reduce', { token: 'x'.repeat(43), party_size: 1 })).status).toBe(404);
  expect((await call('post', '/api/booking/reservations/cancel', { token: four.cancellationToken })).status).toBe(200);
  expect((await call('post', '/api/booking/reservations/cancel', { token: four.cancellationToken })).status).toBe(410);
  expect((await call('post', '/api/booking/reservations/reduce', { token: four.cancellationToken, party_size: 1 })).status).toBe(410);
  expect((await call('post', '/api/booking/reservations/cancel', { token: 'x'.repeat(43) })).status).toBe(404);
  expect((await call('post', '/api/booking/reservations/cancel', {})).status).toBe(400);
  const started = await createPerformance(app.strapi);
  const gone = await confirmedReservation(app.strapi, started.documentId, 3);
  await app.strapi.db
    .query('plugin::booking.performance')
    .update({ where: { id: started.id }, data: { starts_at: new Date(Date.now() - 60_000) } });
  expect((await call('post', '/api/booking/reservations/cancel', { token: gone.cancellationToken })).body.error.details.code).toBe(
    'too_late'
  );
  expect(
    (await call('post', '/api/booking/reservations/reduce', { token: gone.cancellationToken, party_size: 1 })).body.error.details.code
  ).toBe('too_late');

  // Lost tickets.
  expect((await call('post', '/api/booking/reservations/resend', { email: 'nobody@example.test' })).status).toBe(202);
  expect((await call('post', '/api/booking/reservations/resend', { email: 'not an address' })).status).toBe(400);

  // The waiting list.
  const larger = await call('post', '/api/booking/waitlist', person('w@example.test', full.documentId, 2));
  expect([larger.status, larger.body.data.status]).toEqual([201, 'unconfirmed']);
  expect((await call('post', '/api/booking/waitlist', person('w@example.test', full.documentId, 2))).body.error.details.code).toBe(
    'already_waiting'
  );
  expect((await call('post', '/api/booking/waitlist', person('w2@example.test', perf.documentId))).body.error.details.code).toBe(
    'seats_available'
  );
  expect((await call('post', '/api/booking/waitlist', person('w2@example.test', closed.documentId))).body.error.details.code).toBe(
    'booking_closed'
  );
  expect((await call('post', '/api/booking/waitlist', person('w2@example.test', 'nessuna'))).status).toBe(404);
  expect((await call('post', '/api/booking/waitlist', { data: { name: '@' } })).status).toBe(400);
  expect((await call('post', '/api/booking/waitlist', person('many@example.test', full.documentId))).status).toBe(429);
  // Confirming the join: then the leave link comes.
  const first = await smtp.waitFor((m) => (m.text ?? '').includes('/waitlist/confirm?token='));
  const confirmToken = ((first.text ?? '').match(/\/waitlist\/confirm\?token=([A-Za-z0-9_-]+)/) ?? [])[1] ?? '';
  const waiting = await call('post', '/api/booking/waitlist/confirm', { token: confirmToken });
  expect([waiting.status, waiting.body.data.status, waiting.body.data.position]).toEqual([200, 'waiting', 1]);
  expect((await call('post', '/api/booking/waitlist/confirm', { token: confirmToken })).body.error.details.code).toBe('token_used');
  expect((await call('post', '/api/booking/waitlist/confirm', { token: 'x'.repeat(43) })).status).toBe(404);
  expect((await call('post', '/api/booking/waitlist/confirm', { token: ['x'] })).status).toBe(400);
  const lapsing = await service(app.strapi, 'waitlist').join({
    performance: full.documentId,
    name: 'Ivo Rosa',
    email: 'ivo@example.test',
    party_size: 1,
  });
  if (!lapsing.ok) throw new Error(lapsing.code);
  await app.strapi.db
    .connection('booking_waitlist_entries')
    .where({ reference: lapsing.entry.reference })
    .update({ confirm_by: new Date(Date.now() - 1000) });
  expect((await call('post', '/api/booking/waitlist/confirm', { token: lapsing.confirmationToken })).body.error.details.code).toBe(
    'token_expired'
  );
  const joined = await smtp.waitFor((m) => (m.text ?? '').includes('/waitlist/leave?token='));
  const leaveToken = ((joined.text ?? '').match(/\/waitlist\/leave\?token=([A-Za-z0-9_-]+)/) ?? [])[1] ?? '';
  expect((await call('post', '/api/booking/waitlist/leave', { token: leaveToken })).status).toBe(200);
  expect((await call('post', '/api/booking/waitlist/leave', { token: leaveToken })).status).toBe(410);
  expect((await call('post', '/api/booking/waitlist/leave', { token: 'x'.repeat(43) })).status).toBe(404);
  expect((await call('post', '/api/booking/waitlist/leave', { token: ['x'] })).status).toBe(400);

  const posts = Object.entries(doc.paths).flatMap(([path, ops]) => (ops.post ? [path] : []));
  // Over 16 KiB, every public POST is refused before it is read.
  for (const path of posts) expect((await call('post', path, { token: 'x'.repeat(20_000) })).status).toBe(413);

  // The per-connection limit, last: once reached, every public POST answers 429.
  for (let i = 0; i < 200; i++) {
    const res = await http().post('/api/booking/reservations/resend').send({});
    if (res.status === 429) break;
  }
  for (const path of posts) expect((await call('post', path, {})).status).toBe(429);

  // Everything the document promises was seen.
  const promised = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).flatMap(([method, op]) =>
      Object.entries(op.responses).flatMap(([status, response]) => {
        const schema = response.content['application/json'].schema as {
          properties?: { error?: { properties: { details: { properties: { code: { enum: string[] } } } } } };
        };
        const codes = schema.properties?.error?.properties.details.properties.code.enum;
        return codes
          ? codes.filter((c) => !NOT_REACHED.has(`${status} ${c}`)).map((c) => `${method} ${path} ${status} ${c}`)
          : [`${method} ${path} ${status}`];
      })
    )
  );
  expect(promised.filter((p) => !seen.has(p))).toEqual([]);
});
