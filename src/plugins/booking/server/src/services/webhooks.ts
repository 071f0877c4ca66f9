import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Core } from '@strapi/strapi';
import { dataOf } from '../data';
import type { DeliveryToSend } from '../data/webhook-deliveries';
import { getConfig, getService } from '../utils/get-service';
import { brandToken } from '../mail/brand';
import { ipLiteralRefused, PrivateAddressError, publicOnlyLookup } from './webhook-address';

/** A receiver that has not answered in this long has not answered: the delivery is retried. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** Retries go on for this long after the event; then the delivery is marked failed. */
export const WEBHOOK_RETRY_WINDOW_MS = 24 * 3600_000;
/** Longer than a send can take (the timeout), so one instance at a time sends a delivery. */
const LEASE_MS = 60_000;
const SECRET_PREFIX = 'whsec_';
/** The least key length the contract allows (`whsec_` + base64 of at least 24 random bytes). */
export const WEBHOOK_SECRET_MIN_BYTES = 24;

/** 30 s after the first failure (within the minute), then doubling: 1 min, 2 min, 4 min, ... */
export const webhookRetryDelayMs = (attempts: number) => 30_000 * 2 ** Math.max(0, attempts - 1);

/** A fresh secret: `whsec_` and the base64 of 32 random bytes. */
export const newWebhookSecret = () => `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;

/** The key bytes of a `whsec_...` secret, or null when it is not one (or too short). */
export const webhookSecretKey = (secret: string): Buffer | null => {
  if (!secret.startsWith(SECRET_PREFIX)) return null;
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) return null;
  const key = Buffer.from(encoded, 'base64');
  return key.length >= WEBHOOK_SECRET_MIN_BYTES ? key : null;
};

/**
 * The Standard Webhooks signature (standardwebhooks.com): `v1,` and the base64 HMAC-SHA256 of
 * `id.timestamp.body`, keyed by the secret's decoded bytes. Written here with node:crypto (ten
 * lines, no runtime dependency); the tests verify it with the reference library.
 */
export const signWebhook = (secret: string, messageId: string, timestampSeconds: number, body: string): string => {
  const key = webhookSecretKey(secret);
  if (!key) throw new Error('not a whsec_ secret');
  return `v1,${createHmac('sha256', key).update(`${messageId}.${timestampSeconds}.${body}`).digest('base64')}`;
};

/** The body a receiver gets: what happened, when, to which reservation; nothing personal. */
export const webhookBody = (delivery: Pick<DeliveryToSend, 'eventType' | 'occurredAt' | 'data' | 'payload'>) =>
  JSON.stringify({
    type: delivery.eventType,
    timestamp: delivery.occurredAt.toISOString(),
    // An event about a performance (performance.rescheduled) carries its own facts.
    data: delivery.payload ?? {
      reference: delivery.data.reference,
      performance: delivery.data.performance,
      party_size: delivery.data.party_size,
      status: delivery.data.status,
    },
  });

/** What a delivery refused to a non-public address records (for administrators, both languages). */
export const PRIVATE_ADDRESS_NOTE =
  'indirizzo locale o privato rifiutato, nessuna richiesta inviata / local or private address refused, no request sent';

/** Error text for operators: the failure's kind, never the URL (it may hold a token) or the secret. */
const describe = (error: unknown): string => {
  if (error instanceof PrivateAddressError) return PRIVATE_ADDRESS_NOTE;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s`;
  }
  const own = error instanceof Error ? (error as Error & { code?: string }).code : undefined;
  const cause = error instanceof Error ? (error as Error & { cause?: { code?: string } }).cause : undefined;
  const text = own ?? cause?.code ?? (error instanceof Error ? error.message : String(error));
  return String(text)
    .replace(/https?:\/\/\S+/g, '<url>')
    .slice(0, 500);
};

type Outcome = 'delivered' | 'retrying' | 'failed' | 'dropped' | 'skipped';

/**
 * Webhooks: events told to other systems, at least once. The deliveries are written in the
 * announcing transaction (events/subscribers/webhooks.ts), tried right after the commit, and
 * retried by the 30 s housekeeping job: the first retry 30 s after a failure, then with doubling
 * back-off until 24 h after the event, always with the same `webhook-id` so a receiver can drop
 * repeats. A lease taken by a conditional UPDATE lets one instance at a time send each delivery.
 * Only a crash between the receiver's 2xx and the "delivered" mark sends one twice, which the
 * same `webhook-id` makes harmless.
 */
const createWebhooksService = ({ strapi }: { strapi: Core.Strapi }) => {
  const inFlight = new Set<Promise<unknown>>();
  const deliveries = () => dataOf(strapi).webhookDeliveries;

  /**
   * One POST with node:http(s), not fetch: the request's `lookup` checks the addresses the socket
   * is about to connect to (services/webhook-address.ts), so a name cannot resolve to a public
   * address at save and to the theatre's network at delivery (`localhost` included: it is
   * resolved and refused like any name). An IP literal is checked here, since no lookup happens
   * for one. Redirects are not followed (a 3xx is retried).
   */
  const post = (delivery: DeliveryToSend & { webhook: NonNullable<DeliveryToSend['webhook']> }, now: Date) =>
    new Promise<number>((resolve, reject) => {
      const body = webhookBody(delivery);
      const timestamp = Math.floor(now.getTime() / 1000);
      const url = new URL(delivery.webhook.url);
      const guarded = !getConfig(strapi).webhookAllowPrivate;
      if (guarded && ipLiteralRefused(url)) return reject(new PrivateAddressError());
      const client = url.protocol === 'https:' ? https : http;
      const req = client.request(
        url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': `${brandToken()}-Booking-Webhooks/1`,
            'webhook-id': delivery.messageId,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signWebhook(delivery.webhook.secret, delivery.messageId, timestamp, body),
          },
          ...(guarded ? { lookup: publicOnlyLookup as never } : {}),
          // A fresh connection each time, so every delivery's address goes through the lookup
          // (a kept-alive socket would skip it).
          agent: false,
          signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
        },
        (response) => {
          // The answer's body is not read, only released.
          response.resume();
          resolve(response.statusCode ?? 0);
        }
      );
      req.on('error', reject);
      req.end(body);
    });

  return {
    /**
     * Sends one delivery now if no other instance holds it. `now` is the clock of the attempt (the
     * `webhook-timestamp`, the lease, the next try); tests inject it.
     */
    async deliver(id: number, now = new Date()): Promise<Outcome> {
      if (!(await deliveries().lease(strapi.db.connection, id, now, new Date(now.getTime() + LEASE_MS)))) return 'skipped';
      const delivery = await deliveries().loadForSending(strapi.db.connection, id);
      if (!delivery) return 'skipped';
      const settle = (data: Parameters<ReturnType<typeof deliveries>['settle']>[2]) =>
        deliveries().settle(
          strapi.db.connection,
          { id, eventType: delivery.eventType, reference: delivery.data.reference ?? delivery.data.performance },
          data
        );

      const webhook = delivery.webhook;
      if (!webhook || !webhook.enabled) {
        await settle({ delivery_status: 'dropped', lease_until: null, last_error: webhook ? 'webhook disabled' : 'webhook deleted' });
        getService(strapi, 'metrics').webhookOutcome('dropped');
        return 'dropped';
      }
      const attempts = delivery.attempts + 1;
      let status: number | null = null;
      let failure: string;
      let refused = false;
      try {
        status = await post({ ...delivery, webhook }, now);
        failure = `HTTP ${status}`;
      } catch (error) {
        failure = describe(error);
        // Not requested, and not retried: the URL leads to a network webhooks may not reach.
        refused = error instanceof PrivateAddressError;
      }
      if (status !== null && status >= 200 && status < 300) {
        await settle({
          delivery_status: 'delivered',
          attempts,
          lease_until: null,
          last_response_status: status,
          last_error: null,
          delivered_at: new Date(),
        });
        getService(strapi, 'metrics').webhookOutcome('delivered');
        return 'delivered';
      }
      const giveUpAt = delivery.createdAt.getTime() + WEBHOOK_RETRY_WINDOW_MS;
      const nextTry = Math.min(now.getTime() + webhookRetryDelayMs(attempts), giveUpAt);
      const outcome: Outcome = refused || now.getTime() >= giveUpAt ? 'failed' : 'retrying';
      await settle({
        delivery_status: outcome,
        attempts,
        lease_until: null,
        last_response_status: status,
        last_error: failure,
        next_attempt_at: outcome === 'failed' ? null : new Date(nextTry),
      });
      // No URL in the log: it may carry the receiver's own token.
      strapi.log.warn(`[booking] webhook delivery ${id} (${delivery.eventType}) attempt ${attempts}: ${failure}`);
      getService(strapi, 'metrics').webhookOutcome(outcome);
      return outcome;
    },

    /** Tries the deliveries just written, after the commit; keeps track so shutdown waits. */
    deliverLater(ids: number[]): void {
      for (const id of ids) {
        const sending = this.deliver(id)
          .catch((error) => strapi.log.error(`[booking] webhook delivery ${id}: ${describe(error)}`))
          .finally(() => inFlight.delete(sending));
        inFlight.add(sending);
      }
    },

    /** Sends every delivery whose time has come (the retry job); what became of each. */
    async deliverDue(now = new Date(), limit = 50): Promise<Outcome[]> {
      const due = await deliveries().due(strapi.db.connection, now, limit);
      return Promise.all(due.map((id) => this.deliver(id, now)));
    },

    /** Waits for the sends started by deliverLater (shutdown, tests). */
    async settle(): Promise<void> {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
};

export type WebhooksService = ReturnType<typeof createWebhooksService>;
export default createWebhooksService;
