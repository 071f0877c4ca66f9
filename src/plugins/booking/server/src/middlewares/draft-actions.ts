import type { Core, UID } from '@strapi/strapi';
import { ERROR_CODES } from '../constants';
import { say } from '../utils/editor-language';

interface Ctx {
  path: string;
  method: string;
  status: number;
  body: unknown;
}

/** The Content Manager's draft actions: publish, unpublish, discard, one document or in bulk. */
const DRAFT_ACTION =
  /^\/content-manager\/(?:collection|single)-types\/([^/]+)\/(?:(?:[^/]+\/)?actions\/(?:publish|unpublish|discard)|actions\/bulk(?:Publish|Unpublish))$/;

/**
 * App-level middleware (config/middlewares.ts). Strapi 5.54's Content Manager answers a draft
 * action on a content type without Draft & Publish (every booking type) with a 500: it calls a
 * `publish` the Document Service of such a type does not have. Nothing of the kind applies, so
 * the answer is a 400 `read_only` that says so, in the editor's language; nothing is written.
 */
const draftActions = (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  return async (ctx: Ctx, next: () => Promise<void>) => {
    const match = ctx.method === 'POST' ? DRAFT_ACTION.exec(ctx.path) : null;
    const uid = match ? decodeURIComponent(match[1]) : null;
    const type = uid !== null && uid in strapi.contentTypes ? strapi.contentType(uid as UID.ContentType) : undefined;
    if (type && !type.options?.draftAndPublish) {
      const message = say(
        strapi,
        'Questo tipo di contenuto non ha bozze: non si pubblica né si ritira, si salva.',
        'This content type has no drafts: it is not published or unpublished, it is saved.'
      );
      ctx.status = 400;
      ctx.body = { data: null, error: { status: 400, name: 'ValidationError', message, details: { code: ERROR_CODES.readOnly } } };
      return;
    }
    await next();
  };
};

export default { 'draft-actions': draftActions };
