import type { Core } from '@strapi/strapi';
import { buildOpenApiDocument, type OpenApiDocument } from '../openapi/document';
import { getConfig } from '../utils/get-service';

/** The OpenAPI document of the public routes, built once per app (it depends on configuration only). */
const createOpenApiService = ({ strapi }: { strapi: Core.Strapi }) => {
  let built: OpenApiDocument | null = null;
  return {
    /** The OpenAPI 3.1 document of GET /api/booking/openapi.json. */
    document(): OpenApiDocument {
      built ??= buildOpenApiDocument({ maxPartySize: getConfig(strapi).maxPartySize });
      return built;
    },
  };
};

export type OpenApiService = ReturnType<typeof createOpenApiService>;
export default createOpenApiService;
