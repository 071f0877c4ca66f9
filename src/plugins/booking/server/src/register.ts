import type { Core } from '@strapi/strapi';
import { ACTIONS } from './constants';
import { bindStrategies } from './auth/strategies';
import { registerDocumentRules } from './middlewares/document-rules';
import { registerEditorPermissions } from './auth/editor-permissions';
import { limitPublicBodies } from './middlewares/public-body';
import { registerLocaleSetup } from './utils/locales';

const register = async ({ strapi }: { strapi: Core.Strapi }) => {
  await strapi.admin!.services.permission.actionProvider.registerMany([...ACTIONS]);
  bindStrategies(strapi);
  registerDocumentRules(strapi);
  registerEditorPermissions(strapi);
  limitPublicBodies(strapi);
  registerLocaleSetup(strapi);
};

export default register;
