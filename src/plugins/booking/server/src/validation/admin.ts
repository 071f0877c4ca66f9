import { yup } from '@strapi/utils';
import { CHECK_IN_SOURCES, type CheckInSource } from '../constants';

/** How far ahead of the server's clock an offline scan's device time may be (clocks drift). */
export const SCANNED_AT_MAX_AHEAD_MS = 5 * 60_000;
/** 2026-12-06T20:31:05Z, with optional fractions of a second, and Z or an offset. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A scan (`token`: the scanned text) or a typed reference (`reference`, with `performance`: the
 * door list's and the scanner's manual check-in). Exactly one of the two.
 */
export const checkInInput = yup.object({
  token: yup
    .string()
    .max(2048, 'must be at most 2048 characters')
    .when('reference', { is: (v: unknown) => v === undefined, then: (schema) => schema.required('is required (or reference)') })
    .test('one-of', 'give token or reference, not both', function (value) {
      return value === undefined || this.parent.reference === undefined;
    }),
  reference: yup
    .string()
    .max(40, 'must be at most 40 characters')
    .matches(/^[A-Za-z0-9\s-]*[A-Za-z0-9][A-Za-z0-9\s-]*$/, 'is not a reference'),
  performance: yup
    .string()
    .max(64)
    .matches(/^[a-z0-9]+$/, 'is not a performance id')
    .when('reference', { is: (v: unknown) => v !== undefined, then: (schema) => schema.required('is required with a reference') }),
  source: yup.mixed<CheckInSource>().oneOf([...CHECK_IN_SOURCES], `must be one of ${CHECK_IN_SOURCES.join(', ')}`),
  idempotency_key: yup
    .string()
    .min(8, 'must be at least 8 characters')
    .max(64, 'must be at most 64 characters')
    .matches(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, - or _')
    .when('offline', { is: true, then: (schema) => schema.required('is required with offline') }),
  /** When the device judged the scan (an offline scan's upload): an ISO time with its offset, not ahead of the server. */
  scanned_at: yup
    .string()
    .max(40, 'must be at most 40 characters')
    .matches(ISO_TIME, 'must be an ISO time with a time zone, like 2026-12-06T20:31:05.120Z')
    .test('real', 'is not a real time', (value) => value === undefined || !Number.isNaN(Date.parse(value)))
    .test(
      'not-ahead',
      `must not be more than ${SCANNED_AT_MAX_AHEAD_MS / 60_000} minutes ahead of the server's clock`,
      (value) => value === undefined || Number.isNaN(Date.parse(value)) || Date.parse(value) <= Date.now() + SCANNED_AT_MAX_AHEAD_MS
    )
    .when('offline', { is: true, then: (schema) => schema.required('is required with offline') }),
  /** A scan the device admitted with no network and uploads now (API.md, "The door when the network drops"). */
  offline: yup.boolean(),
});

const FAST_SCAN_FIELDS = new Set(['token', 'performance', 'source', 'idempotency_key']);
const optionalString = (value: unknown, test: (text: string) => boolean) =>
  value === undefined || (typeof value === 'string' && test(value));

/**
 * Whether a check-in body is the scanner's everyday scan (a token, the performance, the source,
 * maybe an idempotency key, nothing else) and valid: a narrower test than `checkInInput`, which
 * accepts everything it accepts, without yup's schema clones on each of ten scanners' requests.
 * Anything else (a reference, an offline upload, a bad field) goes to `checkInInput` for its
 * exact answer.
 */
export const isPlainValidScan = (body: unknown): body is CheckInInput => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const fields = body as Record<string, unknown>;
  for (const key of Object.keys(fields)) if (!FAST_SCAN_FIELDS.has(key)) return false;
  return (
    typeof fields.token === 'string' &&
    fields.token.length > 0 &&
    fields.token.length <= 2048 &&
    optionalString(fields.performance, (text) => text.length <= 64 && /^[a-z0-9]+$/.test(text)) &&
    (fields.source === undefined || (CHECK_IN_SOURCES as readonly unknown[]).includes(fields.source)) &&
    optionalString(fields.idempotency_key, (text) => text.length >= 8 && text.length <= 64 && /^[A-Za-z0-9_-]+$/.test(text))
  );
};

/** `?since=` of the door snapshot: the cursor of an earlier answer. */
export const doorSnapshotQuery = yup.object({
  since: yup
    .string()
    .matches(/^[0-9]{1,15}$/, 'is not a cursor of this route')
    .test(
      'not-ahead',
      'is a cursor from the future',
      (value) => value === undefined || Number(value) <= Date.now() + SCANNED_AT_MAX_AHEAD_MS
    ),
});

/** What the schema lets through, inferred from it. */
export type CheckInInput = yup.InferType<typeof checkInInput>;
