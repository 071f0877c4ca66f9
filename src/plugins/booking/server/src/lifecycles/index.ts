import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { ERROR_CODES, UID, type ReservationStatus } from '../constants';
import { CAPACITY_FIELDS } from '../services/performances';
import { ForbiddenTransitionError } from '../data/reservations';
import { canTransition } from '../rules';
import { getService } from '../utils/get-service';
import { refuseLockedRelationChanges } from '../utils/relations';

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

  // A reservation's links are fixed once made, from whichever side a write comes.
  strapi.db.lifecycles.subscribe({
    models: [UID.performance, UID.reservationToken, UID.checkIn],
    async beforeUpdate(event: Event & { model: { uid: string } }) {
      refuseLockedRelationChanges(strapi, event.model.uid, event.params.data);
    },
  });
  strapi.db.lifecycles.subscribe({
    models: [UID.performance],
    async beforeCreate(event: Event) {
      refuseLockedRelationChanges(strapi, UID.performance, event.params.data);
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
    async beforeUpdateMany(event: Event) {
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
  });

  strapi.db.lifecycles.subscribe({
    models: [UID.reservation],
    async beforeCreate(event: Event) {
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
    async beforeUpdateMany(event: Event) {
      const data = event.params.data ?? {};
      checkPartySize(data);
      const to = data.reservation_status as ReservationStatus | undefined;
      if (to === undefined) return;
      // A bulk status change must name the one status it moves from, and that move must be legal.
      const from = event.params.where?.reservation_status;
      if (typeof from !== 'string' || !canTransition(from as ReservationStatus, to)) {
        forbiddenTransition(String(from ?? 'any'), to);
      }
    },
  });
};
