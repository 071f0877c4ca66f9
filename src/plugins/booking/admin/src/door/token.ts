/**
 * The check-in token in a scanned or typed text, as the server reads it (services/tokens.ts,
 * extractToken): the text itself, or the last `token=` parameter of a URL, if it has a token's
 * shape. A test holds the two to the same answers.
 */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const safeDecode = (value: string): string | null => {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
};

export const extractToken = (text: string): string | null => {
  const trimmed = text.trim();
  const fromParam = /[?&#]token=([^&#\s]*)/g;
  let match: RegExpExecArray | null;
  let last: string | null = null;
  while ((match = fromParam.exec(trimmed)) !== null) last = match[1];
  const candidate = last !== null ? safeDecode(last) : trimmed;
  return candidate !== null && TOKEN_PATTERN.test(candidate) ? candidate : null;
};
