import type { Core } from '@strapi/strapi';
import { DOOR_STAFF_ROLE, PERMISSIONS, PUBLIC_ACTIONS, PLUGIN_ID } from '../constants';
import { getConfig } from '../utils/get-service';
import { adminRoles } from '../utils/strapi-adapter';

const STORE_KEY = 'public-permissions-granted';

/** What Strapi's admin strategy established for one access token, replayed while it is fresh. */
export interface StaffLogin {
  user: { id: number; isActive?: boolean };
  ability: unknown;
  session?: unknown;
  expires: number;
}

const MAX_REMEMBERED_LOGINS = 1000;

/** The `exp` of a JWT that Strapi has just verified, in ms, or Infinity when it has none. */
const expiryOf = (token: string) => {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : Infinity;
  } catch {
    return Infinity;
  }
};

/**
 * Who may do what: the admin role "Door staff" and the Users & Permissions Public grants for the
 * visitors' routes. Each is made once; afterwards an administrator owns it (a revoked public
 * grant stays revoked, a widened role stays widened).
 *
 * Checking a grant is also here, with a memory of `accessCacheSeconds` (see auth/strategies.ts):
 * Strapi would otherwise read the Public role's permissions, or the staff member's session, user,
 * roles and permissions, from the database on every request.
 */
const createAccessService = ({ strapi }: { strapi: Core.Strapi }) => {
  let publicGrant: { actions: Promise<Set<string>>; expires: number } | null = null;
  let lastKnownGrant: Set<string> | null = null;
  const staffLogins = new Map<string, StaffLogin>();
  const ttlMs = () => getConfig(strapi).accessCacheSeconds * 1000;

  const readPublicGrant = async () => {
    const rows = (await strapi.db.query('plugin::users-permissions.permission').findMany({
      where: { role: { type: 'public' }, action: { $startsWith: `plugin::${PLUGIN_ID}.` } },
      select: ['action'],
    })) as Array<{ action: string }>;
    return new Set(rows.map((row) => row.action));
  };

  return {
    /**
     * The booking actions the Users & Permissions Public role holds. Read at most once per
     * `accessCacheSeconds` per instance; concurrent callers share one read. While the database
     * cannot answer, the last grant read stands.
     */
    async publicActions(): Promise<Set<string>> {
      const now = Date.now();
      if (publicGrant && publicGrant.expires > now) return publicGrant.actions;
      const entry = { actions: readPublicGrant(), expires: now + ttlMs() };
      entry.actions = entry.actions.then(
        (actions) => (lastKnownGrant = actions),
        (error) => {
          if (publicGrant === entry) publicGrant = null;
          if (lastKnownGrant) return lastKnownGrant;
          throw error;
        }
      );
      publicGrant = entry;
      return entry.actions;
    },

    /** A staff login remembered for this exact access token, while fresh. */
    recallStaff(token: string): StaffLogin | null {
      const login = staffLogins.get(token);
      if (!login) return null;
      if (login.expires > Date.now()) return login;
      staffLogins.delete(token);
      return null;
    },

    /**
     * Remembers what Strapi's admin strategy established for a token: for `accessCacheSeconds`,
     * never past the token's own expiry.
     */
    rememberStaff(token: string, login: Omit<StaffLogin, 'expires'>) {
      const ttl = ttlMs();
      if (ttl <= 0) return;
      const now = Date.now();
      if (staffLogins.size >= MAX_REMEMBERED_LOGINS) {
        for (const [key, value] of staffLogins) if (value.expires <= now) staffLogins.delete(key);
        if (staffLogins.size >= MAX_REMEMBERED_LOGINS) staffLogins.delete(staffLogins.keys().next().value as string);
      }
      staffLogins.set(token, { ...login, expires: Math.min(now + ttl, expiryOf(token)) });
    },

    /** Creates the "Door staff" admin role with only the check-in and statistics permissions. */
    async ensureDoorStaffRole(): Promise<number> {
      const roles = adminRoles(strapi);
      // Strapi makes its default roles (Super Admin, Editor, Author) only while no role exists, and
      // plugins boot before the admin does: let it make them first.
      await roles.createRolesIfNoneExist();
      const existing = await roles.findOne({ code: DOOR_STAFF_ROLE.code });
      if (existing) return existing.id;
      const role = await roles.create({ ...DOOR_STAFF_ROLE });
      await roles.assignPermissions(role.id, [
        { action: PERMISSIONS.checkIn, subject: null },
        { action: PERMISSIONS.stats, subject: null },
      ]);
      return role.id;
    },

    /**
     * Grants the public booking routes to the Public role, and to the Authenticated role so that a
     * visitor logged in to the site can book too, the first time the plugin starts.
     */
    async grantPublicRoutesOnce(): Promise<void> {
      const store = strapi.store({ type: 'plugin', name: PLUGIN_ID });
      if (await store.get({ key: STORE_KEY })) return;
      const roles = (await strapi.db
        .query('plugin::users-permissions.role')
        .findMany({ where: { type: { $in: ['public', 'authenticated'] } }, select: ['id'] })) as Array<{ id: number }>;
      if (roles.length === 0) return;
      for (const role of roles) {
        for (const action of PUBLIC_ACTIONS) {
          const granted = await strapi.db
            .query('plugin::users-permissions.permission')
            .findOne({ where: { action, role: { id: role.id } }, select: ['id'] });
          if (!granted) {
            await strapi.db.query('plugin::users-permissions.permission').create({ data: { action, role: role.id } });
          }
        }
      }
      await store.set({ key: STORE_KEY, value: true });
    },
  };
};

export type AccessService = ReturnType<typeof createAccessService>;
export default createAccessService;
