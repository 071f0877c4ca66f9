'use strict';
/**
 * Bench fixtures, written fast with plain SQL through a Strapi instance's own connection and
 * metadata (table names, link tables): performances, thousands of reservations with their raw
 * tokens (only the hashes are stored, as the app does), and a Door staff user.
 */
const { createHash, randomBytes } = require('node:crypto');
const path = require('node:path');
const { createStrapi } = require('@strapi/strapi');

const root = path.join(__dirname, '..');
const pluginDist = path.join(root, 'dist/src/plugins/booking/server/src');
const hash = (raw) => createHash('sha256').update(raw).digest('hex');
const docId = () => randomBytes(12).toString('hex');
const idOf = (row) => (typeof row === 'object' ? Number(row.id) : Number(row));

const loadApp = async () => {
  const app = createStrapi({ appDir: root, distDir: path.join(root, 'dist') });
  app.log.level = 'error';
  await app.load();
  return app;
};

const tablesOf = (app) => {
  const meta = (uid) => app.db.metadata.get(uid);
  const join = (uid, attr) => {
    const jt = meta(uid).attributes[attr].joinTable;
    return { table: jt.name, from: jt.joinColumn.name, to: jt.inverseJoinColumn.name };
  };
  return {
    shows: meta('plugin::booking.show').tableName,
    venues: meta('plugin::booking.venue').tableName,
    performances: meta('plugin::booking.performance').tableName,
    reservations: meta('plugin::booking.reservation').tableName,
    tokens: meta('plugin::booking.reservation-token').tableName,
    perfShow: join('plugin::booking.performance', 'show'),
    perfVenue: join('plugin::booking.performance', 'venue'),
    resPerf: join('plugin::booking.reservation', 'performance'),
    tokRes: join('plugin::booking.reservation-token', 'reservation'),
  };
};

let referenceCounter = 0;
const nextReference = (prefix) => `${prefix}${(referenceCounter++).toString(36).toUpperCase().padStart(7, '0')}`;

/**
 * Creates a show, a venue and one performance; returns { id, documentId, showSlug }. Shows and
 * venues are localized (i18n): the Italian version is the one the public routes read, so
 * without `locale` the show page would be a 404 and the bench would time the not-found answer.
 */
const createPerformance = async (knex, t, { capacity, startsInMinutes }) => {
  const now = new Date();
  const sys = () => ({ document_id: docId(), created_at: now, updated_at: now, published_at: now });
  const key = randomBytes(4).toString('hex');
  const [venue] = await knex(t.venues)
    .insert({ ...sys(), locale: 'it', name: `Teatro ${key}`, slug: `teatro-${key}`, address: 'Via Roma 1', city: 'Bologna' })
    .returning('id');
  const [show] = await knex(t.shows)
    .insert({ ...sys(), locale: 'it', title: `Spettacolo ${key}`, slug: `spettacolo-${key}`, summary: 'Bench', is_published: true })
    .returning('id');
  const perfRow = {
    ...sys(),
    starts_at: new Date(Date.now() + startsInMinutes * 60_000),
    room_capacity: capacity,
    additional_seats: 0,
    manually_occupied_seats: 0,
    is_booking_enabled: true,
  };
  const [perf] = await knex(t.performances).insert(perfRow).returning('id');
  await knex(t.perfShow.table).insert({ [t.perfShow.from]: idOf(perf), [t.perfShow.to]: idOf(show) });
  await knex(t.perfVenue.table).insert({ [t.perfVenue.from]: idOf(perf), [t.perfVenue.to]: idOf(venue) });
  await knex('booking_performance_seats')
    .insert({ performance_id: idOf(perf), confirmed_seats: 0 })
    .onConflict('performance_id')
    .ignore();
  return { id: idOf(perf), documentId: perfRow.document_id, showSlug: `spettacolo-${key}` };
};

/**
 * Adds `count` one-seat reservations of a status to a performance, with a token of `purpose`
 * each when asked; returns the raw tokens. A check-in token carries its sealed door record, as
 * the app seals it at issue (the compiled `utils/door-seal`). `stampedAt`: the time the rows say
 * they were written (default now).
 */
const addReservations = async (knex, t, performanceId, count, { status, purpose, tokenExpires, stampedAt }) => {
  const now = stampedAt ?? new Date();
  const { sealDoorRecord } = require(path.join(pluginDist, 'utils/door-seal'));
  const { holderOf } = require(path.join(pluginDist, 'utils/holder'));
  const { emailKeys } = require(path.join(pluginDist, 'utils/email-keys'));
  const { reservationLabel } = require(path.join(pluginDist, 'utils/reservation-label'));
  const raws = [];
  for (let offset = 0; offset < count; offset += 1000) {
    const size = Math.min(1000, count - offset);
    // Whole rows, as the app writes them: with their label and the stored forms of the address
    // (else every start backfills them, and the bench's restart timed that).
    const rows = Array.from({ length: size }, (_, i) => {
      const reference = nextReference('B');
      const name = `Spettatore ${offset + i}`;
      const email = `bench${offset + i}@example.test`;
      return {
        document_id: docId(),
        created_at: now,
        updated_at: now,
        published_at: now,
        reference,
        label: reservationLabel(reference, name),
        reservation_status: status,
        name,
        email,
        ...emailKeys(email),
        party_size: 1,
        language: 'it',
        confirm_by: new Date(Date.now() + 3600_000),
        confirmed_at: status === 'confirmed' ? now : null,
      };
    });
    const ids = (await knex(t.reservations).insert(rows).returning('id')).map(idOf);
    await knex(t.resPerf.table).insert(ids.map((id) => ({ [t.resPerf.from]: id, [t.resPerf.to]: performanceId })));
    if (purpose) {
      const batch = ids.map(() => randomBytes(32).toString('base64url'));
      const sealed = (raw, i) =>
        purpose === 'check_in'
          ? sealDoorRecord(raw, { reference: rows[i].reference, holder: holderOf(rows[i].name), access_needs: [] })
          : null;
      raws.push(...batch);
      const tokenIds = (
        await knex(t.tokens)
          .insert(
            batch.map((raw, i) => ({
              document_id: docId(),
              created_at: now,
              updated_at: now,
              published_at: now,
              purpose,
              token_hash: hash(raw),
              expires_at: tokenExpires,
              door_sealed: sealed(raw, i),
            }))
          )
          .returning('id')
      ).map(idOf);
      await knex(t.tokRes.table).insert(tokenIds.map((tokenId, i) => ({ [t.tokRes.from]: tokenId, [t.tokRes.to]: ids[i] })));
    }
  }
  if (status === 'confirmed') {
    await knex('booking_performance_seats').where('performance_id', performanceId).increment('confirmed_seats', count);
  }
  return raws;
};

module.exports = { loadApp, tablesOf, createPerformance, addReservations };
