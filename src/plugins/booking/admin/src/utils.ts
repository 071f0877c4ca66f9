import * as React from 'react';
import { useIntl } from 'react-intl';
import { PLUGIN_ID } from './pluginId';
import en from './translations/en.json';

/** Every message the plugin's pages may ask for: the keys of the translation files (a test holds Italian to the same). */
export type MessageId = keyof typeof en;

/** A message id built at run time (`result.${code}`): checked against the files, or null. */
export const messageId = (id: string): MessageId | null => (id in en ? (id as MessageId) : null);

/** Translation keys are prefixed with the plugin id, as Strapi's own plugins do. */
export const getTranslation = (id: string) => `${PLUGIN_ID}.${id}`;

/** What a message's placeholders take: plain values, which formatMessage turns into one string. */
export type MessageValues = Record<string, string | number | boolean | Date | null | undefined>;

/**
 * The plugin's messages in the panel's language: `t('doorList.title', 'Door list', { ... })`,
 * the id without the plugin's prefix (typed: only ids the translation files have), the English
 * default beside it. One hook for every page and panel.
 */
export const useT = () => {
  const { formatMessage } = useIntl();
  return React.useCallback(
    (id: MessageId, defaultMessage: string, values?: MessageValues): string =>
      formatMessage({ id: getTranslation(id), defaultMessage }, values),
    [formatMessage]
  );
};

/** A check-in result (or door problem) in words; the code itself when the files have no words for it. */
export const useResultText = () => {
  const t = useT();
  return React.useCallback(
    (result: string) => {
      const id = messageId(`result.${result}`);
      return id ? t(id, result) : result;
    },
    [t]
  );
};
