/**
 * Show and venue texts in English (docs/api.md, "Show and venue texts in English"): Strapi's
 * i18n with `it` the default locale and `en` a copy of the texts. An Editor writes both versions
 * in the Content Manager; the public routes answer `?lang=en` with the English text where it
 * exists, the Italian otherwise, every show once; performances stay linked to the Italian row;
 * a database made before the texts were localized keeps its shows, venues, performances and
 * reservations, all labelled `it`.
 */
import request from 'supertest';
import { service, startApp, type TestApp } from './support/app';
import { createAdmin } from './support/admin';
import { confirmedReservation, createPerformance, type PerformanceFixture } from './support/factories';

const SHOW = 'plugin::booking.show';
const VENUE = 'plugin::booking.venue';
const PERFORMANCE = 'plugin::booking.performance';

let app: TestApp;
const http = () => request(app.strapi.server.httpServer);
const cm = (uid: string, documentId: string, locale: string) => `/content-manager/collection-types/${uid}/${documentId}?locale=${locale}`;

const documentOf = async (uid: string, slug: string) =>
  ((await app.strapi.db.query(uid).findOne({ where: { slug, locale: 'it' }, select: ['documentId'] })) as { documentId: string })
    .documentId;

/** How many link rows tie performances to shows (one per performance, whatever copies a show has). */
const showLinks = async (performanceId: number) => {
  const joinTable = (
    app.strapi.db.metadata.get(PERFORMANCE).attributes.show as unknown as {
      joinTable: { name: string; joinColumn: { name: string } };
    }
  ).joinTable;
  const rows = await app.strapi.db.connection(joinTable.name).where(joinTable.joinColumn.name, performanceId).count({ n: '*' });
  return Number((rows[0] as { n: number | string }).n);
};

afterAll(async () => {
  await app?.stop();
});

describe('a database made before the texts were localized', () => {
  let fixture: PerformanceFixture;
  let reference: string;

  beforeAll(async () => {
    const first = await startApp();
    fixture = await createPerformance(first.strapi);
    reference = (await confirmedReservation(first.strapi, fixture.documentId, 2)).reservation.reference;
    // Make it what the previous version left: shows and venues not localized (in the schema
    // Strapi remembers, and rows without locale), `en` the only and default locale, the Editor
    // role's permissions on them without locales.
    const store = first.strapi.store({ type: 'strapi', name: 'content_types' });
    const schema = (await store.get({ key: 'schema' })) as Record<string, { pluginOptions?: Record<string, unknown> }>;
    for (const uid of [SHOW, VENUE]) delete schema[uid].pluginOptions?.i18n;
    await store.set({ key: 'schema', value: schema });
    for (const uid of [SHOW, VENUE]) await first.strapi.db.query(uid).updateMany({ where: {}, data: { locale: null } });
    await first.strapi.db.query('plugin::i18n.locale').deleteMany({ where: { code: 'it' } });
    await first.strapi.store({ type: 'plugin', name: 'i18n' }).set({ key: 'default_locale', value: 'en' });
    const editor = (await first.strapi.db.query('admin::role').findOne({ where: { code: 'strapi-editor' } })) as { id: number };
    const granted = (await first.strapi.db.query('admin::permission').findMany({
      where: { role: { id: editor.id }, subject: { $in: [SHOW, VENUE] } },
      select: ['id', 'properties'],
    })) as Array<{ id: number; properties: Record<string, unknown> }>;
    for (const permission of granted) {
      const { locales: _dropped, ...rest } = permission.properties ?? {};
      void _dropped;
      await first.strapi.db.query('admin::permission').update({ where: { id: permission.id }, data: { properties: rest } });
    }
    await first.strapi.db.query('strapi::core-store').deleteMany({ where: { key: { $startsWith: 'plugin_booking_locales-granted' } } });
    expect(await first.strapi.db.query(SHOW).count({ where: { locale: 'it' } })).toBe(0);
    await first.stop({ keepDatabase: true });
    app = await startApp({ database: first.database });
  });

  test('its rows become Italian, `it` is the default, both locales exist', async () => {
    const strapi = app.strapi;
    expect(await strapi.store({ type: 'plugin', name: 'i18n' }).get({ key: 'default_locale' })).toBe('it');
    const codes = ((await strapi.db.query('plugin::i18n.locale').findMany({ select: ['code'] })) as Array<{ code: string }>).map(
      (row) => row.code
    );
    expect(codes.sort()).toEqual(['en', 'it']);
    for (const uid of [SHOW, VENUE]) {
      expect(await strapi.db.query(uid).count({ where: { locale: { $null: true } } })).toBe(0);
      expect(await strapi.db.query(uid).count({ where: { locale: { $ne: 'it' } } })).toBe(0);
    }
  });

  test('its performance keeps its show and venue, its reservation its performance; the public routes answer', async () => {
    const strapi = app.strapi;
    const performance = (await strapi.db.query(PERFORMANCE).findOne({
      where: { id: fixture.id },
      populate: { show: { select: ['slug', 'locale'] }, venue: { select: ['slug', 'locale'] } },
    })) as { show: { slug: string; locale: string }; venue: { slug: string; locale: string } };
    expect(performance.show).toEqual({ slug: fixture.showSlug, locale: 'it' });
    expect(performance.venue).toEqual({ slug: fixture.venueSlug, locale: 'it' });
    const reservation = (await strapi.db.query('plugin::booking.reservation').findOne({
      where: { reference },
      populate: { performance: { select: ['id'] } },
    })) as { performance: { id: number } };
    expect(reservation.performance.id).toBe(fixture.id);
    const show = await http().get(`/api/booking/shows/${fixture.showSlug}?lang=en`);
    expect(show.status).toBe(200);
    expect(show.body.data.performances.map((p: { documentId: string }) => p.documentId)).toEqual([fixture.documentId]);
    expect((await service(strapi, 'catalogue').performanceFacts(fixture.id))?.show?.title).toMatch(/^Spettacolo /);
  });

  test('the Editor role holds both locales on shows and venues: the Italian and the English text can be written', async () => {
    const editorPermissions = (await app.strapi.db.query('admin::permission').findMany({
      where: { role: { code: 'strapi-editor' }, subject: { $in: [SHOW, VENUE] } },
      select: ['action', 'properties'],
    })) as Array<{ action: string; properties: { locales?: string[] } }>;
    expect(editorPermissions.length).toBeGreaterThan(0);
    for (const permission of editorPermissions)
      expect([permission.action, [...(permission.properties.locales ?? [])].sort()]).toEqual([permission.action, ['en', 'it']]);

    const { token } = await createAdmin(app.strapi, { roleCode: 'strapi-editor' });
    const showId = await documentOf(SHOW, fixture.showSlug);
    const venueId = await documentOf(VENUE, fixture.venueSlug);
    const italian = await http()
      .put(cm(SHOW, showId, 'it'))
      .set('Authorization', `Bearer ${token}`)
      .send({ title: 'Il giardino dei ciliegi', summary: 'Čechov in una casa che si svuota.' });
    expect(italian.status).toBe(200);
    const english = await http()
      .put(cm(SHOW, showId, 'en'))
      .set('Authorization', `Bearer ${token}`)
      .send({ title: 'The Cherry Orchard', slug: fixture.showSlug, summary: 'Chekhov in a house being emptied.' });
    expect([english.status, english.body.data?.locale]).toEqual([200, 'en']);
    const venue = await http()
      .put(cm(VENUE, venueId, 'en'))
      .set('Authorization', `Bearer ${token}`)
      .send({ name: 'Studio Theatre', slug: fixture.venueSlug, city: 'Bologna (Italy)', default_capacity: 150 });
    expect(venue.status).toBe(200);
    // The usual capacity is no text: written on the English copy, the Italian row holds it too,
    // and a new performance at the venue (named by its document) starts from it.
    const venueRows = (await app.strapi.db.query(VENUE).findMany({
      where: { documentId: venueId },
      select: ['locale', 'name', 'default_capacity'],
      orderBy: { locale: 'desc' },
    })) as Array<{ locale: string; name: string; default_capacity: number | null }>;
    expect(venueRows.map((row) => [row.locale, row.default_capacity])).toEqual([
      ['it', 150],
      ['en', 150],
    ]);
    expect(venueRows[0].name).toMatch(/^Teatro /);
    const performance = await http()
      .post(`/content-manager/collection-types/${PERFORMANCE}`)
      .set('Authorization', `Bearer ${token}`)
      .send({
        show: { connect: [{ documentId: showId }] },
        venue: { connect: [{ documentId: venueId }] },
        starts_at: new Date(Date.now() + 40 * 24 * 3600_000).toISOString(),
      });
    expect([performance.status, performance.body.data?.room_capacity]).toEqual([201, 150]);
    // Read back as the editor sees them in the Content Manager.
    const readBack = await http()
      .get(cm(SHOW, showId, 'en'))
      .set('Authorization', `Bearer ${token}`);
    expect(readBack.body.data.title).toBe('The Cherry Orchard');
    expect(readBack.body.meta.availableLocales.map((l: { locale: string }) => l.locale)).toEqual(['it']);
    // The query-reach guard (middlewares/content-manager-reach.ts) lets the Editor follow a show's
    // `localizations`: its copies hold no visitor data.
    const withCopies = await http()
      .get(`/content-manager/collection-types/${SHOW}`)
      .query({ locale: 'it', 'filters[localizations][locale][$eq]': 'en', 'populate[localizations]': true })
      .set('Authorization', `Bearer ${token}`);
    expect(withCopies.status).toBe(200);
    expect(withCopies.body.results.map((r: { documentId: string }) => r.documentId)).toEqual([showId]);
    // The English copy is a row of its own, linked to no performance: the performance keeps one link.
    expect(await app.strapi.db.query(SHOW).count({ where: { documentId: showId } })).toBe(2);
    expect(await showLinks(fixture.id)).toBe(1);
  });

  test('?lang=en answers the English texts where they exist, the Italian otherwise; every show once', async () => {
    const other = await createPerformance(app.strapi);
    const en = await http().get(`/api/booking/shows/${fixture.showSlug}?lang=en`);
    expect(en.status).toBe(200);
    expect(en.body.data).toMatchObject({
      title: 'The Cherry Orchard',
      summary: 'Chekhov in a house being emptied.',
      slug: fixture.showSlug,
    });
    expect(en.body.data.performances[0].venue).toMatchObject({ name: 'Studio Theatre', city: 'Bologna (Italy)', address: 'Via Roma 1' });
    const it = await http().get(`/api/booking/shows/${fixture.showSlug}`);
    expect(it.body.data).toMatchObject({ title: 'Il giardino dei ciliegi', summary: 'Čechov in una casa che si svuota.' });
    expect(it.body.data.performances[0].venue.name).toMatch(/^Teatro /);
    expect((await http().get(`/api/booking/shows/${fixture.showSlug}?lang=it`)).body.data.title).toBe('Il giardino dei ciliegi');
    // No English copy: the Italian text.
    const untranslated = await http().get(`/api/booking/shows/${other.showSlug}?lang=en`);
    expect(untranslated.body.data.title).toMatch(/^Spettacolo /);

    const list = await http().get('/api/booking/shows?lang=en&pageSize=100');
    expect(list.status).toBe(200);
    const slugs = list.body.data.map((s: { slug: string }) => s.slug).sort();
    expect(slugs).toEqual([fixture.showSlug, other.showSlug].sort());
    expect(list.body.meta.pagination.total).toBe(2);
    expect(list.body.data.find((s: { slug: string }) => s.slug === fixture.showSlug).title).toBe('The Cherry Orchard');
    expect((await http().get('/api/booking/shows?lang=it')).body.data.map((s: { title: string }) => s.title)).toContain(
      'Il giardino dei ciliegi'
    );
    const bad = await http().get('/api/booking/shows?lang=fr');
    expect([bad.status, bad.body.error.details.code]).toEqual([400, 'invalid_query']);

    const performance = await http().get(`/api/booking/performances/${fixture.documentId}?lang=en`);
    expect(performance.body.data.show).toEqual({ title: 'The Cherry Orchard', slug: fixture.showSlug });
    expect(performance.body.data.venue.name).toBe('Studio Theatre');
    expect((await http().get(`/api/booking/performances/${fixture.documentId}`)).body.data.show.title).toBe('Il giardino dei ciliegi');
    const venue = await http().get(`/api/booking/venues/${fixture.venueSlug}?lang=en`);
    expect(venue.body.data).toEqual({ name: 'Studio Theatre', slug: fixture.venueSlug, address: 'Via Roma 1', city: 'Bologna (Italy)' });
    expect((await http().get(`/api/booking/venues/${fixture.venueSlug}`)).body.data.name).toMatch(/^Teatro /);
  });

  test("the door and the mails: Italian facts for the door, the English texts for an English visitor's mail", async () => {
    const catalogue = service(app.strapi, 'catalogue');
    const italian = await catalogue.performanceFacts(fixture.id);
    const english = await catalogue.performanceFacts(fixture.id, 'en');
    expect(italian?.show?.title).toBe('Il giardino dei ciliegi');
    expect(italian?.venue?.name).toMatch(/^Teatro /);
    expect(english?.show).toMatchObject({ title: 'The Cherry Orchard', slug: fixture.showSlug });
    expect(english?.venue).toEqual({ name: 'Studio Theatre', address: 'Via Roma 1', city: 'Bologna (Italy)' });
  });
});

describe('performances stay linked to the Italian rows', () => {
  test('a performance given an English copy as its show or venue, on either side of the relation, is linked to the Italian row', async () => {
    const fixture = await createPerformance(app.strapi);
    const strapi = app.strapi;
    const showId = await documentOf(SHOW, fixture.showSlug);
    const venueId = await documentOf(VENUE, fixture.venueSlug);
    const { token } = await createAdmin(strapi, { roleCode: 'strapi-editor' });
    expect(
      (
        await http()
          .put(cm(SHOW, showId, 'en'))
          .set('Authorization', `Bearer ${token}`)
          .send({ title: 'A Rehearsal', slug: 'a-rehearsal' })
      ).status
    ).toBe(200);
    expect(
      (
        await http()
          .put(cm(VENUE, venueId, 'en'))
          .set('Authorization', `Bearer ${token}`)
          .send({ name: 'A Theatre', slug: 'a-theatre' })
      ).status
    ).toBe(200);
    const copy = async (uid: string, documentId: string) =>
      ((await strapi.db.query(uid).findOne({ where: { documentId, locale: 'en' }, select: ['id'] })) as { id: number }).id;
    const base = async (uid: string, documentId: string) =>
      ((await strapi.db.query(uid).findOne({ where: { documentId, locale: 'it' }, select: ['id'] })) as { id: number }).id;
    const linked = async () =>
      (await strapi.db.query(PERFORMANCE).findOne({
        where: { id: fixture.id },
        select: ['id', 'label'],
        populate: { show: { select: ['id'] }, venue: { select: ['id'] } },
      })) as { id: number; label: string; show: { id: number }; venue: { id: number } };

    // The performance's side, through the Content Manager: the picker offers both copies.
    const edited = await http()
      .put(`/content-manager/collection-types/${PERFORMANCE}/${fixture.documentId}`)
      .set('Authorization', `Bearer ${token}`)
      .send({
        show: { connect: [{ documentId: showId, locale: 'en' }] },
        venue: { connect: [{ documentId: venueId, locale: 'en' }] },
      });
    expect(edited.status).toBe(200);
    expect(await linked()).toEqual({
      id: fixture.id,
      // The Content Manager's label names the Italian show and venue.
      label: expect.stringMatching(/^Spettacolo .* · Teatro /),
      show: { id: await base(SHOW, showId) },
      venue: { id: await base(VENUE, venueId) },
    });
    // The copy's side, through the Query Engine.
    await strapi.db.query(SHOW).update({ where: { id: await copy(SHOW, showId) }, data: { performances: [fixture.id] } });
    expect((await linked()).show.id).toBe(await base(SHOW, showId));
    expect(await showLinks(fixture.id)).toBe(1);
    const page = await http().get(`/api/booking/shows/${fixture.showSlug}?lang=en`);
    expect([page.body.data.title, page.body.data.performances.map((p: { documentId: string }) => p.documentId)]).toEqual([
      'A Rehearsal',
      [fixture.documentId],
    ]);
  });
});
