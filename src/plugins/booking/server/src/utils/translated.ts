/** The English copies' texts of shows and venues (`?lang=en`), laid over the Italian rows (services/catalogue.ts). */

/** The texts an English copy may give; any other field is the Italian row's. */
export const SHOW_TEXTS = ['title', 'summary', 'description'] as const;
export const VENUE_TEXTS = ['name', 'address', 'city'] as const;
export type Texts = Map<string, Record<string, unknown>>;

/** `row` with each text of its English copy that is there (not empty) in place of the Italian. */
export const translated = <T extends object>(row: T, texts: Texts, documentId: string | undefined, fields: readonly string[]): T => {
  const english = documentId ? texts.get(documentId) : undefined;
  if (!english) return row;
  const out = { ...row } as Record<string, unknown>;
  for (const field of fields) {
    const value = english[field];
    if (typeof value === 'string' && value.trim() !== '') out[field] = value;
  }
  return out as T;
};
