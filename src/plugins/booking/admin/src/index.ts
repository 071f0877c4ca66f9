import { PLUGIN_ID } from './pluginId';

type TranslationModule = { default: Record<string, string> };

const prefixed = (messages: Record<string, string>) =>
  Object.fromEntries(Object.entries(messages).map(([key, value]) => [`${PLUGIN_ID}.${key}`, value]));

export default {
  register(app: { registerPlugin(plugin: { id: string; name: string }): void }) {
    app.registerPlugin({ id: PLUGIN_ID, name: 'Booking' });
  },

  async registerTrads({ locales }: { locales: string[] }) {
    return Promise.all(
      locales.map(async (locale) => {
        try {
          const { default: data } = (await import(`./translations/${locale}.json`)) as TranslationModule;
          return { data: prefixed(data), locale };
        } catch {
          return { data: {}, locale };
        }
      })
    );
  },
};
