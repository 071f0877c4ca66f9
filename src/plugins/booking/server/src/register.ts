import type { Core } from '@strapi/strapi';
import { ACTIONS } from './constants';
import { bindStrategies } from './auth/strategies';
import { hardenAdminLogin } from './auth/admin-login';
import { registerDocumentRules } from './middlewares/document-rules';
import { registerEditorPermissions } from './auth/editor-permissions';
import { limitPublicBodies } from './middlewares/public-body';
import { registerLocaleSetup } from './utils/locales';
import { guardRelationPickers } from './middlewares/relation-pickers';
import { guardContentManagerReach } from './middlewares/content-manager-reach';
import { registerOperationsRoutes } from './routes/operations';
import { registerPages } from './routes/pages';
import { placeAppMiddlewares } from './middlewares/app-stack';
import { useBrand } from './mail/brand';
import { getConfig } from './utils/get-service';

const register = async ({ strapi }: { strapi: Core.Strapi }) => {
  useBrand(getConfig(strapi).brand);
  placeAppMiddlewares(strapi);
  await strapi.admin.services.permission.actionProvider.registerMany([...ACTIONS]);
  bindStrategies(strapi);
  registerDocumentRules(strapi);
  registerEditorPermissions(strapi);
  limitPublicBodies(strapi);
  registerLocaleSetup(strapi);
  await hardenAdminLogin(strapi);
  guardRelationPickers(strapi);
  guardContentManagerReach(strapi);
  registerOperationsRoutes(strapi);
  registerPages(strapi);
};

export default register;
