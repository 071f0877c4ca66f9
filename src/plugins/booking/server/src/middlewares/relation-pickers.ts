import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { ERROR_CODES } from '../constants';
import { oneLanguage } from '../utils/editor-language';
import { attributesOf, contentManagerPermissions, contentManagerRelations, type UserAbility } from '../utils/strapi-adapter';
import { mayCross } from './content-manager-reach';

interface PickerContext {
  params: { model?: string; targetField?: string };
  state: { userAbility?: UserAbility };
}

/**
 * The Content Manager's relation pickers (`GET /content-manager/relations/:model/[:id/]:field`)
 * for a caller who may not read the field: Strapi 5.54 answers `ctx.forbidden()` inside a helper
 * whose result it then destructures, so the caller gets a 500 (an Editor opening any picker of a
 * reservation, a scan or a check-in). Here the same check runs first and answers 403 with the
 * error envelope, as does a picker whose targets the role may not read (a role given scans but
 * not reservations would list reservations: content-manager-reach.ts); everything else is
 * Strapi's own (a field that is no relation stays its 400).
 */
export const guardRelationPickers = (strapi: Core.Strapi) => {
  const relations = contentManagerRelations(strapi);
  for (const name of ['findAvailable', 'findExisting'] as const) {
    const original = relations[name];
    relations[name] = async function guarded(this: unknown, ctx: unknown) {
      const { params, state } = ctx as PickerContext;
      const { model, targetField } = params;
      const attribute = model && targetField ? attributesOf(strapi, model)?.[targetField] : undefined;
      if (model && targetField && attribute?.type === 'relation' && attribute.target && state.userAbility) {
        if (
          contentManagerPermissions(strapi, state.userAbility, model).cannot.read(null, targetField) ||
          !mayCross(state.userAbility, { path: targetField, target: attribute.target })
        ) {
          throw new errors.PolicyError(
            oneLanguage(strapi, 'Il tuo ruolo non può leggere questo campo. / Your role may not read this field.'),
            { code: ERROR_CODES.forbidden }
          );
        }
      }
      return original.call(this, ctx);
    };
  }
};
