/**
 * The one place where the plugin reads Strapi through shapes its published types leave loose
 * (services fetched by name are typed `any`-like, some hooks are not typed at all). Each reader
 * below states the part of Strapi's API the plugin relies on, checked against 5.54.0's source;
 * nowhere else in the plugin casts Strapi's objects.
 */
import type { Core } from '@strapi/strapi';

/** An admin permission as roles are given it. */
export interface AdminPermission {
  action: string;
  subject?: string | null;
  properties?: Record<string, unknown>;
  conditions?: string[];
}

/** The admin role service (`admin::role`), as the plugin uses it. */
export interface AdminRoleService {
  findOne(params: Record<string, unknown>): Promise<{ id: number } | null>;
  create(attributes: Record<string, unknown>): Promise<{ id: number }>;
  assignPermissions(roleId: number, permissions: AdminPermission[]): Promise<unknown>;
  createRolesIfNoneExist(): Promise<void>;
}
export const adminRoles = (strapi: Core.Strapi): AdminRoleService => strapi.service('admin::role') as unknown as AdminRoleService;

/** An action as the admin's action provider announces it before registering it. */
export interface RegisteredAction {
  actionId: string;
  subjects?: string[];
}
/** The action provider's `willRegister` hook (admin's permission service). */
export const onActionWillRegister = (strapi: Core.Strapi, hook: (event: { value: RegisteredAction }) => void) => {
  const permission = strapi.admin.services.permission as unknown as {
    actionProvider: { hooks: { willRegister: { register(fn: (e: { value: RegisteredAction }) => void): void } } };
  };
  permission.actionProvider.hooks.willRegister.register(hook);
};

/** The type of a content type's attribute (the Content Manager sizes its fields by it). */
export const attributeType = (strapi: Core.Strapi, uid: string, field: string): string | undefined =>
  (strapi.contentTypes as unknown as Record<string, { attributes: Record<string, { type: string }> } | undefined>)[uid]?.attributes[field]
    ?.type;

/** A Content Manager action as the admin's action provider holds it. */
export interface ContentManagerAction {
  actionId: string;
  subjects?: string[];
}
/** The admin's content-type service: the permissions of an action with every field of its subjects. */
export const adminContentTypes = (strapi: Core.Strapi) =>
  strapi.service('admin::content-type') as unknown as {
    getPermissionsWithNestedFields(actions: ContentManagerAction[]): AdminPermission[];
  };

/** A Content Manager controller action, called bound to its controller. */
export type ControllerAction = (this: unknown, ctx: unknown) => Promise<unknown>;
/** The Content Manager's relations controller: the relation pickers of the edit view. */
export const contentManagerRelations = (strapi: Core.Strapi) =>
  strapi.plugin('content-manager').controller('relations') as unknown as Record<'findAvailable' | 'findExisting', ControllerAction>;

/** The Content Manager's permission checker for one model and the caller's CASL ability. */
export const contentManagerPermissions = (strapi: Core.Strapi, userAbility: unknown, model: string) =>
  (
    strapi.plugin('content-manager').service('permission-checker') as unknown as {
      create(options: { userAbility: unknown; model: string }): { cannot: { read(entity: unknown, field?: string): boolean } };
    }
  ).create({ userAbility, model });

/** The caller's CASL ability as the admin's authentication leaves it on `ctx.state.userAbility`. */
export interface UserAbility {
  can(action: string, subject?: string): boolean;
}

/** A Content Manager controller's actions by name (collection types: find, findOne, update, ...). */
export const contentManagerController = (strapi: Core.Strapi, name: 'collection-types') =>
  strapi.plugin('content-manager').controller(name) as unknown as Record<string, unknown>;

/** A content type's attributes, as query-reach.ts walks them; undefined for an unknown uid. */
export const attributesOf = (strapi: Core.Strapi, uid: string): Record<string, { type: string; target?: string }> | undefined =>
  (strapi.contentTypes as unknown as Record<string, { attributes: Record<string, { type: string; target?: string }> } | undefined>)[uid]
    ?.attributes ??
  (uid === 'admin::user'
    ? (strapi.getModel('admin::user') as unknown as { attributes: Record<string, { type: string }> }).attributes
    : undefined);
