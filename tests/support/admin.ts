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
