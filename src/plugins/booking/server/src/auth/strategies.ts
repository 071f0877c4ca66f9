import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { StaffLogin } from '../services/access-cache';
import { getService } from '../utils/get-service';

/**
 * Route auth strategies that spare the hot routes a trip to the database on every request.
 *
 * Strapi's own strategies, on each call, read the Users & Permissions Public role's permissions
 * and compile an ability (public routes), or verify the admin JWT, then read the session, the
 * user, the roles and the permissions and compile an ability (door routes). That was most of the
 * cost of a show page and of a scan. These strategies answer from what was checked at most
 * `accessCacheSeconds` ago and otherwise step aside, so that Strapi's strategies decide exactly
 * as before.
 */

interface AuthCtx {
  request: { header: { authorization?: string } };
  state: Record<string, unknown>;
}

interface Ability {
  can(action: string): boolean;
}

/**
 * The app the strategies answer for. Routes name their strategies when the plugin loads, before
 * any app exists to close over, so register() binds it (bindStrategies) instead of the global.
 */
let app: Core.Strapi | null = null;
export const bindStrategies = (strapi: Core.Strapi) => {
  app = strapi;
};
const access = () => {
  if (!app) throw new Error('booking: auth strategies used before register() bound them');
  return getService(app, 'access-cache');
};

/** The bearer token of a request, or null. */
export const bearerToken = (ctx: AuthCtx) => {
  const parts = (ctx.request.header.authorization ?? '').trim().split(/\s+/);
  return parts.length === 2 && parts[0].toLowerCase() === 'bearer' ? parts[1] : null;
};

/**
 * Anonymous visitors: allowed what the Public role holds. A request that carries a token is left
 * to Strapi's API-token and users-permissions strategies, listed after this one on each route.
 */
export const publicGrant = {
  name: 'booking-public-grant',
  async authenticate(ctx: AuthCtx) {
    if (ctx.request.header.authorization) return { authenticated: false };
    try {
      const actions = await access().publicActions();
      const ability: Ability = { can: (action) => actions.has(action) };
      return { authenticated: true, credentials: null, ability };
    } catch {
      // The database away and no grant read yet: as Strapi's own strategy, unauthenticated.
      return { authenticated: false };
    }
  },
  verify(auth: { ability?: Ability | null }, config: { scope?: string | string[] }) {
    const scopes = ([] as string[]).concat(config.scope ?? []);
    if (!auth.ability || scopes.length === 0) throw new errors.UnauthorizedError();
    if (!scopes.every((scope) => auth.ability!.can(scope))) throw new errors.ForbiddenError();
  },
};

/**
 * Door staff: the login that Strapi's admin strategy established for this very access token a
 * moment ago (remembered by the `remember-staff` route middleware), with its user and ability;
 * the route's policies check the permission again on every call.
 */
export const rememberedStaff = {
  name: 'booking-remembered-staff',
  authenticate(ctx: AuthCtx) {
    const token = bearerToken(ctx);
    const login: StaffLogin | null = token ? access().recallStaff(token) : null;
    if (!login) return { authenticated: false };
    ctx.state.user = login.user;
    ctx.state.userAbility = login.ability;
    if (login.session) ctx.state.session = login.session;
    return { authenticated: true, credentials: login.user, ability: login.ability };
  },
};

/** The strategies of the public routes, in order. */
export const PUBLIC_STRATEGIES = [publicGrant, 'content-api-token', 'users-permissions'];
/** The strategies of the door routes, in order. */
export const STAFF_STRATEGIES = [rememberedStaff, 'admin', 'admin-token'];
