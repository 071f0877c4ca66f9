import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { PLUGIN_ID } from '../constants';

interface Route {
  method: string;
  path: string;
  config?: { middlewares?: unknown[]; [key: string]: unknown };
}

interface AdminAuthService {
  checkCredentials(input: { email: string; password: string }): Promise<unknown>;
  hashPassword(password: string): Promise<string>;
  validatePassword(password: string, hash: string): Promise<boolean>;
}

const STRAPI_LIMIT = 'admin::rateLimit';
const ORIGINAL_CHECK = Symbol.for('booking.admin.checkCredentials');

/**
 * Puts the plugin's login limit (middlewares/admin-login.ts: per e-mail and per client address,
 * shared by every instance through the database) on Strapi's `POST /admin/login` in place of
 * Strapi's own. Called in register, before Strapi builds its router. The route is found by its
 * method and path: should Strapi rename it, the start fails here rather than leave the login
 * unguarded.
 */
const guardLoginRoute = (strapi: Core.Strapi) => {
  const routers = Object.values((strapi.admin as unknown as { routes: Record<string, { routes?: Route[] }> }).routes);
  const login = routers.flatMap((router) => router.routes ?? []).find((route) => route.method === 'POST' && route.path === '/login');
  if (!login) throw new Error('booking: no POST /admin/login route to guard (did Strapi change its admin routes?)');
  // Strapi's route objects live as long as the process, not the app: a second app in the same
  // process (the tests boot several) must find its own guard there once, not twice.
  const ours = `plugin::${PLUGIN_ID}.admin-login`;
  const others = (login.config?.middlewares ?? []).filter((m) => m !== STRAPI_LIMIT && m !== ours);
  login.config = { ...login.config, middlewares: [ours, ...others] };
};

/**
 * Strapi's admin login answers an unknown e-mail at once and a known one after comparing the
 * password with its bcrypt hash (7 ms against 72 ms): whoever times the answers learns which
 * addresses are staff. For an unknown address (or a user without a password) this compares the
 * password typed with a hash of a random password made at start, with Strapi's own hashing (its
 * cost included), so both answers take one bcrypt comparison. Strapi's check then runs as ever.
 */
const equaliseLoginTime = async (strapi: Core.Strapi) => {
  const auth = strapi.service('admin::auth') as unknown as AdminAuthService;
  const dummyHash = await auth.hashPassword(randomBytes(24).toString('base64'));
  // Strapi's service object outlives the app too: wrap its original check, never an earlier
  // app's wrapper (which would query that app's closed database).
  const held = auth as AdminAuthService & { [ORIGINAL_CHECK]?: AdminAuthService['checkCredentials'] };
  const checkCredentials = held[ORIGINAL_CHECK] ?? auth.checkCredentials.bind(auth);
  held[ORIGINAL_CHECK] = checkCredentials;
  auth.checkCredentials = async (input) => {
    const user = (await strapi.db.query('admin::user').findOne({ where: { email: input.email }, select: ['id', 'password'] })) as {
      password?: string | null;
    } | null;
    if (!user?.password) await auth.validatePassword(String(input.password ?? ''), dummyHash);
    return checkCredentials(input);
  };
};

export const hardenAdminLogin = async (strapi: Core.Strapi) => {
  guardLoginRoute(strapi);
  await equaliseLoginTime(strapi);
};
