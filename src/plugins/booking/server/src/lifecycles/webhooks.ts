import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { ERROR_CODES, UID, WEBHOOK_EVENT_TYPES } from '../constants';
import { urlRefusedAtSave } from '../services/webhook-address';
import { newWebhookSecret, webhookSecretKey } from '../services/webhooks';
import { getConfig } from '../utils/get-service';
import { oneLanguage } from '../utils/editor-language';

interface Event {
  params: { where?: Record<string, unknown>; data?: Record<string, unknown> };
}

const refuse = (strapi: Core.Strapi, field: string, message: string): never => {
  throw new errors.ValidationError(oneLanguage(strapi, message), {
    code: ERROR_CODES.webhookInvalid,
    errors: [{ path: [field], message: oneLanguage(strapi, message), name: 'ValidationError' }],
  });
};

const isBlank = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** An absolute http(s) URL with a host; anything else (javascript:, file:, ftp:, a bare word) is refused. */
const isHttpUrl = (value: string) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
};

/**
 * Checks and completes a webhook's fields as written: the URL http(s) only and, unless
 * BOOKING_WEBHOOK_ALLOW_PRIVATE, on a public address (as written and as its name resolves now;
 * delivery checks again), the events a list of known event types (empty: all), the secret a
 * `whsec_` key of at least 24 bytes, made when left empty. `creating` fills what a new webhook
 * must have.
 */
const checkWebhookData = async (strapi: Core.Strapi, data: Record<string, unknown>, creating: boolean) => {
  if (creating || 'url' in data) {
    const url = typeof data.url === 'string' ? data.url.trim() : '';
    if (!isHttpUrl(url)) {
      refuse(
        strapi,
        'url',
        "L'indirizzo deve essere un URL http:// o https:// completo. / The URL must be a full http:// or https:// URL."
      );
    }
    if (!getConfig(strapi).webhookAllowPrivate && (await urlRefusedAtSave(new URL(url)))) {
      refuse(
        strapi,
        'url',
        "L'indirizzo porta a una rete locale o privata (loopback, link-local, privata, CGNAT, multicast): i webhook vanno solo a indirizzi pubblici. / " +
          'The URL leads to a local or private network (loopback, link-local, private, CGNAT, multicast): webhooks go to public addresses only.'
      );
    }
    data.url = url;
  }
  if (creating || 'events' in data) {
    const events = isBlank(data.events) ? [] : data.events;
    if (!Array.isArray(events) || events.some((type) => !(WEBHOOK_EVENT_TYPES as readonly unknown[]).includes(type))) {
      refuse(
        strapi,
        'events',
        `Gli eventi sono una lista JSON tra: ${WEBHOOK_EVENT_TYPES.join(', ')} (vuota: tutti). / ` +
          `Events are a JSON list of: ${WEBHOOK_EVENT_TYPES.join(', ')} (empty: all).`
      );
    }
    data.events = [...new Set(events as string[])];
  }
  if (creating || 'secret' in data) {
    // Left empty, on creation or later: a new secret (clearing the field is how one rotates it).
    if (isBlank(data.secret)) data.secret = newWebhookSecret();
    else if (typeof data.secret !== 'string' || !webhookSecretKey(data.secret.trim())) {
      refuse(
        strapi,
        'secret',
        'Il segreto è "whsec_" seguito dal base64 di almeno 24 byte; lascialo vuoto per generarne uno. / ' +
          'The secret is "whsec_" followed by the base64 of at least 24 bytes; leave it empty to have one made.'
      );
    } else data.secret = data.secret.trim();
  }
  if (creating && data.enabled === undefined) data.enabled = true;
};

/**
 * Database lifecycles of webhooks: they run for the Content Manager (Document Service) and the
 * Query Engine alike, so every write path gets the same checks and a secret when none was given.
 * A refusal is a 400 with `details.code` `webhook_invalid` naming the field.
 */
export const registerWebhookLifecycles = (strapi: Core.Strapi) => {
  strapi.db.lifecycles.subscribe({
    models: [UID.webhook],
    async beforeCreate(event: Event) {
      event.params.data = event.params.data ?? {};
      await checkWebhookData(strapi, event.params.data, true);
    },
    async beforeCreateMany(event: { params: { data?: Array<Record<string, unknown>> } }) {
      for (const data of event.params.data ?? []) await checkWebhookData(strapi, data, true);
    },
    async beforeUpdate(event: Event) {
      await checkWebhookData(strapi, event.params.data ?? {}, false);
    },
    async beforeUpdateMany(event: Event) {
      await checkWebhookData(strapi, event.params.data ?? {}, false);
    },
  });
};
