import { emailKey, emailLimitKey } from '../validation/email';

/** The stored forms of an address (validation/email.ts), as the columns beside `email` hold them. */
export const emailKeys = (email: string | null) =>
  email === null ? { email_key: null, email_limit_key: null } : { email_key: emailKey(email), email_limit_key: emailLimitKey(email) };

/**
 * Completes a write of a reservation or waiting entry: whenever `email` is written, its stored
 * forms are written with it. Called by the database lifecycles (both write paths) and by the
 * plugin's own raw inserts and erasures, which bypass them.
 */
export const withEmailKeys = <T extends Record<string, unknown>>(data: T): T => {
  if (!('email' in data)) return data;
  const email = data.email;
  Object.assign(data, emailKeys(typeof email === 'string' ? email : null));
  return data;
};
