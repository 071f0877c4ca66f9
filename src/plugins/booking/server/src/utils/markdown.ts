import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/**
 * A show's description (Markdown, written in the Content Manager's editor) as HTML a page may
 * insert: markdown-it with raw HTML off (a `<script>` typed in the text comes out as text, and
 * its link check refuses `javascript:`, `vbscript:` and `data:` targets), then sanitize-html over
 * the result with an allow-list of the tags Markdown makes and http, https and mailto links only:
 * the second lock holds even if the first is ever opened by a plugin or an option. No images (the
 * poster is the show's `poster_image`): nothing in a description makes a visitor's browser call
 * a third party.
 */
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

const ALLOWED_TAGS = [
  'p',
  'br',
  'strong',
  'em',
  's',
  'del',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'a',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
];

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: { a: ['href', 'title', 'rel'], ol: ['start'], th: ['style'], td: ['style'] },
  allowedStyles: { th: { 'text-align': [/^(left|right|center)$/] }, td: { 'text-align': [/^(left|right|center)$/] } },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  // A page's own heading is its h1: a description's "# Title" becomes an h2 under it.
  transformTags: {
    h1: 'h2',
    a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow' }),
  },
  disallowedTagsMode: 'discard',
};

/** The second lock on its own: HTML cut down to the allow-list. */
export const sanitizeDescription = (html: string): string => sanitizeHtml(html, SANITIZE);

export const renderMarkdown = (text: string | null | undefined): string | null => {
  if (text === null || text === undefined || text.trim() === '') return null;
  return sanitizeDescription(markdown.render(text)).trim();
};
