import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { ERROR_CODES, UID } from '../constants';
import { getService } from '../utils/get-service';
import { oneLanguage } from '../utils/editor-language';
import { changesRelation, refuseLockedRelationChanges } from '../utils/relations';
import { transaction } from '../utils/transaction';

const WRITE_ACTIONS = new Set(['create', 'update', 'delete', 'clone', 'publish', 'unpublish', 'discardDraft']);

/** What an editor may change on a reservation in the Content Manager: contact details, and cancel. */
const EDITABLE_RESERVATION_FIELDS = new Set(['name', 'email', 'phone', 'notes']);
/** Fields the Content Manager sends back unchanged with every save; compared, never written. */
const RELATION_FIELDS = new Set(['performance']);

/** The app the rules were registered on: messages go out in its editor's language. */
let app: Core.Strapi | null = null;

const readOnly = (message: string): never => {
  throw new errors.ValidationError(oneLanguage(app, message), { code: ERROR_CODES.readOnly });
};

const sameValue = (a: unknown, b: unknown): boolean => {
  if ((a === null || a === undefined || a === '') && (b === null || b === undefined || b === '')) return true;
  if (a instanceof Date || b instanceof Date || (typeof a === 'string' && typeof b === 'string')) {
    const ta = Date.parse(String(a instanceof Date ? a.toISOString() : a));
    const tb = Date.parse(String(b instanceof Date ? b.toISOString() : b));
    if (!Number.isNaN(ta) && !Number.isNaN(tb) && /\d{4}-\d{2}-\d{2}T/.test(String(a) + String(b))) return ta === tb;
  }
  return String(a) === String(b);
};

/**
 * Document Service middleware: the Content Manager's way in. Editors read reservations and
 * check-ins; they may correct a visitor's contact details and cancel a reservation (through the
 * reservations service, the only writer of statuses). Nothing here confirms a reservation (only
 * a confirmation token does) or makes a check-in (only the scanner does).
 */
export const registerDocumentRules = (strapi: Core.Strapi) => {
  app = strapi;
  // A write of the plugin's types (the Content Manager's saves) runs in a transaction of the
  // plugin's, which the Document Service's own joins: a COMMIT PostgreSQL refuses fails the save
  // instead of the panel saying "saved" for a change that was rolled back (utils/transaction.ts).
  strapi.documents.use(async (ctx, next) => {
    if (!WRITE_ACTIONS.has(ctx.action) || !String(ctx.uid).startsWith('plugin::booking.') || strapi.db.inTransaction()) return next();
    return transaction(strapi, async () => next());
  });
  strapi.documents.use(async (ctx, next) => {
    if (!WRITE_ACTIONS.has(ctx.action)) return next();
    // Before the Document Service's required-field check: the venue's usual capacity fills a new
    // performance's room capacity.
    if (ctx.uid === UID.performance && ctx.action === 'create') {
      const data = (ctx.params as { data?: Record<string, unknown> }).data;
      if (data) await getService(strapi, 'performances').fillRoomCapacity(data);
    }

    if (
      (ctx.uid as string) === UID.outboxMessage ||
      (ctx.uid as string) === UID.scan ||
      (ctx.uid as string) === UID.webhookDelivery ||
      (ctx.uid as string) === UID.waitlistEntry
    ) {
      readOnly('Questi dati li scrive il sistema. / These records are written by the system.');
    }
    if (ctx.uid === UID.checkIn || ctx.uid === UID.reservationToken) {
      readOnly('I check-in si registrano solo dalla pagina di scansione. / Check-ins are recorded only by the scanner page.');
    }
    if (ctx.uid !== UID.reservation) return next();

    const params = ctx.params as { documentId?: string; data?: Record<string, unknown> };
    if (ctx.action === 'create' || ctx.action === 'clone') {
      readOnly(
        'Le prenotazioni le fanno i visitatori dal modulo di prenotazione. / Reservations are made by visitors through the booking form.'
      );
    }
    const current = (await strapi.db.query(UID.reservation).findOne({
      where: { documentId: params.documentId },
    })) as Record<string, unknown> | null;
    if (!current) return next();

    if (ctx.action === 'delete') {
      if (current.reservation_status === 'confirmed') {
        readOnly('Una prenotazione confermata si annulla, non si cancella. / A confirmed reservation is cancelled, not deleted.');
      }
      return next();
    }
    if (ctx.action !== 'update') {
      readOnly('Questa azione non vale per le prenotazioni. / This action does not apply to reservations.');
    }

    const data = { ...(params.data ?? {}) };
    refuseLockedRelationChanges(strapi, UID.reservation, data);
    const refused = Object.keys(data).filter((field) => {
      if (EDITABLE_RESERVATION_FIELDS.has(field) || field === 'reservation_status') return false;
      if (RELATION_FIELDS.has(field)) return changesRelation(data[field]);
      if (!(field in current)) return false; // Strapi's own keys (updatedBy, ...)
      return !sameValue(data[field], current[field]);
    });
    if (refused.length > 0) {
      throw new errors.ValidationError(
        oneLanguage(
          strapi,
          `Di una prenotazione si possono cambiare solo i recapiti, o annullarla. / Only a reservation's contact details can be changed, or it can be cancelled.`
        ),
        {
          code: ERROR_CODES.readOnly,
          errors: refused.map((field) => ({ path: [field], message: 'read-only', name: 'ValidationError' })),
        }
      );
    }
    for (const field of RELATION_FIELDS) delete data[field];

    const target = data.reservation_status;
    delete data.reservation_status;
    // The middleware chain reads params from the shared context: rewrite the data in place.
    (ctx.params as { data?: Record<string, unknown> }).data = data;
    if (target === undefined || target === current.reservation_status) return next();
    if (target !== 'cancelled') {
      throw new errors.ValidationError(
        oneLanguage(
          strapi,
          `Dal pannello si può solo annullare una prenotazione: la conferma arriva dal link inviato al visitatore. / ` +
            `From the admin panel a reservation can only be cancelled: confirmation comes from the link sent to the visitor.`
        ),
        {
          code: ERROR_CODES.forbiddenTransition,
          errors: [{ path: ['reservation_status'], message: 'only cancelled', name: 'ValidationError' }],
        }
      );
    }
    return transaction(strapi, async () => {
      await getService(strapi, 'cancellations').cancelByStaff(Number(current.id));
      return next();
    });
  });
};
