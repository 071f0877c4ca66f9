import type { Core } from '@strapi/strapi';
import {
  BOX_OFFICE_ROLE,
  DOOR_STAFF_ROLE,
  EDITORIAL_ROLE_CODES,
  PERMISSIONS,
  PLUGIN_ID,
  PUBLIC_ACTIONS,
  UID,
  VISITOR_DATA_SUBJECTS,
} from '../constants';
import { adminContentTypes, adminRoles, type ContentManagerAction } from '../utils/strapi-adapter';
import { LOCALIZED_TYPES, TEXT_LOCALES } from '../utils/locales';

const STORE_KEY = 'public-permissions-granted';

const CONTENT_MANAGER_READ = 'plugin::content-manager.explorer.read';
const CONTENT_MANAGER_ACTIONS = 'plugin::content-manager.explorer.';

/**
 * Who may do what, made at boot: the admin roles "Door staff" and "Box office", the Editor and
 * Author roles kept away from visitors' data, and the Users & Permissions Public grants of the
 * visitors' routes. What is made once (the two roles, the public grants) is then the
 * administrator's: a revoked public grant stays revoked, a widened role stays widened.
 *
 * Strapi gives its default Editor and Author roles every Content Manager action on every content
 * type, the plugin's included: people who edit shows would read visitors' names, addresses and
 * notes. Those grants are taken away at every start (an administrator who adds them again has
 * them until the next start: the contract says those roles see no visitor). "Box office" is made
 * once; afterwards an administrator owns it.
 */
const createRolesService = ({ strapi }: { strapi: Core.Strapi }) => {
  const roles = () => adminRoles(strapi);

  /**
   * Adds one plugin permission (no subject) to a role unless the role holds it, keeping the rest.
   * Marked in the plugin store per role and action, so an administrator who later takes it away
   * keeps it taken away.
   */
  const addPermissionOnce = async (roleId: number, action: string): Promise<boolean> => {
    const store = strapi.store({ type: 'plugin', name: PLUGIN_ID });
    const key = `permission-added:${roleId}:${action}`;
    if (await store.get({ key })) return false;
    const held = await strapi.db.query('admin::permission').findOne({ where: { action, role: { id: roleId } }, select: ['id'] });
    if (!held) {
      await strapi.db.query('admin::permission').create({
        data: { action, actionParameters: {}, subject: null, properties: {}, conditions: [], role: roleId },
      });
    }
    await store.set({ key, value: true });
    return !held;
  };

  return {
    /**
     * Creates the "Door staff" admin role with the check-in, statistics and door-list permissions.
     * A role made before the door list existed gets door-list.read added once (the printed list is
     * the door's fallback when the scanner fails); nothing else of an existing role is touched.
     */
    async ensureDoorStaffRole(): Promise<number> {
      // Strapi makes its default roles (Super Admin, Editor, Author) only while no role exists, and
      // plugins boot before the admin does: let it make them first.
      await roles().createRolesIfNoneExist();
      const existing = await roles().findOne({ code: DOOR_STAFF_ROLE.code });
      if (existing) {
        await addPermissionOnce(existing.id, PERMISSIONS.doorList);
        return existing.id;
      }
      const role = await roles().create({ ...DOOR_STAFF_ROLE });
      await roles().assignPermissions(role.id, [
        { action: PERMISSIONS.checkIn, subject: null },
        { action: PERMISSIONS.stats, subject: null },
        { action: PERMISSIONS.doorList, subject: null },
      ]);
      return role.id;
    },

    addPermissionOnce,

    /**
     * Grants the public booking routes to the Public role, and to the Authenticated role so that a
     * visitor logged in to the site can book too, each route the first time a plugin version
     * that has it starts (the store remembers which were granted: a revoked grant stays revoked,
     * a route added by a later version is granted once).
     */
    async grantPublicRoutesOnce(): Promise<void> {
      const store = strapi.store({ type: 'plugin', name: PLUGIN_ID });
      const stored = await store.get({ key: STORE_KEY });
      // `true`: granted by a version that knew only the first seven routes.
      const granted = new Set<string>(Array.isArray(stored) ? (stored as string[]) : stored ? PUBLIC_ACTIONS.slice(0, 7) : []);
      const missing = PUBLIC_ACTIONS.filter((action) => !granted.has(action));
      if (missing.length === 0) return;
      const grantTo = async (roleId: number) => {
        for (const action of missing) {
          const granted = await strapi.db
            .query('plugin::users-permissions.permission')
            .findOne({ where: { action, role: { id: roleId } }, select: ['id'] });
          if (!granted) {
            await strapi.db.query('plugin::users-permissions.permission').create({ data: { action, role: roleId } });
          }
        }
        await store.set({ key: STORE_KEY, value: [...PUBLIC_ACTIONS] });
      };
      const publicRoles = (await strapi.db
        .query('plugin::users-permissions.role')
        .findMany({ where: { type: { $in: ['public', 'authenticated'] } }, select: ['id'] })) as Array<{ id: number }>;
      if (publicRoles.length === 0) {
        // A new database, where Users & Permissions starts after this plugin (an app whose
        // config/plugins does not list it first) and has not made its roles yet: each is granted
        // the routes when it is made.
        strapi.db.lifecycles.subscribe({
          models: ['plugin::users-permissions.role'],
          async afterCreate(event) {
            const role = event.result as { id: number; type?: string };
            if (role.type === 'public' || role.type === 'authenticated') await grantTo(role.id);
          },
        });
        return;
      }
      for (const role of publicRoles) await grantTo(role.id);
    },

    /**
     * Removes every permission of the Editor and Author roles on the content types that hold
     * visitors' data. Idempotent; returns how many permissions went.
     */
    async restrictEditorialRoles(): Promise<number> {
      await roles().createRolesIfNoneExist();
      const editorial = (await strapi.db
        .query('admin::role')
        .findMany({ where: { code: { $in: [...EDITORIAL_ROLE_CODES] } }, select: ['id'] })) as Array<{ id: number }>;
      if (editorial.length === 0) return 0;
      const granted = (await strapi.db.query('admin::permission').findMany({
        where: { role: { id: { $in: editorial.map((role) => role.id) } }, subject: { $in: [...VISITOR_DATA_SUBJECTS] } },
        select: ['id'],
      })) as Array<{ id: number }>;
      if (granted.length === 0) return 0;
      const { count } = await strapi.db
        .query('admin::permission')
        .deleteMany({ where: { id: { $in: granted.map((permission) => permission.id) } } });
      return count;
    },

    /**
     * Gives the Editor and Author roles both text languages (`it`, `en`) on shows and venues,
     * once per role: Strapi limits a role's permissions on a type that becomes localized to the
     * default locale alone (or to the locales of the day the role was made), which would leave
     * editors without the English texts, or, on a database whose default was `en`, without the
     * Italian shows. Marked in the plugin store: a locale an administrator takes away later stays
     * away. Returns how many permissions changed.
     */
    async grantEditorialLocalesOnce(): Promise<number> {
      await roles().createRolesIfNoneExist();
      const store = strapi.store({ type: 'plugin', name: PLUGIN_ID });
      const editorial = (await strapi.db
        .query('admin::role')
        .findMany({ where: { code: { $in: [...EDITORIAL_ROLE_CODES] } }, select: ['id'] })) as Array<{ id: number }>;
      let changed = 0;
      for (const role of editorial) {
        const key = `locales-granted:${role.id}`;
        if (await store.get({ key })) continue;
        const permissions = (await strapi.db.query('admin::permission').findMany({
          where: { role: { id: role.id }, subject: { $in: [...LOCALIZED_TYPES] }, action: { $startsWith: CONTENT_MANAGER_ACTIONS } },
          select: ['id', 'properties'],
        })) as Array<{ id: number; properties: Record<string, unknown> | null }>;
        for (const permission of permissions) {
          const held = Array.isArray(permission.properties?.locales) ? (permission.properties.locales as string[]) : [];
          const locales = [...new Set([...held, ...TEXT_LOCALES.map((locale) => locale.code)])];
          if (locales.length === held.length) continue;
          await strapi.db
            .query('admin::permission')
            .update({ where: { id: permission.id }, data: { properties: { ...(permission.properties ?? {}), locales } } });
          changed += 1;
        }
        await store.set({ key, value: true });
      }
      return changed;
    },

    /**
     * Creates the "Box office" admin role if no role has its code: box-office bookings, the door
     * list, statistics, check-in, and reading reservations (every field) in the Content Manager.
     * A role made before the box office existed gets the two new permissions added once.
     */
    async ensureBoxOfficeRole(): Promise<number> {
      await roles().createRolesIfNoneExist();
      const existing = await roles().findOne({ code: BOX_OFFICE_ROLE.code });
      if (existing) {
        await addPermissionOnce(existing.id, PERMISSIONS.doorList);
        await addPermissionOnce(existing.id, PERMISSIONS.boxOffice);
        // When the evening changes (issue 22): the box office writes to a performance's audience.
        await addPermissionOnce(existing.id, PERMISSIONS.message);
        return existing.id;
      }
      const role = await roles().create({ ...BOX_OFFICE_ROLE });
      const actionProvider = strapi.service('admin::permission').actionProvider as {
        get(actionId: string): ContentManagerAction | undefined;
      };
      const read = actionProvider.get(CONTENT_MANAGER_READ);
      const contentTypes = adminContentTypes(strapi);
      // Who may see reservations sees the waiting list too.
      const readReservations = read
        ? contentTypes.getPermissionsWithNestedFields([{ ...read, subjects: [UID.reservation, UID.waitlistEntry] }])
        : [];
      await roles().assignPermissions(role.id, [
        { action: PERMISSIONS.checkIn, subject: null },
        { action: PERMISSIONS.stats, subject: null },
        { action: PERMISSIONS.doorList, subject: null },
        { action: PERMISSIONS.boxOffice, subject: null },
        { action: PERMISSIONS.message, subject: null },
        ...readReservations,
      ]);
      return role.id;
    },

    /**
     * Issue 22: the Editor role may cancel a performance (Super Admin holds every action). Added
     * once: an administrator who takes it away keeps it taken away.
     */
    async grantPerformanceCancelOnce(): Promise<void> {
      await roles().createRolesIfNoneExist();
      const editor = await roles().findOne({ code: 'strapi-editor' });
      if (editor) await addPermissionOnce(editor.id, PERMISSIONS.performanceCancel);
    },
  };
};

export type RolesService = ReturnType<typeof createRolesService>;
export default createRolesService;
