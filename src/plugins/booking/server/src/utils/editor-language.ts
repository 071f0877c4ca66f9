import type { Core } from '@strapi/strapi';
import { DEFAULT_LANGUAGE, type Language } from '../constants';

const pick = (tag: string | null | undefined): Language | null => {
  const primary = String(tag ?? '')
    .trim()
    .toLowerCase()
    .slice(0, 2);
  return primary === 'it' || primary === 'en' ? primary : null;
};

/**
 * The language of the person behind the current request, for messages the admin panel shows:
 * the admin user's own choice (Strapi keeps it as `preferedLanguage`), else the first Italian or
 * English tag of Accept-Language, else Italian. Outside a request (a script, a job): Italian.
 */
export const editorLanguage = (strapi: Core.Strapi): Language => {
  const ctx = strapi.requestContext?.get() as
    { state?: { user?: { preferedLanguage?: string | null } }; get?: (header: string) => string } | undefined;
  const preferred = pick(ctx?.state?.user?.preferedLanguage);
  if (preferred) return preferred;
  const header = ctx?.get?.('accept-language') ?? '';
  const tags = header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { language: pick(tag), q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((entry): entry is { language: Language; q: number } => entry.language !== null && entry.q > 0)
    .sort((a, b) => b.q - a.q);
  return tags[0]?.language ?? DEFAULT_LANGUAGE;
};

/** One message in the editor's language: `say(strapi, 'Italiano…', 'English…')`. */
export const say = (strapi: Core.Strapi, it: string, en: string): string => (editorLanguage(strapi) === 'it' ? it : en);

/** A message written 'Italiano. / English.' reduced to the editor's half. */
export const oneLanguage = (strapi: Core.Strapi | null, message: string): string => {
  const split = message.indexOf(' / ');
  if (split < 0 || !strapi) return message;
  return say(strapi, message.slice(0, split), message.slice(split + 3));
};
