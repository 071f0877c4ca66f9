import type { Core } from '@strapi/strapi';
import { ACTIONS } from './constants';
import { registerDocumentRules } from './middlewares/document-rules';
import { registerEditorPermissions } from './auth/editor-permissions';

const register = async ({ strapi }: { strapi: Core.Strapi }) => {
  await strapi.admin!.services.permission.actionProvider.registerMany(ACTIONS as never);
  registerDocumentRules(strapi);
  registerEditorPermissions(strapi);
};

export default register;
