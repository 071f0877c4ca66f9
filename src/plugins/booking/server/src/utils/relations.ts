import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { ERROR_CODES, UID } from '../constants';
import { oneLanguage } from './editor-language';

/**
 * The relations of a reservation that nobody may change: moving a reservation to another
 * performance would leave its seats counted on the old one (and its ticket naming the old date);
 * its tokens and its check-in are the system's record. Keyed by content type, the attributes that
 * point at a reservation or from it. Each is one-way (no inverse side on the performance or the
 * reservation: a hidden inverse relation could be populated by any role, see
 * content-types/index.ts), so a write on the owning side is the only way to change one.
 */
export const LOCKED_RELATIONS: Readonly<Record<string, readonly string[]>> = {
  [UID.reservation]: ['performance'],
  [UID.reservationToken]: ['reservation'],
  [UID.checkIn]: ['reservation'],
};

/**
 * Whether a relation value in a write asks for a change: `{ connect: [x] }`, `{ disconnect: [x] }`,
 * any `set` (an empty `set` removes every link), a bare id or an array of ids. The Content
 * Manager sends `{ connect: [], disconnect: [] }` for a relation left alone: not a change.
 */
export const changesRelation = (value: unknown): boolean => {
  if (value === undefined) return false;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    if ('set' in v) return true;
    return ['connect', 'disconnect'].some((k) => Array.isArray(v[k]) && (v[k] as unknown[]).length > 0);
  }
  return true;
};

/** The locked relations of `uid` that `data` would change. */
export const lockedRelationChanges = (uid: string, data: Record<string, unknown> | undefined): string[] =>
  (LOCKED_RELATIONS[uid] ?? []).filter((field) => changesRelation(data?.[field]));

/**
 * Refuses a write that would change a locked relation, naming each field, in the editor's
 * language; changes nothing.
 */
export const refuseLockedRelationChanges = (strapi: Core.Strapi, uid: string, data: Record<string, unknown> | undefined) => {
  const fields = lockedRelationChanges(uid, data);
  if (fields.length === 0) return;
  throw new errors.ValidationError(
    oneLanguage(
      strapi,
      'I collegamenti di una prenotazione (spettacolo, codici, ingresso) non si possono cambiare: per spostare ' +
        "un visitatore, annulla la prenotazione e fanne una nuova. / A reservation's links (performance, tokens, " +
        'check-in) cannot be changed: to move a visitor, cancel the reservation and book again.'
    ),
    {
      code: ERROR_CODES.readOnly,
      errors: fields.map((field) => ({ path: [field], message: 'read-only', name: 'ValidationError' })),
    }
  );
};
