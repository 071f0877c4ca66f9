import { yup } from '@strapi/utils';

export const MESSAGE_SUBJECT_MAX = 150;
export const MESSAGE_BODY_MAX = 5000;
/** Messages one performance may get in 24 hours. */
export const MESSAGES_PER_DAY = 5;

const required = (max: number) =>
  yup
    .string()
    .required('is required')
    .max(max, `must be at most ${max} characters`)
    .test('filled', 'must not be empty', (v) => typeof v === 'string' && v.trim().length > 0);

/**
 * A message to a performance's audience (issue 22): plain text, a subject on one line (no
 * control characters: it becomes a mail header) and a body; to whom.
 */
export const audienceMessageInput = yup.object({
  // eslint-disable-next-line no-control-regex -- a header must hold no control character
  subject: required(MESSAGE_SUBJECT_MAX).test('one-line', 'must be one line of text', (v) => !/[\u0000-\u001f\u007f]/.test(v ?? '')),
  body: required(MESSAGE_BODY_MAX),
  to: yup
    .mixed<'confirmed' | 'confirmed_and_waiting'>()
    .required('is required')
    .oneOf(['confirmed', 'confirmed_and_waiting'], 'must be confirmed or confirmed_and_waiting'),
});
export type AudienceMessageInput = yup.InferType<typeof audienceMessageInput>;
