import { PERMISSIONS } from './api';
import { PluginIcon } from './components/PluginIcon';
import { PLUGIN_ID } from './pluginId';
import { extendContentManager } from './content-manager';
import { contentManagerMessages } from './translations/content-manager';

type TranslationModule = { default: Record<string, string> };

const prefixed = (messages: Record<string, string>) =>
  Object.fromEntries(Object.entries(messages).map(([key, value]) => [`${PLUGIN_ID}.${key}`, value]));

interface AdminApp {
  registerPlugin(plugin: { id: string; name: string }): void;
  addMenuLink(link: Record<string, unknown>): void;
  getPlugin(id: string): { apis: Record<string, (arg: unknown) => void> } | undefined;
  registerHook(name: string, fn: (...args: never[]) => unknown): void;
}

export default {
  register(app: AdminApp) {
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: PluginIcon,
      intlLabel: { id: `${PLUGIN_ID}.plugin.name`, defaultMessage: 'Check-in' },
      // Hides the link only: the page and every route behind it check the permission again.
      permissions: PERMISSIONS.checkIn,
      Component: () => import('./pages/App'),
    });
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
