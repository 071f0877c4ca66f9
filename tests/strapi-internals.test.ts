/**
 * The plugin's raw SQL writes rows and relation links that Strapi would otherwise write itself
 * (data/strapi-internals.ts). This test pins what it relies on, read from the database Strapi's
 * schema sync made: if a Strapi upgrade renames a link table or column, adds a required column,
 * or stops keeping documentId and timestamps, it fails here rather than in production.
 */
import { bookingTables, systemColumns } from '../src/plugins/booking/server/src/data/strapi-internals';
import { startApp, type TestApp } from './support/app';

let app: TestApp;

beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

/** Every column of a table, with whether it may be left out of an INSERT. */
const columnsOf = async (table: string) => {
  const rows = (await app.strapi.db
    .connection('information_schema.columns')
    .where({ table_schema: 'public', table_name: table })
    .select('column_name', 'is_nullable', 'column_default')) as Array<{
    column_name: string;
    is_nullable: string;
    column_default: string | null;
  }>;
  return {
    all: rows.map((row) => row.column_name).sort(),
    required: rows
      .filter((row) => row.is_nullable === 'NO' && row.column_default === null)
      .map((row) => row.column_name)
      .sort(),
  };
};

test('the tables and link tables are named as the raw SQL expects', () => {
  const t = bookingTables(app.strapi);
  expect(t).toMatchObject({
    performances: 'booking_performances',
    reservations: 'booking_reservations',
    tokens: 'booking_reservation_tokens',
    checkIns: 'booking_check_ins',
    scans: 'booking_scans',
    outbox: 'booking_outbox_messages',
    webhooks: 'booking_webhooks',
    webhookDeliveries: 'booking_webhook_deliveries',
    shows: 'booking_shows',
    venues: 'booking_venues',
    adminUsers: 'admin_users',
    reservationPerformance: { table: 'booking_reservations_performance_lnk', reservation: 'reservation_id', performance: 'performance_id' },
    checkInReservation: { table: 'booking_check_ins_reservation_lnk', checkIn: 'check_in_id', reservation: 'reservation_id' },
    tokenReservation: { table: 'booking_reservation_tokens_reservation_lnk', token: 'reservation_token_id', reservation: 'reservation_id' },
    outboxReservation: { table: 'booking_outbox_messages_reservation_lnk', message: 'outbox_message_id', reservation: 'reservation_id' },
    performanceShow: { table: 'booking_performances_show_lnk', performance: 'performance_id', show: 'show_id' },
    performanceVenue: { table: 'booking_performances_venue_lnk', from: 'performance_id', to: 'venue_id' },
    checkInStaff: { table: 'booking_check_ins_checked_in_by_lnk', from: 'check_in_id', to: 'user_id' },
    scanPerformance: { table: 'booking_scans_performance_lnk', from: 'scan_id', to: 'performance_id' },
    scanReservation: { table: 'booking_scans_reservation_lnk', from: 'scan_id', to: 'reservation_id' },
    scanStaff: { table: 'booking_scans_scanned_by_lnk', from: 'scan_id', to: 'user_id' },
  });
});

test.each([
  ['booking_reservation_tokens', ['purpose', 'token_hash', 'expires_at']],
  ['booking_check_ins', ['label', 'checked_in_at', 'source']],
  ['booking_scans', ['label', 'result', 'scanned_at', 'source', 'idempotency_key', 'response']],
  ['booking_outbox_messages', ['label', 'kind', 'delivery_status', 'attempts', 'next_attempt_at']],
  [
    'booking_webhook_deliveries',
    [
      'label',
      'webhook_entry',
      'event_type',
      'message_id',
      'reference',
      'performance',
      'party_size',
      'reservation_status',
      'occurred_at',
      'delivery_status',
      'attempts',
      'next_attempt_at',
    ],
  ],
])('the raw INSERT into %s fills every column Strapi requires, and Strapi keeps the system columns', async (table, written) => {
  const columns = await columnsOf(table);
  const system = Object.keys(systemColumns(new Date()));
  // Strapi's own columns on every row: documentId, timestamps, publication (always set, no drafts).
  expect(columns.all).toEqual(expect.arrayContaining(system));
  // Nothing required that the raw INSERT leaves out (only the id has a default).
  for (const column of columns.required) expect([...system, ...written]).toContain(column);
  for (const column of written) expect(columns.all).toContain(column);
});

test('the link tables hold the two columns the raw SQL writes, and need nothing else', async () => {
  const t = bookingTables(app.strapi);
  const links: Array<[string, string, string]> = [
    [t.tokenReservation.table, t.tokenReservation.token, t.tokenReservation.reservation],
    [t.checkInReservation.table, t.checkInReservation.checkIn, t.checkInReservation.reservation],
    [t.outboxReservation.table, t.outboxReservation.message, t.outboxReservation.reservation],
    [t.checkInStaff.table, t.checkInStaff.from, t.checkInStaff.to],
    [t.scanPerformance.table, t.scanPerformance.from, t.scanPerformance.to],
    [t.scanReservation.table, t.scanReservation.from, t.scanReservation.to],
    [t.scanStaff.table, t.scanStaff.from, t.scanStaff.to],
  ];
  for (const [table, from, to] of links) {
    const columns = await columnsOf(table);
    expect(columns.all).toEqual(expect.arrayContaining(['id', from, to]));
    expect(columns.required.filter((column) => column !== from && column !== to)).toEqual([]);
  }
});

test("a documentId made by the plugin looks like Strapi's own", async () => {
  const made = (await app.strapi.db.query('plugin::booking.show').create({ data: { title: 'Prova', slug: `prova-${Date.now()}` } })) as {
    documentId: string;
  };
  const ours = systemColumns(new Date()).document_id;
  expect(ours).toMatch(/^[a-z0-9]{24}$/);
  expect(made.documentId).toMatch(/^[a-z0-9]{24}$/);
});
