import * as React from 'react';
import { useIntl } from 'react-intl';
import { PLUGIN_ID } from './pluginId';

/** Translation keys are prefixed with the plugin id, as Strapi's own plugins do. */
export const getTranslation = (id: string) => `${PLUGIN_ID}.${id}`;

/** What a message's placeholders take: plain values, which formatMessage turns into one string. */
export type MessageValues = Record<string, string | number | boolean | Date | null | undefined>;

/**
 * The plugin's messages in the panel's language: `t('doorList.title', 'Door list', { ... })`,
 * the id without the plugin's prefix, the English default beside it. One hook for every page.
 */
export const useT = () => {
  const { formatMessage } = useIntl();
  return React.useCallback(
    (id: string, defaultMessage: string, values?: MessageValues): string =>
      formatMessage({ id: getTranslation(id), defaultMessage }, values),
    [formatMessage]
  );
};
