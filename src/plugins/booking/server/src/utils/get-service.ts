import type { Core } from '@strapi/strapi';
import type services from '../services';
import type { BookingConfig } from '../config';
import { PLUGIN_ID } from '../constants';

type Services = typeof services;

/** The plugin's services, typed from the registry in services/index.ts. */
export const getService = <N extends keyof Services>(strapi: Core.Strapi, name: N): ReturnType<Services[N]> =>
  strapi.plugin(PLUGIN_ID).service<ReturnType<Services[N]>>(name);

export const getConfig = (strapi: Core.Strapi): BookingConfig => strapi.config.get<BookingConfig>(`plugin::${PLUGIN_ID}`);
