import type { Core } from '@strapi/strapi';
import { BOX_OFFICE_ROLE, EDITORIAL_ROLE_CODES, PERMISSIONS, UID, VISITOR_DATA_SUBJECTS } from '../constants';

const CONTENT_MANAGER_READ = 'plugin::content-manager.explorer.read';

interface AdminPermission {
  action: string;
  subject?: string | null;
  properties?: Record<string, unknown>;
  conditions?: string[];
}

interface AdminRoleService {
  findOne(params: Record<string, unknown>): Promise<{ id: number } | null>;
  create(attributes: Record<string, unknown>): Promise<{ id: number }>;
  assignPermissions(roleId: number, permissions: AdminPermission[]): Promise<unknown>;
  createRolesIfNoneExist(): Promise<void>;
}

interface ContentManagerAction {
  actionId: string;
  subjects?: string[];
}

interface AdminContentTypeService {
  getPermissionsWithNestedFields(actions: ContentManagerAction[]): AdminPermission[];
}

/**
 * The admin roles around visitors' data, besides "Door staff" (services/access.ts).
 *
 * Strapi gives its default Editor and Author roles every Content Manager action on every content
 * type, the plugin's included: people who edit shows would read visitors' names, addresses and
 * notes. Those grants are taken away at every start (an administrator who adds them again has
 * them until the next start: the contract says those roles see no visitor). "Box office" is made
 * once; afterwards an administrator owns it.
 */
const createStaffRolesService = ({ strapi }: { strapi: Core.Strapi }) => {
  const roles = () => strapi.service('admin::role') as unknown as AdminRoleService;

  return {
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
     * Creates the "Box office" admin role if no role has its code: statistics, check-in, and
     * reading reservations (every field) in the Content Manager.
     */
    async ensureBoxOfficeRole(): Promise<number> {
      await roles().createRolesIfNoneExist();
      const existing = await roles().findOne({ code: BOX_OFFICE_ROLE.code });
      if (existing) return existing.id;
      const role = await roles().create({ ...BOX_OFFICE_ROLE });
      const actionProvider = strapi.service('admin::permission').actionProvider as {
        get(actionId: string): ContentManagerAction | undefined;
      };
      const read = actionProvider.get(CONTENT_MANAGER_READ);
      const contentTypes = strapi.service('admin::content-type') as unknown as AdminContentTypeService;
      const readReservations = read ? contentTypes.getPermissionsWithNestedFields([{ ...read, subjects: [UID.reservation] }]) : [];
      await roles().assignPermissions(role.id, [
        { action: PERMISSIONS.checkIn, subject: null },
        { action: PERMISSIONS.stats, subject: null },
        ...readReservations,
      ]);
      return role.id;
    },
  };
};

export type StaffRolesService = ReturnType<typeof createStaffRolesService>;
export default createStaffRolesService;
