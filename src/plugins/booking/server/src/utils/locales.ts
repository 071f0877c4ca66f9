/**
 * Show and venue texts in two languages through Strapi's i18n: `it` is the default locale (the
 * row every performance links to, the one the plugin's reads start from), `en` an optional copy
 * of the texts (title, summary, description; venue name, address, city) with the same
 * documentId. Everything else of a show or venue (slug aside) is shared between the copies by
 * i18n itself.
 */
import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { dataOf } from '../data';
import { transaction } from './transaction';

export const BASE_LOCALE = 'it';
export const TEXT_LOCALES = [
  { code: 'it', name: 'Italian (it)' },
  { code: 'en', name: 'English (en)' },
] as const;
export type TextLanguage = 'it' | 'en';

/** The localized content types of the plugin. */
export const LOCALIZED_TYPES = [UID.show, UID.venue] as const;

/** The Query Engine filter of the base rows: an English copy is never listed or joined twice. */
export const baseLocale = { locale: BASE_LOCALE } as const;

/** `?lang=en` asks for English; anything else is Italian. */
export const textLanguage = (lang: unknown): TextLanguage => (lang === 'en' ? 'en' : 'it');

/** The texts an English copy may give; any other field is the Italian row's. */
export const SHOW_TEXTS = ['title', 'summary', 'description'] as const;
export const VENUE_TEXTS = ['name', 'address', 'city'] as const;
/** English texts by documentId. */
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

/**
 * The English copies' texts of these shows or venues (by documentId), for `?lang=en`; nothing
 * for Italian. One query however many rows.
 */
export const readEnglishTexts = async (
  strapi: Core.Strapi,
  uid: typeof UID.show | typeof UID.venue,
  documentIds: Array<string | undefined>,
  lang: TextLanguage
): Promise<Texts> => {
  const ids = [...new Set(documentIds.filter((id): id is string => Boolean(id)))];
  if (lang !== 'en' || ids.length === 0) return new Map();
  const fields = uid === UID.show ? SHOW_TEXTS : VENUE_TEXTS;
  const rows = (await strapi.db.query(uid).findMany({
    where: { documentId: { $in: ids }, locale: 'en' },
    select: ['documentId', ...fields],
  })) as Array<Record<string, unknown> & { documentId: string }>;
  return new Map(rows.map((row) => [row.documentId, row]));
};

interface LocaleRow {
  code: string;
}

/**
 * Both locales exist and `it` is the default, before anything reads the default: Strapi's i18n
 * starts a database with `en` as its only and default locale, and labels existing rows of a type
 * that becomes localized with the default locale during the schema sync.
 */
export const ensureLocales = async (strapi: Core.Strapi): Promise<void> => {
  const existing = (await strapi.db.query('plugin::i18n.locale').findMany({ select: ['code'] })) as LocaleRow[];
  const codes = new Set(existing.map((row) => row.code));
  for (const locale of TEXT_LOCALES) {
    if (!codes.has(locale.code)) await strapi.db.query('plugin::i18n.locale').create({ data: { ...locale } });
  }
  const store = strapi.store({ type: 'plugin', name: 'i18n' });
  if ((await store.get({ key: 'default_locale' })) !== BASE_LOCALE) await store.set({ key: 'default_locale', value: BASE_LOCALE });
};

/**
 * Registered in register(): before the schema sync of a database made by an earlier version (its
 * shows and venues not yet localized), `it` becomes the default, so that the sync labels those
 * rows `it`; afterwards any row still without a locale (written before, or by a direct database
 * write) is labelled `it` too. A new database has no rows yet: bootstrap makes the locales.
 */
export const registerLocaleSetup = (strapi: Core.Strapi) => {
  strapi.hook('strapi::content-types.beforeSync').register(async ({ oldContentTypes }: { oldContentTypes?: unknown }) => {
    if (!oldContentTypes) return;
    const localeTable = strapi.db.metadata.get('plugin::i18n.locale').tableName;
    const storeTable = strapi.db.metadata.get('strapi::core-store').tableName;
    if (!(await dataOf(strapi).schema.hasTables(strapi.db.connection, [localeTable, storeTable]))) return;
    await ensureLocales(strapi);
  });
  strapi.hook('strapi::content-types.afterSync').register(async () => {
    for (const uid of LOCALIZED_TYPES) {
      await strapi.db.query(uid).updateMany({ where: { locale: { $null: true } }, data: { locale: BASE_LOCALE } });
    }
  });
};

/**
 * Points every performance linked to an English copy of a show or venue at its Italian row
 * instead (the same document). The Content Manager's relation picker of a performance offers
 * both copies, and a show's English copy has a performances field of its own: a link to a copy
 * would hide the performance from its show's public page and the plugin's joins. One UPDATE per
 * link table, bound to the write's transaction; nothing to do is a cheap no-op.
 */
export const relinkToBaseRows = async (strapi: Core.Strapi): Promise<number> => {
  let moved = 0;
  await transaction(strapi, async ({ trx }) => {
    moved = await dataOf(strapi).performances.relinkToBaseRows(trx, BASE_LOCALE);
  });
  return moved;
};

/** In bootstrap, with the other database lifecycles. */
export const registerLocaleLifecycles = (strapi: Core.Strapi) => {
  // Both sides of the relation: a performance written with a copy as its show or venue, or a
  // copy written with performances.
  const relink = async () => {
    await relinkToBaseRows(strapi);
  };
  strapi.db.lifecycles.subscribe({ models: [UID.performance], afterCreate: relink, afterUpdate: relink });
  strapi.db.lifecycles.subscribe({
    models: [...LOCALIZED_TYPES],
    async afterCreate(event: { params: { data?: Record<string, unknown> } }) {
      if (event.params.data && 'performances' in event.params.data) await relink();
    },
    async afterUpdate(event: { params: { data?: Record<string, unknown> } }) {
      if (event.params.data && 'performances' in event.params.data) await relink();
    },
  });

  // Rows written straight through the Query Engine (the demo season, imports, tests) carry no
  // locale: they are the Italian base rows. The Document Service always sets one.
  strapi.db.lifecycles.subscribe({
    models: [...LOCALIZED_TYPES],
    beforeCreate(event: { params: { data?: Record<string, unknown> } }) {
      const data = event.params.data;
      if (data && (data.locale === undefined || data.locale === null)) data.locale = BASE_LOCALE;
    },
  });
};

/**
 * In bootstrap: the locales and default of a new database. (Super Admin's permissions on both
 * locales follow: the admin resets them after the plugins' bootstrap, with every locale.)
 */
export const setUpLocales = (strapi: Core.Strapi): Promise<void> => ensureLocales(strapi);
