import { describe, expect, it } from 'vitest';
import { htmlToText, looksLikeHtml } from '../../src/normalize/html.js';
import { parseHtmlPage } from '../../src/normalize/html-page.js';
import { bodyToText } from '../../src/normalize/posting.js';

describe('htmlToText', () => {
  it('collapses every kind of whitespace run in text, and leaves single spaces alone', () => {
    expect(htmlToText('<p>a b</p>')).toBe('a b');
    expect(htmlToText('<p> a  b\tc\u00a0\u00a0d\u2028e\u3000f </p><p>g</p>')).toBe('a b c d e f\n\ng');
    expect(htmlToText('<ul><li> </li><li>Go</li></ul><p>x</p>')).toBe('- Go\n\nx');
  });

  it('keeps block structure: headings and paragraphs apart, list items as lines', () => {
    const html = '<h2>Requirements</h2><ul><li>Python &amp; SQL</li><li><b>Docker</b></li></ul><p>We   offer\n lunch.</p>';
    expect(htmlToText(html)).toBe('Requirements\n\n- Python & SQL\n- Docker\n\nWe offer lunch.');
  });

  it('turns <br> into line breaks and drops scripts and styles', () => {
    expect(htmlToText('<p>One<br>Two</p><script>var x = "Kubernetes";</script><style>p{}</style>')).toBe('One\nTwo');
  });

  it('keeps inline spacing between inline elements', () => {
    expect(htmlToText('<p>Use <b>React</b> and <i>Redux</i>.</p>')).toBe('Use React and Redux.');
  });

  it('keeps preformatted lines', () => {
    expect(htmlToText('<pre>a | b\n  c</pre>')).toBe('a | b\n  c');
  });

  it('tells HTML from plain text', () => {
    expect(looksLikeHtml('<p>Hello</p>')).toBe(true);
    expect(looksLikeHtml('Use a < b and c > d')).toBe(false);
  });
});

describe('parseHtmlPage', () => {
  it('reads a schema.org JobPosting from JSON-LD', () => {
    const html = `<html><head><script type="application/ld+json">${JSON.stringify({
      '@context': 'https://schema.org',
      '@type': 'JobPosting',
      title: 'Data Engineer',
      datePosted: '2026-02-03',
      hiringOrganization: { '@type': 'Organization', name: 'Acme' },
      description: '<p>Airflow and dbt</p>',
    })}</script></head><body><nav>Menu</nav></body></html>`;
    const page = parseHtmlPage(html);
    expect(page.hints).toEqual({ title: 'Data Engineer', company: 'Acme', postedAt: '2026-02-03T00:00:00.000Z' });
    expect(page.body).toBe('<p>Airflow and dbt</p>');
  });

  it('falls back to the page and its h1 when there is no JSON-LD', () => {
    const page = parseHtmlPage('<title>Jobs | X</title><h1>ML  Engineer</h1><p>PyTorch</p>');
    expect(page.hints.title).toBe('ML Engineer');
  });
});

describe('bodyToText', () => {
  const text = (body: string) => bodyToText({ contentType: 'text/plain', body });
  it('drops spaces at line ends (U+2028 ends a line too), CRs, and runs of blank lines', () => {
    expect(text('a  \r\nb\t\n\n\n\nc ')).toBe('a\nb\n\nc');
    expect(text('a \u2028b')).toBe('a\u2028b');
    expect(text('a b\nc')).toBe('a b\nc');
  });
});
