import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { ERROR_CODES, UID, type ReservationStatus } from '../constants';
import { CAPACITY_FIELDS } from '../services/performances';
import { ForbiddenTransitionError } from '../data/reservations';
import { canTransition } from '../rules';
import { withEmailKeys } from '../utils/email-keys';
import { getService } from '../utils/get-service';
import { refuseLockedRelationChanges } from '../utils/relations';
import { oneLanguage } from '../utils/editor-language';

interface Event {
  params: { where?: Record<string, unknown>; data?: Record<string, unknown> };
}

const forbiddenTransition = (from: string, to: string): never => {
  throw new ForbiddenTransitionError(from, to);
};

const checkPartySize = (data: Record<string, unknown>) => {
  if (!('party_size' in data)) return;
  const size = data.party_size;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1) {
    throw new errors.ValidationError('party_size must be a positive integer', {
      code: ERROR_CODES.validation,
      errors: [{ path: ['party_size'], message: 'must be a positive integer', name: 'ValidationError' }],
    });
  }
};

/**
 * A confirmed reservation and a waiting-list offer (pending, `held_until` set) hold seats in the
 * performance's counters: deleting the row would leave the seats counted for nobody. They are
 * cancelled (or lapse), never deleted, whichever path the delete takes.
 */
const refuseDeletingHeldSeats = async (strapi: Core.Strapi, where: Record<string, unknown> | undefined) => {
  const holding = await strapi.db.query(UID.reservation).count({
    where: {
      $and: [
        where ?? {},
        { $or: [{ reservation_status: 'confirmed' }, { reservation_status: 'pending', held_until: { $notNull: true } }] },
      ],
    },
  });
  if (holding > 0) {
    throw new errors.ValidationError(
      oneLanguage(
        strapi,
        "Una prenotazione confermata, o un'offerta della lista d'attesa, tiene dei posti: si annulla, non si cancella. / " +
          'A confirmed reservation, or a waiting-list offer, holds seats: it is cancelled, not deleted.'
      ),
      { code: ERROR_CODES.readOnly }
    );
  }
};

/**
 * Database lifecycles: they run for the Query Engine and the Document Service alike, so the
 * rules below hold whoever writes. The plugin's own raw SQL bypasses them; its status changes all
 * go through data/reservations.ts `transition`, which checks the same RESERVATION_TRANSITIONS and
 * throws the same ForbiddenTransitionError.
 */
export const registerLifecycles = (strapi: Core.Strapi) => {
  const performances = () => getService(strapi, 'performances');
  const catalogueChanged = () => getService(strapi, 'public-cache').changed();

  // What visitors see of shows, venues and performances: every committed write drops this
  // instance's cached answers (other instances hear it from the database's triggers).
  strapi.db.lifecycles.subscribe({
    models: [UID.show, UID.venue, UID.performance],
    afterCreate: catalogueChanged,
    afterCreateMany: catalogueChanged,
    afterUpdate: catalogueChanged,
    afterUpdateMany: catalogueChanged,
    afterDelete: catalogueChanged,
    afterDeleteMany: catalogueChanged,
  });

  // A reservation's links are fixed once made (the reservation's own side: beforeUpdate below).
  strapi.db.lifecycles.subscribe({
    models: [UID.reservationToken, UID.checkIn],
    beforeUpdate(event: Event & { model: { uid: string } }) {
      refuseLockedRelationChanges(strapi, event.model.uid, event.params.data);
    },
  });

  strapi.db.lifecycles.subscribe({
    models: [UID.performance],
    async beforeCreate(event: Event) {
      event.params.data = event.params.data ?? {};
      await performances().fillRoomCapacity(event.params.data);
      performances().checkNewPerformance(event.params.data);
    },
    async beforeUpdate(event: Event) {
      await performances().checkPerformanceUpdate(event.params.where ?? {}, event.params.data ?? {});
    },
    beforeUpdateMany(event: Event) {
      const data = event.params.data ?? {};
      if (CAPACITY_FIELDS.some((field) => field in data)) {
        throw new errors.ValidationError('Capacities are changed one performance at a time', {
          code: ERROR_CODES.capacityInvalid,
        });
      }
    },
    async beforeDelete(event: Event) {
      await performances().checkPerformanceDelete(event.params.where ?? {});
    },
    async beforeDeleteMany(event: Event) {
      await performances().checkPerformancesDelete(event.params.where ?? {});
    },
  });

  // One normalised form of each address, stored beside it whoever writes it (validation/email.ts).
  strapi.db.lifecycles.subscribe({
    models: [UID.reservation, UID.waitlistEntry],
    beforeCreate(event: Event) {
      if (event.params.data) withEmailKeys(event.params.data);
    },
    beforeCreateMany(event: { params: { data?: Array<Record<string, unknown>> } }) {
      for (const data of event.params.data ?? []) withEmailKeys(data);
    },
    beforeUpdate(event: Event) {
      if (event.params.data) withEmailKeys(event.params.data);
    },
    beforeUpdateMany(event: Event) {
      if (event.params.data) withEmailKeys(event.params.data);
    },
  });

  strapi.db.lifecycles.subscribe({
    models: [UID.reservation],
    beforeCreate(event: Event) {
      const data = event.params.data ?? {};
      checkPartySize(data);
      const status = (data.reservation_status ?? 'pending') as string;
      if (status !== 'pending') forbiddenTransition('(new)', status);
    },
    async beforeUpdate(event: Event) {
      const data = event.params.data ?? {};
      checkPartySize(data);
      refuseLockedRelationChanges(strapi, UID.reservation, data);
      const to = data.reservation_status as ReservationStatus | undefined;
      if (to === undefined) return;
      const current = (await strapi.db.query(UID.reservation).findOne({
        where: event.params.where,
        select: ['reservation_status'],
      })) as { reservation_status: ReservationStatus } | null;
      if (!current || current.reservation_status === to) return;
      if (!canTransition(current.reservation_status, to)) {
        forbiddenTransition(current.reservation_status, to);
      }
    },
    async beforeDelete(event: Event) {
      await refuseDeletingHeldSeats(strapi, event.params.where);
    },
    async beforeDeleteMany(event: Event) {
      await refuseDeletingHeldSeats(strapi, event.params.where);
    },
    beforeUpdateMany(event: Event) {
      const data = event.params.data ?? {};
      checkPartySize(data);
      const to = data.reservation_status as ReservationStatus | undefined;
      if (to === undefined) return;
      // A bulk status change must name the one status it moves from, and that move must be legal.
      const from = event.params.where?.reservation_status;
      if (typeof from !== 'string' || !canTransition(from as ReservationStatus, to)) {
        forbiddenTransition(typeof from === 'string' ? from : 'any', to);
      }
    },
  });
};
