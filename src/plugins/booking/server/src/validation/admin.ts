import { yup } from '@strapi/utils';
import { CHECK_IN_SOURCES, type CheckInSource } from '../constants';

export const checkInInput = yup.object({
  token: yup.string().required('is required').max(2048, 'must be at most 2048 characters'),
  performance: yup.string().max(64).matches(/^[a-z0-9]+$/, 'is not a performance id'),
  source: yup.mixed<CheckInSource>().oneOf([...CHECK_IN_SOURCES], `must be one of ${CHECK_IN_SOURCES.join(', ')}`),
  idempotency_key: yup
    .string()
    .min(8, 'must be at least 8 characters')
    .max(64, 'must be at most 64 characters')
    .matches(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, - or _'),
});

/** What the schema lets through, inferred from it. */
export type CheckInInput = yup.InferType<typeof checkInInput>;
