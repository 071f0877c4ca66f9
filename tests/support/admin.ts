import request from 'supertest';
import type { Core } from '@strapi/strapi';

let counter = 0;

/**
 * Creates an active admin user with the given role (Super Admin by default) and logs in.
 * `preferedLanguage` (Strapi's spelling) is the panel language chosen in the user's profile:
 * none by default, as for a user just invited, who then gets the panel's default, Italian.
 */
export const createAdmin = async (
  strapi: Core.Strapi,
  {
    roleCode = 'strapi-super-admin',
    firstname = 'Anna',
    preferedLanguage,
  }: { roleCode?: string; firstname?: string; preferedLanguage?: 'it' | 'en' } = {}
) => {
  counter += 1;
  const email = `admin${counter}-${Date.now()}@example.test`;
  const password = 'Secret-password-123';
  const role = (await strapi.db.query('admin::role').findOne({ where: { code: roleCode } })) as { id: number } | null;
  if (!role) throw new Error(`no admin role with code ${roleCode}`);
  const user = (await strapi.service('admin::user').create({
    email,
    firstname,
    lastname: 'Rossi',
    password,
    isActive: true,
    roles: [role.id],
    ...(preferedLanguage ? { preferedLanguage } : {}),
  })) as { id: number };
  const res = await request(strapi.server.httpServer).post('/admin/login').send({ email, password });
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: user.id, email, token: res.body.data.token as string };
};

/**
 * A users-permissions end user (role Authenticated) with a JWT from the ordinary login
 * (`/api/auth/local`). Made through the plugin's service: visitors cannot sign up here
 * (`/api/auth/local/register` is off, src/no-registration.ts), but such a token must still open
 * no staff route.
 */
export const createEndUser = async (strapi: Core.Strapi, username: string) => {
  const role = (await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } })) as { id: number };
  const email = `${username}@example.test`;
  const password = 'Secret-password-123';
  await strapi
    .plugin('users-permissions')
    .service('user')
    .add({ username, email, password, provider: 'local', confirmed: true, role: role.id });
  const res = await request(strapi.server.httpServer).post('/api/auth/local').send({ identifier: email, password });
  if (res.status !== 200) throw new Error(`end-user login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { email, jwt: res.body.jwt as string };
};
