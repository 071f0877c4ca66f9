import { yup } from '@strapi/utils';
import { CHECK_IN_SOURCES, type CheckInSource } from '../constants';

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
    .matches(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, - or _'),
});

/** What the schema lets through, inferred from it. */
export type CheckInInput = yup.InferType<typeof checkInInput>;
