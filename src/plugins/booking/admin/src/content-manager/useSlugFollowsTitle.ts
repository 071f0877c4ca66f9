import * as React from 'react';
import { useFetchClient, useForm } from '@strapi/strapi/admin';
import { MODEL } from './constants';

/** The slug and the field it is made from (the schema's `targetField`), per type. */
const TARGETS: Record<string, { slug: string; from: string }> = {
  [MODEL.show]: { slug: 'slug', from: 'title' },
  [MODEL.venue]: { slug: 'slug', from: 'name' },
};

/**
 * Strapi 5.54's UID input fills the slug once, when the form opens (from the still empty title:
 * "show"), and then only on the small regenerate icon: it no longer follows `targetField` as v4
 * did. On a new show or venue this follows the title while it is typed, asking the server for the
 * slug as the icon does (the same slugify, a unique suffix), until the editor writes a slug of
 * their own. A saved document keeps its slug: it is a public address.
 *
 * Called by an edit-view side panel that shows nothing: Strapi renders panels as components
 * inside the edit form, so the form's hooks are at hand.
 */
export const useSlugFollowsTitle = ({ model, documentId }: { model: string; documentId?: string }) => {
  const target = TARGETS[model];
  const { post } = useFetchClient();
  const source = useForm('SlugFollowsTitle', (form) => (target ? (form.values as Record<string, unknown>)[target.from] : undefined));
  const slug = useForm('SlugFollowsTitle', (form) => (target ? (form.values as Record<string, unknown>)[target.slug] : undefined));
  const onChange = useForm('SlugFollowsTitle', (form) => form.onChange);
  /** The slug as last filled by Strapi or by this: while the field holds it, it follows. */
  const filled = React.useRef<unknown>(undefined);
  const following = !documentId && target !== undefined;

  /** The slug now, read (not watched) when the title changes. */
  const current = React.useRef<unknown>(slug);
  React.useEffect(() => {
    current.current = slug;
    // The first value Strapi puts there (its default from the empty title) counts as filled.
    if (following && filled.current === undefined && typeof slug === 'string') filled.current = slug;
  }, [following, slug]);

  React.useEffect(() => {
    if (!following || typeof source !== 'string' || source.trim() === '') return;
    const now = current.current;
    if (now !== undefined && now !== '' && now !== filled.current) return; // the editor's own slug
    let live = true;
    const timer = window.setTimeout(() => {
      post<{ data: string }>('/content-manager/uid/generate', {
        contentTypeUID: model,
        field: target.slug,
        data: { [target.from]: source },
      })
        .then(({ data }) => {
          const next = data.data;
          if (!live || typeof next !== 'string') return;
          filled.current = next;
          onChange(target.slug, next);
        })
        .catch(() => undefined);
    }, 300);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [following, source, model, target, post, onChange]);
};
