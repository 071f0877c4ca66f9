import type { Core } from '@strapi/strapi';
import { PLUGIN_ID } from '../constants';
import { getConfig } from '../utils/get-service';

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
 * Grants once checked, remembered for `accessCacheSeconds` (see auth/strategies.ts): Strapi would
 * otherwise read the Public role's permissions, or the staff member's session, user, roles and
 * permissions, from the database on every request. The roles and grants themselves are made by
 * services/roles.ts.
 */
const createAccessCacheService = ({ strapi }: { strapi: Core.Strapi }) => {
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
  };
};

export type AccessCacheService = ReturnType<typeof createAccessCacheService>;
export default createAccessCacheService;
