import { renderMarkdown, sanitizeDescription } from '../markdown';

/** A tag that runs something, in HTML as a browser would parse it (text that only reads like one is escaped). */
const LIVE = /<(script|img|iframe|object|embed|style)\b|<[^>]+\son\w+\s*=|<a\b[^>]*href="\s*(javascript|vbscript|data):/i;

describe('renderMarkdown', () => {
  test('renders what the editor writes: emphasis, lists, links, a heading under the page title', () => {
    const html = renderMarkdown(
      '# Lo spettacolo\n\nUno spettacolo **per tutti**.\n\n- prima parte\n- seconda parte\n\n[Il teatro](https://teatro.example/)'
    );
    expect(html).toBe(
      '<h2>Lo spettacolo</h2>\n<p>Uno spettacolo <strong>per tutti</strong>.</p>\n<ul>\n<li>prima parte</li>\n<li>seconda parte</li>\n</ul>\n' +
        '<p><a href="https://teatro.example/" rel="noopener noreferrer nofollow">Il teatro</a></p>'
    );
  });

  test('lets no raw HTML, handler or script link through', () => {
    const html = renderMarkdown(
      '<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n[uno](javascript:alert(3)) [due](JaVaScRiPt:alert(4)) ' +
        '[tre](data:text/html;base64,PHNjcmlwdD4=) <a href="javascript:alert(5)">cinque</a>\n\n![x](https://tracker.example/p.png)'
    ) as string;
    expect(html).not.toMatch(LIVE);
    // Typed tags stay readable as the text they were.
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // The pattern does catch a live tag.
    expect('<p><img src=x onerror="alert(2)"></p>').toMatch(LIVE);
  });

  test('the sanitiser alone cuts raw HTML down to the allow-list', () => {
    const dirty =
      '<p onclick="alert(1)">Ciao <script>alert(2)</script><img src=x onerror=alert(3)><iframe src="https://x.example"></iframe>' +
      '<a href="javascript:alert(4)">uno</a> <a href="https://teatro.example/">due</a><style>body{}</style></p>';
    const clean = sanitizeDescription(dirty);
    expect(clean).not.toMatch(LIVE);
    expect(clean).toBe(
      '<p>Ciao <a rel="noopener noreferrer nofollow">uno</a> <a href="https://teatro.example/" rel="noopener noreferrer nofollow">due</a></p>'
    );
  });

  test('nothing to render is null', () => {
    expect(renderMarkdown(null)).toBeNull();
    expect(renderMarkdown('  \n')).toBeNull();
  });
});
