/**
 * Why a request got no answer about the ticket: the server refused the staff member (403), the
 * scans came too fast (429), or the server could not answer (503 and other 5xx). Never shown as
 * "not a valid ticket": the ticket was not looked at.
 */
export type RequestProblem = 'forbidden' | 'rate_limited' | 'server_busy';

/** No answer at all: the network is down (fetch's TypeError), not a refusal. */
export const isNetworkError = (error: unknown) => {
  const e = error as { response?: unknown; status?: number; name?: string } | null;
  return !e?.response && !e?.status && e?.name !== 'AbortError';
};

export const statusOf = (error: unknown) => (error as { status?: number } | null)?.status;

/** What an HTTP error answer means at the door; null for the refusals that are about the ticket. */
export const requestProblem = (error: unknown): RequestProblem | null => {
  const status = statusOf(error);
  if (status === 403) return 'forbidden';
  if (status === 429) return 'rate_limited';
  if (status !== undefined && status >= 500) return 'server_busy';
  return null;
};
