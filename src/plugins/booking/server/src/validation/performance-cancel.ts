import { yup } from '@strapi/utils';

/** Issue 22: the body of `POST /booking/performances/:documentId/cancel`. */
export const performanceCancelInput = yup.object({
  message: yup.string().nullable().max(1000, 'must be at most 1000 characters'),
});

export type PerformanceCancelInput = yup.InferType<typeof performanceCancelInput>;
