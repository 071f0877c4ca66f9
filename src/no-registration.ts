import type { Core } from '@strapi/strapi';

/** The users-permissions route that makes an end-user account (`POST /api/auth/local/register`). */
export const REGISTER_ACTION = 'plugin::users-permissions.auth.register';

/**
 * Visitors have no accounts here: they book with an e-mail address and confirm by a link. The
 * users-permissions plugin grants every visitor the right to make an account
 * (`/api/auth/local/register`) and would let one in through a provider login too. At each start
 * (app bootstrap, after the plugin's own) this takes the grant from every role, so the route
 * answers `403`, and turns the plugin's "allow registration" setting off, which also stops
 * provider logins from making accounts, should an administrator grant the route again.
 */
export const closeRegistration = async (strapi: Core.Strapi): Promise<void> => {
  const store = strapi.store({ type: 'plugin', name: 'users-permissions' });
  const advanced = ((await store.get({ key: 'advanced' })) ?? {}) as Record<string, unknown>;
  if (advanced.allow_register !== false) await store.set({ key: 'advanced', value: { ...advanced, allow_register: false } });
  await strapi.db.query('plugin::users-permissions.permission').deleteMany({ where: { action: REGISTER_ACTION } });
};
