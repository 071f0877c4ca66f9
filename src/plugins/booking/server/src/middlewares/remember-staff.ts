import type { Core } from '@strapi/strapi';
import { bearerToken } from '../auth/strategies';
import { getService } from '../utils/get-service';

interface Ctx {
  request: { header: { authorization?: string } };
  state: { auth?: { strategy?: { name?: string } }; user?: { id: number }; userAbility?: unknown; session?: unknown };
}

/**
 * Route middleware of the door routes, after the auth and the policies: when Strapi's admin
 * strategy has just checked this access token, remembers its user and ability for
 * `accessCacheSeconds`, for the `rememberedStaff` strategy to replay (auth/strategies.ts).
 */
const rememberStaff = (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  return async (ctx: Ctx, next: () => Promise<void>) => {
    const token = bearerToken(ctx);
    if (token && ctx.state.auth?.strategy?.name === 'admin' && ctx.state.user) {
      getService(strapi, 'access-cache').rememberStaff(token, {
        user: ctx.state.user,
        ability: ctx.state.userAbility,
        session: ctx.state.session,
      });
    }
    return next();
  };
};

export default { 'remember-staff': rememberStaff };
