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

// Issue 14, item 5: HTML of any shape in time linear in its size. The DOM parser behind cheerio and
// htmlparser2's Parser (Array#unshift for the open elements) took minutes on these.
describe('hostile HTML, parsed in time linear in its size', () => {
  const n = 100_000;
  const shapes: [string, string][] = [
    ['100,000 nested divs', `${'<div>'.repeat(n)}Python${'</div>'.repeat(n)}`],
    ['100,000 unclosed nested tables', `${'<table><tr><td>'.repeat(n)}Python`],
    ['100,000 nested lists', `${'<ul><li>'.repeat(n)}Python`],
    ['100,000 nested pre blocks', `${'<pre>'.repeat(n)}Python${'\n'.repeat(n)}`],
    ['100,000 bold paragraphs', `${'<b><p>'.repeat(n)}Python`],
    ['a tag with 500,000 attributes', `<h1 ${Array.from({ length: 500_000 }, (_, i) => `a${i}="x"`).join(' ')}>Python</h1>`],
  ];

  it.each(shapes)('%s: text and page read in seconds', (_, html) => {
    expect(html.length).toBeGreaterThan(500_000);
    const started = performance.now();
    expect(htmlToText(html)).toContain('Python');
    expect(parseHtmlPage(html).body).toBe(html);
    // Linear: about 0.2 s here; the quadratic parsers took from a minute to over ten.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('reads an 8 MB page of nested elements with its h1', () => {
    const html = `<html><body><h1>Data Engineer</h1>${'<div><span>'.repeat(400_000)}Airflow and dbt</body></html>`;
    expect(html.length).toBeGreaterThan(4_000_000);
    const started = performance.now();
    expect(parseHtmlPage(html).hints).toEqual({ title: 'Data Engineer' });
    expect(htmlToText(html)).toBe('Data Engineer\n\nAirflow and dbt');
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('tells HTML from text in linear time, however many tags lack their ">"', () => {
    const started = performance.now();
    expect(looksLikeHtml('<p '.repeat(200_000))).toBe(false);
    expect(looksLikeHtml(`${'<p '.repeat(200_000)}>`)).toBe(true);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect([looksLikeHtml('a <b>c'), looksLikeHtml('x </div'), looksLikeHtml('<br/>'), looksLikeHtml('<pre>x</pre>'), looksLikeHtml('<P class="x">')]).toEqual([true, false, true, false, true]);
  });

  it('trims a line with a long run of spaces inside it in linear time (bodyToText, <pre>)', () => {
    const line = `a${' \u00a0\t'.repeat(300_000)}b \nc`;
    const started = performance.now();
    expect(bodyToText({ contentType: 'text/plain', body: line })).toBe(`a${' \u00a0\t'.repeat(300_000)}b\nc`);
    expect(htmlToText(`<pre>a${' '.repeat(500_000)}b  \nc</pre>`)).toBe(`a${' '.repeat(500_000)}b\nc`);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
