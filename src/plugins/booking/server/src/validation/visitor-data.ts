import { yup } from '@strapi/utils';
import { isEmail, MAX_EMAIL_LENGTH } from './email';

/** `{ email }`: the address whose data an administrator exports or erases. */
export const visitorAddress = yup.object({
  email: yup
    .string()
    .required('is required')
    .max(MAX_EMAIL_LENGTH, `must be at most ${MAX_EMAIL_LENGTH} characters`)
    .test('email', 'must be a valid e-mail address', (value) => value === undefined || isEmail(value)),
});

export interface VisitorAddress {
  email: string;
  [key: string]: unknown;
}
