/** Cuts a label to `max` characters, the last one an ellipsis when it was longer. */
export const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

const asText = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

/**
 * What the Content Manager lists a reservation by: 'K7Q2XM · Maria Bianchi'. Here, not in
 * services/labels.ts, so that data/reservations.ts writes it with its own insert.
 */
export const reservationLabel = (reference: unknown, name: unknown): string =>
  clip(`${asText(reference) || '?'} · ${asText(name).trim() || '?'}`, 160);
