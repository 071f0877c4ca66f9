import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { ERROR_CODES, VISITOR_DATA_SUBJECTS } from '../constants';
import { oneLanguage } from '../utils/editor-language';
import { queryCrossings } from '../utils/query-reach';
import { attributesOf, contentManagerController, type ControllerAction, type UserAbility } from '../utils/strapi-adapter';

const CM_READ = 'plugin::content-manager.explorer.read';
/** Strapi's own record of who made and last changed an entry: names shown in every edit view. */
const CREATOR_FIELDS = new Set(['createdBy', 'updatedBy']);

interface ReadContext {
  params: { model?: string };
  query?: Record<string, unknown>;
  state: { userAbility?: UserAbility };
}

/**
 * The relations of `query` on `model` that lead where `ability` may not read: a type holding
 * visitors' data without Content Manager read on it, or a staff member (admin::user) other than
 * Strapi's creator fields without `admin::users.read`.
 */
export const unreadableCrossings = (strapi: Core.Strapi, ability: UserAbility, model: string, query: Record<string, unknown>) =>
  queryCrossings((uid) => attributesOf(strapi, uid), model, query).filter((crossing) => !mayCross(ability, crossing));

/** Whether a relation (its last attribute `path` ends with) may be followed into `target`. */
export const mayCross = (ability: UserAbility, { path, target }: { path: string; target: string }): boolean => {
  if (target === 'admin::user') return CREATOR_FIELDS.has(path.split('.').pop() ?? '') || ability.can('admin::users.read');
  return !(VISITOR_DATA_SUBJECTS as readonly string[]).includes(target) || ability.can(CM_READ, target);
};

/**
 * Content Manager reads and writes (their answers populate what the query asks) whose
 * `populate`, `filters` or `sort` cross a relation into what the role may not read answer 403,
 * and every answer loses the relations the role may not follow (scrubUnreadable):
 * Strapi checks a role's fields on the type asked for only, and follows a permitted relation into
 * its target whatever the role may read there (a role given scans but not reservations would read
 * visitors through `scan.reservation`, or test addresses with `filters[reservation][email]`).
 * A PolicyError, not a ForbiddenError: Strapi's route composer turns a ForbiddenError thrown by a
 * controller into a bare 403 without message or details.
 */
export const guardContentManagerReach = (strapi: Core.Strapi) => {
  const controller = contentManagerController(strapi, 'collection-types');
  for (const [name, action] of Object.entries(controller)) {
    if (typeof action !== 'function') continue;
    const original = action as ControllerAction;
    controller[name] = async function guarded(this: unknown, ctx: unknown) {
      const { params, query, state } = ctx as ReadContext;
      if (params.model && query && state.userAbility && (query.populate || query.filters || query.sort)) {
        const refused = unreadableCrossings(strapi, state.userAbility, params.model, query);
        if (refused.length > 0) {
          throw new errors.PolicyError(
            oneLanguage(
              strapi,
              'Questa richiesta porta a dati che il tuo ruolo non può leggere. / This request reaches data your role may not read.'
            ),
            { code: ERROR_CODES.forbidden, paths: [...new Set(refused.map((r) => r.path))] }
          );
        }
      }
      const answer = await original.call(this, ctx);
      const body = (ctx as { body?: unknown }).body;
      if (params.model && state.userAbility && body && typeof body === 'object') {
        const { results, data } = body as { results?: unknown; data?: unknown };
        scrubUnreadable(strapi, state.userAbility, params.model, results ?? data);
      }
      return answer;
    };
  }
};

/**
 * Takes out of an answer, in place, every relation the role may not follow (mayCross), at any
 * depth: what Strapi populates by itself (a list's columns, an edit view's relations) as well as
 * what a query asked for. A scan's reservation is labelled with the visitor's name.
 */
export const scrubUnreadable = (strapi: Core.Strapi, ability: UserAbility, uid: string, entity: unknown, depth = 0): void => {
  if (depth > 8 || entity === null || typeof entity !== 'object') return;
  if (Array.isArray(entity)) {
    for (const item of entity) scrubUnreadable(strapi, ability, uid, item, depth);
    return;
  }
  const row = entity as Record<string, unknown>;
  for (const [key, attribute] of Object.entries(attributesOf(strapi, uid) ?? {})) {
    if (attribute.type !== 'relation' || !attribute.target || !(key in row)) continue;
    if (!mayCross(ability, { path: key, target: attribute.target })) delete row[key];
    else scrubUnreadable(strapi, ability, attribute.target, row[key], depth + 1);
  }
};
