import fc from 'fast-check';
import { Parser } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { load } from '../../src/normalize/cheerio.js';
import { parseHtmlPage, readPageParts } from '../../src/normalize/html-page.js';
import { type HtmlHandler, nestingDepth, streamHtml } from '../../src/normalize/html-stream.js';
import { isJobPosting, recordToRaw } from '../../src/normalize/records.js';

type Event = [string, ...unknown[]];

/** Every event a handler hears, in order. */
function recorder(): { events: Event[]; handler: Required<HtmlHandler> } {
  const events: Event[] = [];
  return {
    events,
    handler: {
      onopentag: (name) => events.push(['open', name]),
      onclosetag: (name, implied) => events.push(['close', name, implied]),
      ontext: (text) => events.push(['text', text]),
      onattribute: (name, value) => events.push(['attr', name, value]),
    },
  };
}

/** The events htmlparser2's own Parser gives for the same handler: what streamHtml must reproduce. */
function parserEvents(html: string, xml = false): Event[] {
  const { events, handler } = recorder();
  const parser = new Parser(
    { onopentag: (name) => handler.onopentag(name), onclosetag: handler.onclosetag, ontext: handler.ontext, onattribute: (name, value) => handler.onattribute(name, value) },
    xml ? { xmlMode: true, decodeEntities: true } : { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  return events;
}

function streamEvents(html: string, xml = false): Event[] {
  const { events, handler } = recorder();
  streamHtml(html, handler, { xml });
  return events;
}

const TAGS = ['p', 'li', 'ul', 'ol', 'td', 'tr', 'th', 'table', 'tbody', 'thead', 'tfoot', 'br', 'hr', 'img', 'input', 'select', 'option', 'optgroup', 'textarea', 'div', 'span', 'b', 'pre', 'h1', 'h2', 'dd', 'dt', 'rt', 'rp', 'body', 'head', 'script', 'style', 'title', 'svg', 'math', 'form', 'button', 'noscript', 'template', 'a', 'x-widget', 'DIV', 'Li'];
const tag = fc.constantFrom(...TAGS);
const attribute = fc.constantFrom(' a="x"', " type='application/ld+json'", ' b', ' c=d&amp;e', ' A="1" a="2"', ' data-x="&lt;p&gt;"');
/** Tag soup: start, end and self-closing tags, text with entities and stray brackets, comments. */
const tagSoup = fc
  .array(
    fc.oneof(
      fc.tuple(tag, fc.array(attribute, { maxLength: 3 })).map(([t, a]) => `<${t}${a.join('')}>`),
      tag.map((t) => `</${t}>`),
      tag.map((t) => `<${t}/>`),
      fc.constantFrom('Python', ' and ', '&amp;', '&lt', '&#65;', '&#x1F600;', '&nbsp;', '\n  ', '<', '>', 'a < b', '<!-- c -->', '<![CDATA[x]]>', '<!doctype html>'),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

describe('streamHtml', () => {
  it('gives the events htmlparser2 Parser gives, for any tag soup', () => {
    fc.assert(
      fc.property(tagSoup, (html) => {
        expect(streamEvents(html)).toEqual(parserEvents(html));
      }),
      { numRuns: 400 },
    );
  });

  it('gives the events of the Parser in xmlMode, for any tag soup read as XML', () => {
    const xmlSoup = fc.tuple(tagSoup, fc.constantFrom('', '<![CDATA[a <b> & c]]>', '<?xml version="1.0"?>', '<item>&amp;&lt;</item>')).map(([a, b]) => b + a);
    fc.assert(
      fc.property(xmlSoup, (xml) => {
        expect(streamEvents(xml, true)).toEqual(parserEvents(xml, true));
      }),
      { numRuns: 300 },
    );
  });

  it('measures nesting in linear time (100,000 nested elements)', () => {
    expect(nestingDepth('<a><b/><c></c></a><d>')).toBe(2);
    const started = performance.now();
    expect(nestingDepth(`<rss>${'<x>'.repeat(100_000)}</rss>`, { xml: true })).toBe(100_001);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it.each([
    ['implied closes', '<ul><li>a<li>b</ul><p>c<p>d<table><tr><td>e<td>f</table>'],
    ['a stray </p> and </br>', 'x</p>y</br>z'],
    ['void and self-closing tags', '<br><img src=a><div/>t<span/>u'],
    ['entities in text and attributes', '<a title="A&amp;B">&lt;x&gt;&nbsp;&#65;</a>'],
    ['raw text of script and title', '<script>if (a<b) {}</script><title>A &amp; B</title>'],
  ])('%s', (_, html) => {
    expect(streamEvents(html)).toEqual(parserEvents(html));
  });
});

/** The page reader as it was, on cheerio's DOM: the reference for well-formed pages. */
function cheerioPage(html: string): ReturnType<typeof parseHtmlPage> {
  const $ = load(html);
  for (const el of $('script[type="application/ld+json"]').toArray()) {
    let data: unknown;
    try {
      data = JSON.parse($(el).text());
    } catch {
      continue;
    }
    const candidates = Array.isArray(data) ? data : [data, ...(((data as Record<string, unknown>)?.['@graph'] as unknown[]) ?? [])];
    const posting = candidates.find(isJobPosting);
    if (!posting) continue;
    const r = recordToRaw(posting, { source: 'page', file: 'page', index: 1, origin: 'page', fetchedAt: '' });
    if (r.ok) return { body: r.value.body, hints: r.value.hints, warnings: r.warnings };
  }
  const title = $('h1').first().text().trim() || $('title').first().text().trim();
  return { body: html, hints: title ? { title: title.replace(/\s+/g, ' ') } : {}, warnings: [] };
}

const words = fc.constantFrom('Data', 'Engineer', 'Python &amp; SQL', ' ', '\n', 'Kafka', '&lt;Go&gt;', 'Zürich');
const text = fc.array(words, { maxLength: 4 }).map((w) => w.join(''));
const element = (tags: string[], content: fc.Arbitrary<string>) =>
  fc.tuple(fc.constantFrom(...tags), fc.array(content, { maxLength: 3 })).map(([t, kids]) => `<${t}>${kids.join('')}</${t}>`);
/** Valid body content, as normal pages hold: phrasing inside paragraphs and headings, lists of items, nested blocks. */
const block = fc.letrec<{ phrasing: string; flow: string }>((tie) => ({
  phrasing: fc.oneof({ depthSize: 'small', withCrossShrink: true }, text, element(['span', 'b', 'strong', 'em'], tie('phrasing'))),
  flow: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    element(['p', 'h1', 'h2', 'h3'], tie('phrasing')),
    element(['div', 'section', 'article'], tie('flow')),
    fc.array(element(['li'], tie('flow')), { maxLength: 3 }).map((items) => `<ul>${items.join('')}</ul>`),
  ),
})).flow;
const jobPosting = fc.record({ '@type': fc.constant('JobPosting'), title: text, description: text.map((t) => `<p>${t}</p>`), datePosted: fc.constantFrom('2026-01-02', 'soon') });
const ldJson = fc.oneof(jobPosting.map((p) => JSON.stringify(p)), fc.constant('{broken'), jobPosting.map((p) => JSON.stringify({ '@graph': [{ '@type': 'Organization' }, p] })));
const page = fc
  .tuple(fc.option(text), fc.array(ldJson, { maxLength: 2 }), fc.array(block, { maxLength: 4 }))
  .map(([title, scripts, body]) => `<!doctype html><html><head>${title === null ? '' : `<title>${title}</title>`}${scripts.map((s) => `<script type="application/ld+json">${s}</script>`).join('')}</head><body>${body.join('')}</body></html>`);

describe('parseHtmlPage', () => {
  it('reads well-formed pages as cheerio did: JSON-LD, else the first h1, else the title', () => {
    fc.assert(
      fc.property(page, (html) => {
        expect(parseHtmlPage(html)).toEqual(cheerioPage(html));
      }),
      { numRuns: 300 },
    );
  });

  it('reads the JSON-LD type in any case, and none inside <noscript>', () => {
    expect(readPageParts('<SCRIPT TYPE="Application/LD+JSON">{}</SCRIPT><noscript><script type="application/ld+json">[]</script></noscript>').jsonLd).toEqual(['{}']);
  });

  it('ends the h1 at a heading that opens straight inside it, as a browser does', () => {
    expect(readPageParts('<h1>Data <b>Engineer</b><h2>Team</h2></h1>').h1).toBe('Data Engineer');
  });
});
