import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { attributeType, contentManagerPermissions, contentManagerRelations } from '../utils/strapi-adapter';

interface PickerContext {
  params: { model?: string; targetField?: string };
  state: { userAbility?: unknown };
}

/**
 * The Content Manager's relation pickers (`GET /content-manager/relations/:model/[:id/]:field`)
 * for a caller who may not read the field: Strapi 5.54 answers `ctx.forbidden()` inside a helper
 * whose result it then destructures, so the caller gets a 500 (an Editor opening any picker of a
 * reservation, a scan or a check-in). Here the same check runs first and answers 403 with the
 * error envelope; everything else is Strapi's own (a field that is no relation stays its 400).
 */
export const guardRelationPickers = (strapi: Core.Strapi) => {
  const relations = contentManagerRelations(strapi);
  for (const name of ['findAvailable', 'findExisting'] as const) {
    const original = relations[name];
    relations[name] = async function guarded(this: unknown, ctx: unknown) {
      const { params, state } = ctx as PickerContext;
      const { model, targetField } = params;
      if (model && targetField && attributeType(strapi, model, targetField) === 'relation') {
        if (contentManagerPermissions(strapi, state.userAbility, model).cannot.read(null, targetField)) {
          throw new errors.ForbiddenError('Forbidden', { code: 'forbidden' });
        }
      }
      return original.call(this, ctx);
    };
  }
};
