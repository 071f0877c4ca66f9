/**
 * A reservation's links (its performance, its tokens, its check-in) cannot be changed, through
 * the Content Manager API or the Query Engine: moving a confirmed reservation to another
 * performance would leave its seats counted on the old one and let the new one be overbooked.
 * Each link is one-way (no `performance.reservations`, `reservation.tokens` or
 * `reservation.check_in`: hidden inverse sides could be populated by any role), so a write naming
 * one of those sides changes nothing; a write on the owning side is refused. Each refused edit
 * changes nothing: counters, recount(), links, tickets.
 */
import request from 'supertest';
import { service, startApp, type TestApp } from './support/app';
import { createAdmin } from './support/admin';
import { confirmedReservation, createPerformance, type PerformanceFixture } from './support/factories';
import { tokensOf } from './support/invariants';

const UID = {
  performance: 'plugin::booking.performance',
  reservation: 'plugin::booking.reservation',
  token: 'plugin::booking.reservation-token',
  checkIn: 'plugin::booking.check-in',
} as const;
const cm = (uid: string, documentId: string) => `/content-manager/collection-types/${uid}/${documentId}`;

let app: TestApp;
let token: string;
let from: PerformanceFixture;
let to: PerformanceFixture;
let reservation: { id: number; documentId: string };
let checkInDocumentId: string;

const put = (uid: string, documentId: string, data: Record<string, unknown>) =>
  request(app.strapi.server.httpServer).put(cm(uid, documentId)).set('Authorization', `Bearer ${token}`).send(data);

/** Everything a moved reservation would change: the seat counters, the links, the tokens. */
const snapshot = async () => {
  const seats = await service(app.strapi, 'availability').forPerformances([from.id, to.id]);
  const confirmedSeats = (id: number) => {
    const counts = seats.get(id);
    if (!counts) throw new Error(`no performance ${id}`);
    return counts.confirmedSeats;
  };
  const row = (await app.strapi.db.query(UID.reservation).findOne({
    where: { id: reservation.id },
    populate: { performance: { select: ['id'] } },
  })) as { reservation_status: string; performance: { id: number } | null };
  const checkIn = (await app.strapi.db.query(UID.checkIn).findOne({ where: { reservation: { id: reservation.id } }, select: ['id'] })) as {
    id: number;
  } | null;
  return {
    confirmedFrom: confirmedSeats(from.id),
    confirmedTo: confirmedSeats(to.id),
    status: row.reservation_status,
    performance: row.performance?.id ?? null,
    tokens: ((await tokensOf(app.strapi, [reservation.id])).get(reservation.id) ?? []).map((t) => t.token_hash).sort(),
    checkIn: checkIn?.id ?? null,
  };
};

beforeAll(async () => {
  app = await startApp();
  token = (await createAdmin(app.strapi)).token;
  from = await createPerformance(app.strapi, { room_capacity: 10, startsInHours: 1 });
  to = await createPerformance(app.strapi, { room_capacity: 1 });
  const confirmed = await confirmedReservation(app.strapi, from.documentId, 1);
  reservation = { id: confirmed.reservation.id, documentId: confirmed.reservation.documentId };
  // Checked in at the door, so the check-in side has a link to try as well.
  const staff = await createAdmin(app.strapi);
  const scan = await request(app.strapi.server.httpServer)
    .post('/booking/check-ins')
    .set('Authorization', `Bearer ${staff.token}`)
    .send({ token: confirmed.checkInToken });
  expect(scan.body.data.result).toBe('ok');
  const checkIn = (await app.strapi.db.query(UID.checkIn).findOne({ where: { reservation: { id: reservation.id } } })) as {
    documentId: string;
  };
  checkInDocumentId = checkIn.documentId;
});
afterAll(async () => {
  await app?.stop();
});

describe('a reservation keeps its links, whichever side an edit comes from', () => {
  let before: Awaited<ReturnType<typeof snapshot>>;
  beforeAll(async () => {
    before = await snapshot();
    expect(before).toMatchObject({ confirmedFrom: 1, confirmedTo: 0, status: 'confirmed', performance: from.id });
    expect(before.tokens).toHaveLength(3); // confirmation, check-in, cancellation
    expect(before.checkIn).not.toBeNull();
  });

  const expectRefusedAndUnchanged = async (res: request.Response, field: string) => {
    expect(res.status).toBe(400);
    expect(res.body.error.details.code).toBe('read_only');
    expect(res.body.error.details.errors.map((e: { path: string[] }) => e.path[0])).toContain(field);
    // No Accept-Language, no preference: the editor's message is in Italian.
    expect(res.body.error.message).toMatch(/collegamenti di una prenotazione/);
    expect(await snapshot()).toEqual(before);
    expect([...(await service(app.strapi, 'availability').recount()).entries()]).toEqual([]);
  };

  const reservationRef = () => ({ documentId: reservation.documentId });

  /** A write naming a side the schemas no longer have: nothing moves, whatever Strapi answers. */
  const expectNoSuchSide = async (res: request.Response) => {
    expect(res.status).toBe(200);
    expect(await snapshot()).toEqual(before);
    expect([...(await service(app.strapi, 'availability').recount()).entries()]).toEqual([]);
  };

  test.each([
    ['connect', () => ({ connect: [reservationRef()] }), () => to.documentId],
    ['disconnect', () => ({ disconnect: [reservationRef()] }), () => from.documentId],
    ['set (to another)', () => ({ set: [reservationRef()] }), () => to.documentId],
    ['set (emptied)', () => ({ set: [] }), () => from.documentId],
  ])('a performance has no side for its reservations: %s through it moves nothing', async (_name, value, performance) => {
    await expectNoSuchSide(await put(UID.performance, performance(), { reservations: value() }));
  });

  test.each([
    ['connect', () => ({ connect: [{ documentId: to.documentId }] })],
    ['disconnect', () => ({ disconnect: [{ documentId: from.documentId }] })],
    ['set', () => ({ set: [{ documentId: to.documentId }] })],
  ])("the reservation's performance: %s is refused", async (_name, value) => {
    await expectRefusedAndUnchanged(await put(UID.reservation, reservation.documentId, { performance: value() }), 'performance');
  });

  test.each(['connect', 'disconnect', 'set'])(
    'a reservation has no side for its tokens or check-in: %s through it moves nothing',
    async (op) => {
      const tokenRow = (await app.strapi.db.query(UID.token).findOne({ where: { reservation: { id: reservation.id } } })) as {
        documentId: string;
      };
      const refs = (documentId: string) => (op === 'set' ? { set: [] } : { [op]: [{ documentId }] });
      await expectNoSuchSide(await put(UID.reservation, reservation.documentId, { tokens: refs(tokenRow.documentId) }));
      await expectNoSuchSide(await put(UID.reservation, reservation.documentId, { check_in: refs(checkInDocumentId) }));
    }
  );

  test.each(['connect', 'disconnect', 'set'])("a token's or a check-in's reservation: %s is refused", async (op) => {
    const other = await confirmedReservation(app.strapi, to.documentId, 1).catch(() => null);
    const target = other ? other.reservation.documentId : reservation.documentId;
    const tokenRow = (await app.strapi.db.query(UID.token).findOne({ where: { reservation: { id: reservation.id } } })) as {
      documentId: string;
    };
    const value =
      op === 'set' ? { set: [{ documentId: target }] } : { [op]: [{ documentId: op === 'connect' ? target : reservation.documentId }] };
    try {
      // 403: tokens are not in the Content Manager at all, and no role is given update on
      // check-ins (auth/editor-permissions.ts); the Query Engine path below meets the rule itself.
      for (const [uid, documentId, refused] of [
        [UID.token, tokenRow.documentId, { status: 403, code: undefined }],
        [UID.checkIn, checkInDocumentId, { status: 403, code: undefined }],
      ] as const) {
        const res = await put(uid, documentId, { reservation: value });
        expect({ status: res.status, code: res.body.error?.details?.code }).toEqual(refused);
        expect((await snapshot()).performance).toBe(from.id);
      }
    } finally {
      // Cancel the extra reservation again so that the other tests' snapshot holds.
      if (other) await service(app.strapi, 'cancellations').cancelByStaff(other.reservation.id);
    }
    expect(await snapshot()).toEqual(before);
  });

  test('the Query Engine path refuses the same moves', async () => {
    // No inverse side to write through: the Query Engine ignores the key.
    await app.strapi.db.query(UID.performance).update({ where: { id: to.id }, data: { reservations: { connect: [reservation.id] } } });
    expect(await snapshot()).toEqual(before);
    await expect(
      app.strapi.db.query(UID.reservation).update({ where: { id: reservation.id }, data: { performance: to.id } })
    ).rejects.toMatchObject({ details: { code: 'read_only' } });
    const tokenRow = (await app.strapi.db.query(UID.token).findOne({ where: { reservation: { id: reservation.id } } })) as {
      id: number;
    };
    await expect(app.strapi.db.query(UID.token).update({ where: { id: tokenRow.id }, data: { reservation: null } })).rejects.toMatchObject({
      details: { code: 'read_only' },
    });
    await expect(
      app.strapi.db.query(UID.checkIn).update({ where: { documentId: checkInDocumentId }, data: { reservation: null } })
    ).rejects.toMatchObject({ details: { code: 'read_only' } });
    // The Document Service (what the Content Manager calls once a permission lets it) refuses too.
    await expect(
      app.strapi.documents(UID.checkIn).update({ documentId: checkInDocumentId, data: { reservation: null } })
    ).rejects.toMatchObject({ details: { code: 'read_only' } });
    expect(await snapshot()).toEqual(before);
  });

  test('a relation left alone, as the Content Manager sends it, is no change: contact details still save', async () => {
    const res = await put(UID.reservation, reservation.documentId, {
      phone: '+39 051 000000',
      performance: { connect: [], disconnect: [] },
    });
    expect(res.status).toBe(200);
    const res2 = await put(UID.performance, from.documentId, { additional_seats: 1, reservations: { connect: [], disconnect: [] } });
    expect(res2.status).toBe(200);
    const after = await snapshot();
    expect(after).toEqual(before);
  });

  test('the edit views offer no picker for the reservations of a performance or the tokens of a reservation', async () => {
    const layout = async (uid: string) => {
      const res = await request(app.strapi.server.httpServer)
        .get(`/content-manager/content-types/${uid}/configuration`)
        .set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(200);
      return (res.body.data.contentType.layouts.edit as Array<Array<{ name: string }>>).flat().map((f) => f.name);
    };
    const performanceFields = await layout(UID.performance);
    expect(performanceFields).toContain('starts_at');
    expect(performanceFields).not.toContain('reservations');
    const reservationFields = await layout(UID.reservation);
    expect(reservationFields).toContain('name');
    expect(reservationFields).not.toContain('tokens');
  });
});
