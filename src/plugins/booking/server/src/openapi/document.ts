import { ERROR_CODES, LANGUAGES, RESERVATION_STATUSES, WAITLIST_STATUSES, type ErrorCode } from '../constants';
import contentApi from '../routes/content-api';
import { brand } from '../mail/brand';
import { confirmInput, reduceInput, reservationInput, resendInput, tokenInput } from '../validation/public';
import { objectSchemaFromYup, type JsonSchema } from './from-yup';

/**
 * The machine-readable twin of docs/api.md: an OpenAPI 3.1 description of the plugin's public
 * routes. The paths come from routes/content-api.ts, the request bodies from the yup schemas of
 * validation/public.ts, the codes from constants.ts; what is written here by hand (the answers'
 * shapes, which codes each route gives) is held to the real answers by tests/openapi.test.ts.
 */

type Failures = Partial<Record<400 | 404 | 409 | 410 | 429, ErrorCode[]>>;

interface Operation {
  summary: string;
  description?: string;
  /** What the route takes in `parameters` (path and query). */
  parameters?: JsonSchema[];
  body?: JsonSchema;
  success: { status: 200 | 201 | 202; description: string; schema: JsonSchema };
  failures: Failures;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const nullable = (type: string) => ({ type: [type, 'null'] });
const object = (properties: Record<string, JsonSchema>, required = Object.keys(properties)): JsonSchema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});
const dataOf = (schema: JsonSchema, meta?: JsonSchema) => object(meta ? { data: schema, meta } : { data: schema });
const isoTime = { type: 'string', format: 'date-time' };

const schemas = (maxPartySize: number): Record<string, JsonSchema> => {
  const reservation = objectSchemaFromYup(reservationInput(maxPartySize), {
    name: {
      minLength: 1,
      description: 'One line of 1 to 120 characters: no control, invisible or direction-changing characters, no "@".',
    },
    email: { format: 'email' },
    locale: { description: 'The language of the e-mails and pages the visitor gets; `it` when absent.' },
  });
  const venue = object({ name: { type: 'string' }, slug: { type: 'string' }, address: nullable('string'), city: nullable('string') });
  const performanceProperties = {
    documentId: { type: 'string' },
    starts_at: isoTime,
    venue: { oneOf: [ref('Venue'), { type: 'null' }] },
    is_booking_enabled: { type: 'boolean' },
    status: {
      type: 'string',
      enum: ['scheduled', 'cancelled'],
      description: '`cancelled`: listed on its show until its date, never bookable (booking or joining its list: `409 booking_closed`).',
    },
    available_seats: { type: 'integer', minimum: 0 },
    bookable: { type: 'boolean', description: 'Booking enabled, not started, not cancelled, a seat left.' },
    waitlist_open: { type: 'boolean', description: 'Booking enabled, not started, no seat left: the waiting list takes names.' },
  };
  const showListItem = {
    documentId: { type: 'string' },
    title: { type: 'string' },
    slug: { type: 'string' },
    summary: nullable('string'),
    poster_image: {
      oneOf: [
        object({ url: { type: 'string' }, alternativeText: nullable('string'), width: nullable('integer'), height: nullable('integer') }),
        { type: 'null' },
      ],
    },
    next_performance_at: { oneOf: [isoTime, { type: 'null' }] },
  };
  return {
    Venue: venue,
    Performance: object(performanceProperties),
    PerformanceWithShow: object({
      ...performanceProperties,
      show: object({ title: { type: 'string' }, slug: { type: 'string' } }),
    }),
    ShowListItem: object(showListItem),
    Show: object({
      ...showListItem,
      description: { ...nullable('string'), description: 'Markdown, as the editor wrote it.' },
      description_html: {
        ...nullable('string'),
        description:
          '`description` rendered to HTML on the server and sanitised (no raw HTML, no script, handler or `javascript:` link, no images): safe to insert.',
      },
      performances: { type: 'array', items: ref('Performance'), description: 'Only performances that have not started, by `starts_at`.' },
    }),
    Pagination: object({
      page: { type: 'integer', minimum: 1 },
      pageSize: { type: 'integer', minimum: 1, maximum: 100 },
      pageCount: { type: 'integer', minimum: 0 },
      total: { type: 'integer', minimum: 0 },
    }),
    ReservationInput: reservation,
    TokenInput: objectSchemaFromYup(tokenInput),
    ConfirmInput: objectSchemaFromYup(confirmInput),
    ReduceInput: objectSchemaFromYup(reduceInput),
    ResendInput: objectSchemaFromYup(resendInput, { email: { format: 'email' } }),
    FieldProblem: object({
      path: { type: 'array', items: { type: 'string' } },
      message: { type: 'string' },
      name: { const: 'ValidationError' },
    }),
  };
};

const reference = { type: 'string' };
const partySize = { type: 'integer', minimum: 1 };

const LANG = {
  name: 'lang',
  in: 'query',
  schema: { type: 'string', enum: ['it', 'en'] },
  description: '`en`: the English texts of shows and venues where they exist, the Italian otherwise; `it` (the default): the Italian.',
} as const;

const operations = (): Record<string, Operation> => ({
  'show.find': {
    summary: 'Published shows',
    parameters: [
      { name: 'page', in: 'query', schema: { type: 'string', pattern: '^[1-9][0-9]{0,5}$' } },
      {
        name: 'pageSize',
        in: 'query',
        schema: { type: 'string', pattern: '^(100|[1-9][0-9]?)$' },
        description: '1 to 100; 25 when absent.',
      },
      { ...LANG, description: `${LANG.description} Any other value: 400 \`invalid_query\`.` },
    ],
    success: {
      status: 200,
      description: 'Published shows by title, each with its next performance.',
      schema: dataOf({ type: 'array', items: ref('ShowListItem') }, object({ pagination: ref('Pagination') })),
    },
    failures: { 400: [ERROR_CODES.invalidQuery] },
  },
  'show.findOne': {
    summary: 'A show with its upcoming performances',
    parameters: [{ name: 'slug', in: 'path', required: true, schema: { type: 'string' } }, LANG],
    success: { status: 200, description: 'The show.', schema: dataOf(ref('Show')) },
    failures: { 404: [ERROR_CODES.showNotFound] },
  },
  'performance.findOne': {
    summary: 'One performance with its show and seats',
    parameters: [{ name: 'documentId', in: 'path', required: true, schema: { type: 'string' } }, LANG],
    success: { status: 200, description: 'The performance.', schema: dataOf(ref('PerformanceWithShow')) },
    failures: { 404: [ERROR_CODES.performanceNotFound] },
  },
  'venue.findOne': {
    summary: 'A venue',
    parameters: [{ name: 'slug', in: 'path', required: true, schema: { type: 'string' } }, LANG],
    success: { status: 200, description: 'The venue.', schema: dataOf(ref('Venue')) },
    failures: { 404: [ERROR_CODES.venueNotFound] },
  },
  'reservation.create': {
    summary: 'Ask for seats',
    description:
      'A pending reservation; the confirmation link goes by e-mail. `409 sold_out` here is a courtesy: the binding check is at confirmation.',
    body: object({ data: ref('ReservationInput') }),
    success: {
      status: 201,
      description: 'The pending reservation (never a token).',
      schema: dataOf(
        object({
          reference,
          status: { const: 'pending' },
          party_size: partySize,
          performance: ref('PerformanceWithShow'),
          confirm_by: isoTime,
        })
      ),
    },
    failures: {
      400: [ERROR_CODES.validation],
      404: [ERROR_CODES.performanceNotFound],
      409: [ERROR_CODES.bookingClosed, ERROR_CODES.soldOut],
      429: [ERROR_CODES.rateLimited],
    },
  },
  'reservation.preview': {
    summary: 'What a confirmation or cancellation link acts on',
    description:
      'Changes nothing and uses nothing up. A link already used answers 200 with the status the reservation has now; `performance` is null when its show is no longer public.',
    body: ref('TokenInput'),
    success: {
      status: 200,
      description: 'The reservation behind the token.',
      schema: dataOf(
        object({
          reference,
          status: { type: 'string', enum: [...RESERVATION_STATUSES] },
          party_size: partySize,
          performance: { oneOf: [ref('PerformanceWithShow'), { type: 'null' }] },
        })
      ),
    },
    failures: {
      400: [ERROR_CODES.validation],
      404: [ERROR_CODES.tokenInvalid],
      410: [ERROR_CODES.tokenExpired],
      429: [ERROR_CODES.rateLimited],
    },
  },
  'reservation.confirm': {
    summary: 'Confirm a reservation with the e-mailed token',
    description:
      'With `party_size` (1 to the requested party), confirms that many seats: the way on when the whole party no longer fits. `409 sold_out` carries the seats left and the performance (its documentId, for its waiting list).',
    body: ref('ConfirmInput'),
    success: {
      status: 200,
      description: 'The confirmed reservation (with the seats confirmed); the ticket goes by e-mail.',
      schema: dataOf(
        object({
          reference,
          status: { const: 'confirmed' },
          party_size: partySize,
          performance: ref('PerformanceWithShow'),
          confirmed_at: isoTime,
        })
      ),
    },
    failures: {
      400: [ERROR_CODES.validation],
      404: [ERROR_CODES.tokenInvalid],
      409: [ERROR_CODES.soldOut, ERROR_CODES.bookingClosed],
      410: [ERROR_CODES.tokenUsed, ERROR_CODES.tokenExpired],
      429: [ERROR_CODES.rateLimited],
    },
  },
  'reservation.cancel': {
    summary: 'Cancel a reservation with the cancellation token',
    body: ref('TokenInput'),
    success: {
      status: 200,
      description: 'The cancelled reservation; its seats are free at once.',
      schema: dataOf(object({ reference, status: { const: 'cancelled' }, party_size: partySize, performance: ref('PerformanceWithShow') })),
    },
    failures: {
      400: [ERROR_CODES.validation],
      404: [ERROR_CODES.tokenInvalid],
      409: [ERROR_CODES.tooLate],
      410: [ERROR_CODES.tokenUsed],
      429: [ERROR_CODES.rateLimited],
    },
  },
  'reservation.reduce': {
    summary: 'Keep a confirmed reservation for fewer people',
    body: ref('ReduceInput'),
    success: {
      status: 200,
      description: 'The smaller reservation; the freed seats are free at once.',
      schema: dataOf(object({ reference, status: { const: 'confirmed' }, party_size: partySize })),
    },
    failures: {
      400: [ERROR_CODES.validation],
      404: [ERROR_CODES.tokenInvalid],
      409: [ERROR_CODES.tooLate],
      410: [ERROR_CODES.tokenUsed],
      429: [ERROR_CODES.rateLimited],
    },
  },
  'reservation.resend': {
    summary: 'Send the tickets of an address again',
    description: 'Always 202, whether the address booked or not.',
    body: ref('ResendInput'),
    success: { status: 202, description: 'Accepted.', schema: dataOf(object({ status: { const: 'accepted' } })) },
    failures: { 400: [ERROR_CODES.validation], 429: [ERROR_CODES.rateLimited] },
  },
  'waitlist.join': {
    summary: 'Join the waiting list of a performance whose seats left cannot take the party',
    description:
      '`409 seats_available` only when the party fits in the seats left now. The entry is unconfirmed until the link of its e-mail confirms it (`waitlist/confirm`); it lapses after BOOKING_CONFIRMATION_TTL_MINUTES.',
    body: object({ data: ref('ReservationInput') }),
    success: {
      status: 201,
      description: 'The unconfirmed entry; the confirmation link goes by e-mail.',
      schema: dataOf(
        object({
          reference,
          status: { const: 'unconfirmed' },
          party_size: partySize,
          performance: ref('PerformanceWithShow'),
          confirm_by: isoTime,
        })
      ),
    },
    failures: {
      400: [ERROR_CODES.validation],
      404: [ERROR_CODES.performanceNotFound],
      409: [ERROR_CODES.bookingClosed, ERROR_CODES.seatsAvailable, ERROR_CODES.alreadyWaiting],
      429: [ERROR_CODES.rateLimited],
    },
  },
  'waitlist.confirm': {
    summary: 'Confirm a waiting-list join with the e-mailed token',
    body: ref('TokenInput'),
    success: {
      status: 200,
      description:
        'The entry in the queue (`offered` when free seats were offered to it at once), and its place: 1 + the confirmed entries still waiting ahead of it. The leave link goes by e-mail.',
      schema: dataOf(
        object({
          reference,
          status: { enum: ['waiting', 'offered'] },
          party_size: partySize,
          position: { type: 'integer', minimum: 1 },
          performance: ref('PerformanceWithShow'),
        })
      ),
    },
    failures: {
      400: [ERROR_CODES.validation],
      404: [ERROR_CODES.tokenInvalid],
      410: [ERROR_CODES.tokenUsed, ERROR_CODES.tokenExpired],
      429: [ERROR_CODES.rateLimited],
    },
  },
  'waitlist.leave': {
    summary: 'Leave the waiting list with the e-mailed token',
    body: ref('TokenInput'),
    success: { status: 200, description: 'The entry, off the list.', schema: dataOf(object({ reference, status: { const: 'left' } })) },
    failures: {
      400: [ERROR_CODES.validation],
      404: [ERROR_CODES.tokenInvalid],
      410: [ERROR_CODES.tokenUsed],
      429: [ERROR_CODES.rateLimited],
    },
  },
  'openapi.document': {
    summary: 'This description',
    success: {
      status: 200,
      description: 'The OpenAPI 3.1 document.',
      schema: {
        type: 'object',
        properties: { openapi: { const: '3.1.0' }, info: { type: 'object' }, paths: { type: 'object' }, components: { type: 'object' } },
        required: ['openapi', 'info', 'paths'],
      },
    },
    failures: {},
  },
});

const ERROR_NAMES: Record<number, string> = {
  400: 'ValidationError',
  404: 'NotFoundError',
  409: 'ConflictError',
  410: 'GoneError',
  413: 'PayloadTooLargeError',
  429: 'TooManyRequestsError',
  503: 'ServiceUnavailableError',
};

/** Strapi's error envelope for these codes, with the details each code carries. */
const errorEnvelope = (status: number, codes: ErrorCode[]): JsonSchema => {
  const details: Record<string, JsonSchema> = { code: { enum: codes } };
  if (codes.includes(ERROR_CODES.validation)) details.errors = { type: 'array', items: ref('FieldProblem') };
  if (codes.includes(ERROR_CODES.soldOut) || codes.includes(ERROR_CODES.seatsAvailable)) {
    details.available_seats = { type: 'integer', minimum: 0 };
  }
  if (codes.includes(ERROR_CODES.soldOut)) {
    details.performance = { type: 'string', description: 'At confirmation: the documentId of the performance, for its waiting list.' };
  }
  if (codes.includes(ERROR_CODES.rateLimited)) {
    details.retry_after_seconds = { type: 'integer', minimum: 0, description: 'Given by the per-connection limit.' };
  }
  if (codes.includes(ERROR_CODES.tokenUsed)) {
    details.status = { enum: [...new Set<string>([...RESERVATION_STATUSES, ...WAITLIST_STATUSES])] };
  }
  return object({
    data: { type: 'null' },
    error: object({
      status: { const: status },
      name: { type: 'string' },
      message: { type: 'string' },
      details: object(details, ['code']),
    }),
  });
};

const isPost = (method: string) => method === 'POST';

/**
 * Builds the document. `maxPartySize` is the running app's BOOKING_MAX_PARTY_SIZE, so the
 * request schema says the limit the server applies.
 */
export const buildOpenApiDocument = ({ maxPartySize }: { maxPartySize: number }) => {
  const described = operations();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of contentApi.routes) {
    const op = described[route.handler];
    // A public route without its description is a mistake to see at once, not a gap in the document.
    if (!op) throw new Error(`booking: the OpenAPI document does not describe ${route.handler}`);
    const failures: Partial<Record<number, ErrorCode[]>> = { ...op.failures };
    // Every public POST: an unreadable body is 400 validation, an oversized one 413
    // (middlewares/body-errors.ts); every route: 503 while the database is away.
    if (isPost(route.method)) {
      failures[400] = [...new Set([...(failures[400] ?? []), ERROR_CODES.validation])];
      failures[413] = [ERROR_CODES.payloadTooLarge];
      failures[429] = [ERROR_CODES.rateLimited];
    }
    failures[503] = [ERROR_CODES.serviceUnavailable];
    const responses: Record<string, unknown> = {
      [op.success.status]: { description: op.success.description, content: { 'application/json': { schema: op.success.schema } } },
    };
    for (const [status, codes] of Object.entries(failures)) {
      if (!codes) continue;
      responses[status] = {
        description: `${ERROR_NAMES[Number(status)]}: ${codes.join(', ')}`,
        content: { 'application/json': { schema: errorEnvelope(Number(status), codes) } },
      };
    }
    const path = `/api/booking${route.path.replace(/:([A-Za-z]+)/g, '{$1}')}`;
    paths[path] = {
      ...paths[path],
      [route.method.toLowerCase()]: {
        operationId: route.handler.replace('.', '_'),
        summary: op.summary,
        ...(op.description ? { description: op.description } : {}),
        ...(op.parameters ? { parameters: op.parameters } : {}),
        ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: op.body } } } } : {}),
        responses,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: `${brand().name} booking: public API`,
      version: '2.0.0',
      description:
        'The public booking routes (visitors, the static site, the widget). docs/api.md is the human-readable twin. ' +
        `Languages: ${LANGUAGES.join(', ')}. Failures are Strapi's error envelope with a stable error.details.code.`,
    },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    paths,
    components: { schemas: schemas(maxPartySize) },
  };
};

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
