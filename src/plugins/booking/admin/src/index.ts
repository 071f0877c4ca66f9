import { PERMISSIONS } from './api';
import { PriceTag } from '@strapi/icons';
import { PluginIcon } from './components/PluginIcon';
import { PLUGIN_ID } from './pluginId';
import { extendContentManager, type AdminApp as ContentManagerApp } from './content-manager';
import { contentManagerMessages } from './translations/content-manager';
import { wipeDoorData } from './door/store';

type TranslationModule = { default: Record<string, string> };

const prefixed = (messages: Record<string, string>) =>
  Object.fromEntries(Object.entries(messages).map(([key, value]) => [`${PLUGIN_ID}.${key}`, value]));

/** A Redux middleware as Strapi's admin store takes it (a factory: the store calls it once). */
type StoreMiddleware = () => () => (next: (action: unknown) => unknown) => (action: unknown) => unknown;

/**
 * Logging out (the menu's "Log out", a session that ended, a logout in another tab: each is the
 * admin store's `admin/logout` action) wipes the door's data from the device: the snapshots, the
 * waiting scans and the worker's cached start-up answers.
 */
const wipeDoorOnLogout: StoreMiddleware = () => () => (next) => (action) => {
  if ((action as { type?: string } | null)?.type === 'admin/logout') void wipeDoorData().catch(() => undefined);
  return next(action);
};

interface AdminApp extends ContentManagerApp {
  registerPlugin(plugin: { id: string; name: string }): void;
  addMiddlewares(middlewares: StoreMiddleware[]): void;
  addMenuLink(link: Record<string, unknown>): void;
  widgets: { register(widget: Record<string, unknown>): void };
}

export default {
  register(app: AdminApp) {
    // Strapi sorts its menu by `position` (Home 0, Content Manager 1, unnamed plugins 6): the door's pages come
    // right after Home, where door staff on a phone find them first.
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: PluginIcon,
      intlLabel: { id: `${PLUGIN_ID}.plugin.name`, defaultMessage: 'Check-in' },
      // Hides the link only: the page and every route behind it check the permission again.
      permissions: PERMISSIONS.checkIn,
      position: 0.5,
      Component: () => import('./pages/App'),
    });
    // The box office's own entry: its page lives under the plugin's routes (pages/App.tsx).
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}/box-office`,
      icon: PriceTag,
      intlLabel: { id: `${PLUGIN_ID}.boxOffice.title`, defaultMessage: 'Box office' },
      permissions: PERMISSIONS.boxOffice,
      position: 0.6,
    });
    app.widgets.register({
      id: 'door',
      pluginId: PLUGIN_ID,
      icon: PluginIcon,
      title: { id: `${PLUGIN_ID}.plugin.name`, defaultMessage: 'Check-in' },
      // A promise of the component itself (not of its module, which the home page cannot render).
      component: () => import('./components/DoorWidget').then((module) => module.default),
      permissions: PERMISSIONS.checkIn,
    });
    app.addMiddlewares([wipeDoorOnLogout]);
    app.registerPlugin({ id: PLUGIN_ID, name: 'Booking' });
  },

  bootstrap(app: AdminApp) {
    extendContentManager(app);
  },

  async registerTrads({ locales }: { locales: string[] }) {
    return Promise.all(
      locales.map(async (locale) => {
        try {
          const { default: data } = (await import(`./translations/${locale}.json`)) as TranslationModule;
          // The Content Manager's own keys (field labels, hints, enumeration values) are not prefixed.
          return { data: { ...prefixed(data), ...contentManagerMessages(locale) }, locale };
        } catch {
          return { data: {}, locale };
        }
      })
    );
  },
};
