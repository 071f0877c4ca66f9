/**
 * What editors see in the Content Manager, read back over its own API: each booking type's main
 * field, columns, sort and read-only fields as the plugin sets them at boot; the stored labels
 * kept current on both write paths; and no create or delete where the server refuses them.
 */
import request from 'supertest';
import { service, startApp, type TestApp } from './support/app';
import { createAdmin } from './support/admin';
import { confirmedReservation, createPerformance } from './support/factories';

const PERFORMANCE = 'plugin::booking.performance';
const RESERVATION = 'plugin::booking.reservation';
const SHOW = 'plugin::booking.show';
const VENUE = 'plugin::booking.venue';

let app: TestApp;
let token: string;
const http = () => request(app.strapi.server.httpServer);
const asEditor = (path: string) => http().get(path).set('Authorization', `Bearer ${token}`);
const configuration = async (uid: string) => {
  const res = await asEditor(`/content-manager/content-types/${uid}/configuration`);
  expect(res.status).toBe(200);
  return res.body.data.contentType as {
    settings: { mainField: string; defaultSortBy: string; defaultSortOrder: string };
    layouts: { list: string[]; edit: Array<Array<{ name: string }>> };
    metadatas: Record<
      string,
      { edit: { editable?: boolean; visible?: boolean; mainField?: string; label?: string }; list: { mainField?: string } }
    >;
  };
};
const labelOf = async (id: number) =>
  ((await app.strapi.db.query(PERFORMANCE).findOne({ where: { id }, select: ['label'] })) as { label: string }).label;

beforeAll(async () => {
  app = await startApp({ env: { BOOKING_TIMEZONE: 'Europe/Rome' } });
  token = (await createAdmin(app.strapi)).token;
});
afterAll(async () => {
  await app?.stop();
});

describe('the Content Manager configuration set at boot', () => {
  test('a performance reads as its label, lists start, show, venue and booking, sorted by start', async () => {
    const conf = await configuration(PERFORMANCE);
    expect(conf.settings).toMatchObject({ mainField: 'label', defaultSortBy: 'starts_at', defaultSortOrder: 'ASC' });
    expect(conf.layouts.list).toEqual(['starts_at', 'show', 'venue', 'is_booking_enabled']);
    expect(conf.metadatas.show.list.mainField).toBe('title');
    expect(conf.metadatas.venue.list.mainField).toBe('name');
    expect(conf.metadatas.label.edit.visible).toBe(false);
    expect(conf.metadatas.starts_at.edit.label).toBe('Starts at');
  });

  test('a reservation lists reference, name, performance, party, status and creation, newest first', async () => {
    const conf = await configuration(RESERVATION);
    expect(conf.settings).toMatchObject({ mainField: 'label', defaultSortBy: 'createdAt', defaultSortOrder: 'DESC' });
    expect(conf.layouts.list).toEqual(['reference', 'name', 'performance', 'party_size', 'reservation_status', 'createdAt']);
    expect(conf.metadatas.performance.list.mainField).toBe('label');
    const editable = Object.entries(conf.metadatas)
      .filter(([, meta]) => meta.edit.editable !== false && meta.edit.visible !== false)
      .map(([field]) => field)
      .filter((field) => conf.layouts.edit.flat().some((cell) => cell.name === field))
      .sort();
    expect(editable).toEqual(['email', 'name', 'notes', 'phone']);
    expect(conf.layouts.edit.flat().map((cell) => cell.name)).not.toContain('tokens');
  });

  test('check-ins, scans and outgoing e-mails read as their labels, newest first', async () => {
    for (const [uid, sortBy] of [
      ['plugin::booking.check-in', 'checked_in_at'],
      ['plugin::booking.scan', 'scanned_at'],
      ['plugin::booking.outbox-message', 'createdAt'],
    ] as const) {
      const conf = await configuration(uid);
      expect(conf.settings).toMatchObject({ mainField: 'label', defaultSortBy: sortBy, defaultSortOrder: 'DESC' });
    }
  });

  test('the performances list answers in start order with labels, whatever order they were made in', async () => {
    const later = await createPerformance(app.strapi, { startsInHours: 300 });
    const sooner = await createPerformance(app.strapi, { startsInHours: 200 });
    const res = await asEditor(`/content-manager/collection-types/${PERFORMANCE}?page=1&pageSize=100&sort=starts_at:ASC`);
    expect(res.status).toBe(200);
    const ids = res.body.results.map((row: { id: number }) => row.id);
    expect(ids.indexOf(sooner.id)).toBeLessThan(ids.indexOf(later.id));
    const row = res.body.results.find((r: { id: number }) => r.id === sooner.id);
    expect(row.label).toMatch(/^Spettacolo .+ · \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} · Teatro .+$/);
  });

  test("the reservations list filters by status and by performance, as the list's Filters button asks", async () => {
    const first = await createPerformance(app.strapi, { room_capacity: 10 });
    const second = await createPerformance(app.strapi, { room_capacity: 10 });
    const a = await confirmedReservation(app.strapi, first.documentId, 1);
    await confirmedReservation(app.strapi, second.documentId, 2);
    const pending = await service(app.strapi, 'reservations').createReservation({
      performance: first.documentId,
      name: 'Pia Neri',
      email: 'pia.neri@example.test',
      party_size: 3,
    });
    if (!pending.ok) throw new Error(pending.code);
    const list = async (filters: string) => {
      const res = await asEditor(`/content-manager/collection-types/${RESERVATION}?page=1&pageSize=100&${filters}`);
      expect(res.status).toBe(200);
      return (res.body.results as Array<{ reference: string }>).map((row) => row.reference).sort();
    };
    const ofFirst = 'filters[$and][0][performance][documentId][$eq]=' + first.documentId;
    expect(await list(ofFirst)).toEqual([a.reservation.reference, pending.reservation.reference].sort());
    expect(await list(`${ofFirst}&filters[$and][1][reservation_status][$eq]=confirmed`)).toEqual([a.reservation.reference]);
    expect(await list(`${ofFirst}&filters[$and][1][reservation_status][$eq]=pending`)).toEqual([pending.reservation.reference]);
  });
});

describe('what the editor walk asked for (issue 19)', () => {
  test("a show's form holds its duration (the calendar event's length); a venue's its usual capacity", async () => {
    const show = await configuration(SHOW);
    expect(show.layouts.edit.flat().map((cell) => cell.name)).toContain('duration_minutes');
    expect(show.metadatas.duration_minutes.edit).toMatchObject({ label: 'Duration (minutes)', visible: true });
    const venue = await configuration(VENUE);
    expect(venue.layouts.edit.flat().map((cell) => cell.name)).toContain('default_capacity');
  });

  test('the waiting list lists its status; a reservation shows its access needs in words, not in a JSON editor', async () => {
    const waiting = await configuration('plugin::booking.waitlist-entry');
    expect(waiting.layouts.list).toEqual(['reference', 'name', 'performance', 'party_size', 'waitlist_status', 'joined_at']);
    expect(waiting.settings).toMatchObject({ mainField: 'label', defaultSortBy: 'joined_at', defaultSortOrder: 'ASC' });
    const reservation = await configuration(RESERVATION);
    expect(reservation.metadatas.access_needs.edit.visible).toBe(false);
    expect(reservation.layouts.edit.flat().map((cell) => cell.name)).not.toContain('access_needs');
  });

  test("a new performance without room_capacity gets its venue's default_capacity, on both write paths; one given stays; no default is 0", async () => {
    const venue = (await app.strapi.db.query(VENUE).create({
      data: { name: 'Sala Default', slug: `sala-default-${Date.now()}`, default_capacity: 90 },
    })) as { id: number; documentId: string };
    const bare = (await app.strapi.db.query(VENUE).create({ data: { name: 'Sala Nuda', slug: `sala-nuda-${Date.now()}` } })) as {
      id: number;
      documentId: string;
    };
    const show = (await app.strapi.db.query(SHOW).create({ data: { title: 'Capienza', slug: `capienza-${Date.now()}` } })) as {
      id: number;
      documentId: string;
    };
    const startsAt = new Date(Date.now() + 30 * 24 * 3600_000).toISOString();
    const capacityOf = async (documentId: string) =>
      ((await app.strapi.db.query(PERFORMANCE).findOne({ where: { documentId }, select: ['room_capacity'] })) as { room_capacity: number })
        .room_capacity;

    // The Query Engine (plugin code, scripts): the venue by id.
    const byQuery = (await app.strapi.db.query(PERFORMANCE).create({ data: { show: show.id, venue: venue.id, starts_at: startsAt } })) as {
      documentId: string;
    };
    expect(await capacityOf(byQuery.documentId)).toBe(90);
    // The Content Manager's API (the Document Service): the venue connected by documentId, no room_capacity sent.
    const create = (body: Record<string, unknown>) =>
      http().post(`/content-manager/collection-types/${PERFORMANCE}`).set('Authorization', `Bearer ${token}`).send(body);
    const byEditor = await create({
      show: { connect: [{ documentId: show.documentId }] },
      venue: { connect: [{ documentId: venue.documentId }] },
      starts_at: startsAt,
    });
    expect(byEditor.status).toBe(201);
    expect(await capacityOf(byEditor.body.data.documentId)).toBe(90);
    // Given, it stays as given (0 included).
    const given = await create({
      show: { connect: [{ documentId: show.documentId }] },
      venue: { connect: [{ documentId: venue.documentId }] },
      starts_at: startsAt,
      room_capacity: 0,
    });
    expect(given.status).toBe(201);
    expect(await capacityOf(given.body.data.documentId)).toBe(0);
    // A venue without a usual capacity: 0, as before.
    const none = await create({
      show: { connect: [{ documentId: show.documentId }] },
      venue: { connect: [{ documentId: bare.documentId }] },
      starts_at: startsAt,
    });
    expect(none.status).toBe(201);
    expect(await capacityOf(none.body.data.documentId)).toBe(0);
    // Editing a performance later leaves its capacity alone.
    const edited = await http()
      .put(`/content-manager/collection-types/${PERFORMANCE}/${byEditor.body.data.documentId}`)
      .set('Authorization', `Bearer ${token}`)
      .send({ is_booking_enabled: false });
    expect(edited.status).toBe(200);
    expect(await capacityOf(byEditor.body.data.documentId)).toBe(90);
  });
});

describe('labels kept current', () => {
  test('a performance label follows its time (Query Engine), its show and its venue (Content Manager)', async () => {
    const perf = await createPerformance(app.strapi);
    await app.strapi.db.query(PERFORMANCE).update({
      where: { id: perf.id },
      data: { starts_at: new Date('2026-12-12T20:00:00.000Z') },
    });
    expect(await labelOf(perf.id)).toMatch(/ · 12\/12\/2026 21:00 · /);

    const full = await app.strapi.db.query(PERFORMANCE).findOne({ where: { id: perf.id }, populate: { show: true, venue: true } });
    const show = await http()
      .put(`/content-manager/collection-types/${SHOW}/${full.show.documentId}`)
      .set('Authorization', `Bearer ${token}`)
      .send({ title: 'Amleto' });
    expect(show.status).toBe(200);
    const venue = await http()
      .put(`/content-manager/collection-types/${VENUE}/${full.venue.documentId}`)
      .set('Authorization', `Bearer ${token}`)
      .send({ name: 'Sala Grande' });
    expect(venue.status).toBe(200);
    expect(await labelOf(perf.id)).toBe('Amleto · 12/12/2026 21:00 · Sala Grande');
  });

  test('a reservation reads as its reference and name, also after an editor corrects the name', async () => {
    const perf = await createPerformance(app.strapi);
    const { reservation } = await confirmedReservation(app.strapi, perf.documentId, 2);
    const before = await app.strapi.db.query(RESERVATION).findOne({ where: { id: reservation.id } });
    expect(before.label).toBe(`${before.reference} · ${before.name}`);
    const res = await http()
      .put(`/content-manager/collection-types/${RESERVATION}/${reservation.documentId}`)
      .set('Authorization', `Bearer ${token}`)
      .send({ name: 'Giulia Verdi' });
    expect(res.status).toBe(200);
    const after = await app.strapi.db.query(RESERVATION).findOne({ where: { id: reservation.id } });
    expect(after.label).toBe(`${before.reference} · Giulia Verdi`);
  });

  test('rows without a label get one at boot', async () => {
    const perf = await createPerformance(app.strapi);
    const table = app.strapi.db.metadata.get(PERFORMANCE).tableName;
    await app.strapi.db.connection(table).where({ id: perf.id }).update({ label: null });
    await app.strapi.plugin('booking').service('labels').backfill();
    expect(await labelOf(perf.id)).toMatch(/^Spettacolo .+ · Teatro .+$/);
  });
});

describe('no button for what the server refuses', () => {
  test("the editor's permissions hold no create or delete of reservations, nor writes of system records", async () => {
    const res = await asEditor('/admin/users/me/permissions');
    expect(res.status).toBe(200);
    const held = (res.body.data as Array<{ action: string; subject: string | null }>).map((p) => `${p.action} ${p.subject}`);
    expect(held).toContain(`plugin::content-manager.explorer.update ${RESERVATION}`);
    expect(held).toContain(`plugin::content-manager.explorer.create ${PERFORMANCE}`);
    for (const forbidden of [
      `plugin::content-manager.explorer.create ${RESERVATION}`,
      `plugin::content-manager.explorer.delete ${RESERVATION}`,
      'plugin::content-manager.explorer.create plugin::booking.check-in',
      'plugin::content-manager.explorer.update plugin::booking.scan',
      'plugin::content-manager.explorer.delete plugin::booking.outbox-message',
    ]) {
      expect(held).not.toContain(forbidden);
    }
  });

  test('deleting a reservation through the Content Manager API is refused', async () => {
    const perf = await createPerformance(app.strapi);
    const { reservation } = await confirmedReservation(app.strapi, perf.documentId, 1);
    const res = await http()
      .delete(`/content-manager/collection-types/${RESERVATION}/${reservation.documentId}`)
      .set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(403);
    expect(await app.strapi.db.query(RESERVATION).count({ where: { id: reservation.id } })).toBe(1);
  });
});

describe("server messages in the editor's language", () => {
  const lowerCapacity = async (authToken: string, language?: string) => {
    const perf = await createPerformance(app.strapi, { room_capacity: 10 });
    await confirmedReservation(app.strapi, perf.documentId, 5);
    const put = http()
      .put(`/content-manager/collection-types/${PERFORMANCE}/${perf.documentId}`)
      .set('Authorization', `Bearer ${authToken}`);
    const res = await (language ? put.set('Accept-Language', language) : put).send({ room_capacity: 2 });
    expect(res.status).toBe(400);
    expect(res.body.error.details.code).toBe('capacity_below_confirmed');
    return res.body.error.message as string;
  };

  test('Accept-Language picks English or Italian, never both in one string', async () => {
    const english = await lowerCapacity(token, 'en-GB,en;q=0.9');
    expect(english).toContain('5 are already confirmed');
    expect(english).not.toContain('confermati');
    const italian = await lowerCapacity(token, 'fr-FR, it;q=0.8, en;q=0.5');
    expect(italian).toContain('5 sono già confermati');
    expect(italian).not.toContain('confirmed');
  });

  test("the admin user's own language wins over the browser's", async () => {
    const editor = await createAdmin(app.strapi, { firstname: 'Jane' });
    await app.strapi.db.query('admin::user').update({ where: { id: editor.id }, data: { preferedLanguage: 'en' } });
    const message = await lowerCapacity(editor.token, 'it-IT');
    expect(message).toContain('already confirmed');
  });
});
