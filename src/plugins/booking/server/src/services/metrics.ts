import { createHash, timingSafeEqual } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CHECK_IN_RESULTS, ERROR_CODES, MAIL_KINDS, type MailKind } from '../constants';
import { getService } from '../utils/get-service';
import type { Backlog, OutboxKind } from './operations';

/** Every `result` a counter may carry: the outcomes, the check-in results and the error codes of docs/api.md. */
const RESULTS = new Set<string>(['created', 'confirmed', ...CHECK_IN_RESULTS, ...Object.values(ERROR_CODES)]);
/** A result outside the known set (a new code nobody added here) is counted, under one label. */
export const boundedResult = (value: unknown): string => (typeof value === 'string' && RESULTS.has(value) ? value : 'other');

const WEBHOOK_OUTCOMES = ['delivered', 'retrying', 'failed', 'dropped'] as const;
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * The instance's Prometheus metrics (`GET /metrics`, behind BOOKING_METRICS_TOKEN). Each app
 * instance has its own registry and answers for itself; Prometheus scrapes each and adds them.
 *
 * Counters are fed by the domain events (events/subscribers/metrics.ts: what committed), by the
 * answers of the public routes and the door (refusals, which change nothing and so announce
 * nothing: middlewares/request-log.ts) and by the senders (mail failures, webhook outcomes).
 * Gauges read the database when scraped. Every label holds a value from a fixed list: no
 * reference, e-mail, name, token or raw path can become a series.
 */
const createMetricsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const reservations = new Counter({
    name: 'booking_reservations_total',
    help: 'Reservations asked for: result is "created" or the error code of the refusal',
    labelNames: ['result'],
    registers,
  });
  const confirmations = new Counter({
    name: 'booking_confirmations_total',
    help: 'Confirmations (by link, box office, waiting list): result is "confirmed" or the error code of the refusal',
    labelNames: ['result'],
    registers,
  });
  const checkIns = new Counter({
    name: 'booking_checkins_total',
    help: 'Scans at the door: result is the check-in result, or the error code of a refused request',
    labelNames: ['result'],
    registers,
  });
  const mailFailures = new Counter({
    name: 'booking_mail_failures_total',
    help: 'E-mail attempts the SMTP server refused or did not answer (each is retried)',
    labelNames: ['kind'],
    registers,
  });
  const webhookDeliveries = new Counter({
    name: 'booking_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome (retrying: the receiver failed, failed: given up)',
    labelNames: ['outcome'],
    registers,
  });
  const httpDuration = new Histogram({
    name: 'booking_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });

  // The gauges of one scrape are collected together (prom-client starts every collect at once):
  // they share the one read in flight; the next scrape reads afresh, however soon it comes.
  let backlogRead: Promise<Record<OutboxKind, Backlog> | null> | null = null;
  const backlog = () => {
    backlogRead ??= getService(strapi, 'operations')
      .backlog()
      .catch(() => null)
      .finally(() => {
        backlogRead = null;
      });
    return backlogRead;
  };
  const perKind = (name: string, help: string, field: keyof Backlog) =>
    new Gauge({
      name,
      help,
      labelNames: ['kind'],
      registers,
      async collect() {
        const read = await backlog();
        this.reset();
        if (!read) return;
        for (const kind of ['mail', 'webhook'] as const) this.set({ kind }, read[kind][field]);
      },
    });
  perKind('booking_outbox_pending', 'E-mails and webhook deliveries owed and not yet gone', 'pending');
  perKind('booking_outbox_oldest_seconds', 'Age of the oldest e-mail or webhook delivery still owed', 'oldest_seconds');
  new Gauge({
    name: 'booking_database_up',
    help: '1 when the database answered this scrape, 0 when it did not',
    registers,
    async collect() {
      this.set((await backlog()) ? 1 : 0);
    },
  });
  new Gauge({
    name: 'booking_listener_up',
    help: "1 while this instance hears other instances' changes (or needs not: SQLite, public cache off), 0 while its listening connection is down",
    registers,
    collect() {
      this.set(getService(strapi, 'operations').listenerState() === 'down' ? 0 : 1);
    },
  });

  // Every known outcome starts at 0, so that a rate over an absent series is not silently empty.
  reservations.inc({ result: 'created' }, 0);
  confirmations.inc({ result: 'confirmed' }, 0);
  for (const result of CHECK_IN_RESULTS) checkIns.inc({ result }, 0);
  for (const kind of MAIL_KINDS) mailFailures.inc({ kind }, 0);
  for (const outcome of WEBHOOK_OUTCOMES) webhookDeliveries.inc({ outcome }, 0);

  return {
    reservation: (result: string) => reservations.inc({ result: boundedResult(result) }),
    confirmation: (result: string) => confirmations.inc({ result: boundedResult(result) }),
    checkIn: (result: string) => checkIns.inc({ result: boundedResult(result) }),
    mailFailed: (kind: MailKind) => mailFailures.inc({ kind: (MAIL_KINDS as readonly string[]).includes(kind) ? kind : 'other' }),
    webhookOutcome: (outcome: string) => {
      if ((WEBHOOK_OUTCOMES as readonly string[]).includes(outcome)) webhookDeliveries.inc({ outcome });
    },
    /** One answered request; `route` is the matched route's template (never the raw path). */
    request(method: string, route: string, status: number, seconds: number) {
      httpDuration.observe({ method, route, status: String(status) }, seconds);
    },

    /** Whether a request's Authorization header carries the metrics token (compared in constant time). */
    authorized(header: string | undefined, token: string): boolean {
      const match = /^Bearer (\S+)$/.exec(header ?? '');
      return match !== null && timingSafeEqual(digest(match[1]), digest(token));
    },

    contentType: registry.contentType,
    render: () => registry.metrics(),
  };
};

export type MetricsService = ReturnType<typeof createMetricsService>;
export default createMetricsService;
