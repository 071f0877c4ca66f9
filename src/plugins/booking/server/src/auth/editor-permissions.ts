import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { onActionWillRegister } from '../utils/strapi-adapter';

const CM = 'plugin::content-manager.explorer';

/**
 * Content Manager actions no admin role gets on these types, whatever its stored permissions
 * said (the Super Admin's included): the Content Manager then shows no button for them, and its
 * API answers 403. Reservations are made by visitors and cancelled, never deleted; check-ins,
 * door scans and outgoing e-mails are written by the system only. The document rules
 * (middlewares/document-rules.ts) still refuse these writes on every other path.
 */
export const WITHHELD_ACTIONS: Record<string, readonly string[]> = {
  [UID.reservation]: [`${CM}.create`, `${CM}.delete`],
  [UID.checkIn]: [`${CM}.create`, `${CM}.update`, `${CM}.delete`],
  [UID.scan]: [`${CM}.create`, `${CM}.update`, `${CM}.delete`],
  [UID.outboxMessage]: [`${CM}.create`, `${CM}.update`, `${CM}.delete`],
  [UID.webhookDelivery]: [`${CM}.create`, `${CM}.update`, `${CM}.delete`],
  // The waiting list moves only by the visitor's links and the offers.
  [UID.waitlistEntry]: [`${CM}.create`, `${CM}.update`, `${CM}.delete`],
};

export const isWithheld = (action: string, subject: unknown): boolean =>
  typeof subject === 'string' && (WITHHELD_ACTIONS[subject]?.includes(action) ?? false);

/**
 * Called in register(), before the Content Manager registers its actions in its bootstrap: those
 * actions are registered without these types as subjects, so the roles page offers no box for
 * them, the Super Admin is not given them, and Strapi's boot-time clean-up deletes such
 * permissions any role still holds (admin's bootstrap, `cleanPermissionsInDatabase`).
 */
export const registerEditorPermissions = (strapi: Core.Strapi) => {
  onActionWillRegister(strapi, ({ value }) => {
    if (!Array.isArray(value.subjects)) return;
    value.subjects = value.subjects.filter((subject) => !isWithheld(value.actionId, subject));
  });
};
