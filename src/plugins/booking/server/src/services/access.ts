import type { Core } from '@strapi/strapi';
import { DOOR_STAFF_ROLE, PERMISSIONS, PUBLIC_ACTIONS, PLUGIN_ID } from '../constants';

const STORE_KEY = 'public-permissions-granted';

interface AdminRoleService {
  findOne(params: Record<string, unknown>): Promise<{ id: number } | null>;
  create(attributes: Record<string, unknown>): Promise<{ id: number }>;
  assignPermissions(roleId: number, permissions: Array<{ action: string; subject: null }>): Promise<unknown>;
  createRolesIfNoneExist(): Promise<void>;
}

/**
 * Who may do what: the admin role "Door staff" and the Users & Permissions Public grants for the
 * visitors' routes. Each is made once; afterwards an administrator owns it (a revoked public
 * grant stays revoked, a widened role stays widened).
 */
const createAccessService = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Creates the "Door staff" admin role with only the check-in and statistics permissions. */
  async ensureDoorStaffRole(): Promise<number> {
    const roles = strapi.service('admin::role') as unknown as AdminRoleService;
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
});

export type AccessService = ReturnType<typeof createAccessService>;
export default createAccessService;
