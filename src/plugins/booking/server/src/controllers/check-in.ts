import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { ERROR_CODES } from '../constants';
import { getService } from '../utils/get-service';
import { parseOrThrow } from '../validation/parse';
import { checkInInput, doorSnapshotQuery, isPlainValidScan } from '../validation/admin';
import type { BookingContext } from './context';

type Ctx = BookingContext;

const checkInController = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** POST /booking/check-ins (admin; plugin::booking.check-in.create) */
  async create(ctx: Ctx) {
    const body: unknown = ctx.request.body;
    const input = isPlainValidScan(body) ? body : parseOrThrow(checkInInput, body);
    const answer = await getService(strapi, 'door').checkInTicket({
      text: input.token,
      reference: input.reference,
      performance: input.performance,
      // A typed reference is a manual check-in whatever the client says.
      source: input.reference !== undefined ? 'manual' : input.source,
      idempotencyKey: input.idempotency_key,
      ...(input.offline === true && input.scanned_at !== undefined ? { offline: { scannedAt: new Date(input.scanned_at) } } : {}),
      staff: {
        id: ctx.state.user.id,
        firstname: ctx.state.user.firstname ?? null,
        lastname: ctx.state.user.lastname ?? null,
        username: ctx.state.user.username ?? null,
      },
    });
    ctx.body = { data: answer };
  },

  /** GET /booking/performances/:documentId/door-snapshot[?since=] (admin; plugin::booking.check-in.create) */
  async doorSnapshot(ctx: Ctx) {
    const query = parseOrThrow(doorSnapshotQuery, { ...(ctx.query as Record<string, unknown>) });
    const snapshot = await getService(strapi, 'door-snapshot').snapshot(
      String(ctx.params.documentId),
      query.since === undefined ? null : Number(query.since)
    );
    if (!snapshot) throw new errors.NotFoundError('Performance not found', { code: ERROR_CODES.performanceNotFound });
    // Sealed records only, but a device's copy is its own: no shared cache keeps it.
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data: snapshot };
  },

  /** GET /booking/door/performances (admin; plugin::booking.check-in.create) */
  async doorPerformances(ctx: Ctx) {
    ctx.body = { data: await getService(strapi, 'door-reports').doorPerformances() };
  },
});

export default checkInController;
