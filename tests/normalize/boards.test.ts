import { describe, expect, it } from 'vitest';
import { feedToRaws, greenhouseJobToRaw, hnItemToRaw } from '../../src/normalize/boards.js';

const job = (content: string) => greenhouseJobToRaw({ id: 7, title: 'Data Engineer', content }, 'acme', '2026-06-01T00:00:00.000Z');
const body = (content: string) => (job(content) as { body: string }).body;

describe('greenhouseJobToRaw', () => {
  it('unescapes the entity-escaped content once, keeping what was escaped twice', () => {
    expect(body('&lt;p&gt;SQL &amp;amp; dbt&lt;/p&gt;')).toBe('<p>SQL &amp; dbt</p>');
  });

  it.each([
    ['named, numeric and hex references', '&lt;li&gt;C&#43;&#x2B; &ndash; Go&lt;/li&gt;', '<li>C++ – Go</li>'],
    ['a legacy reference without its semicolon', '&lt;p&gt;R&amp D&lt;/p&gt;', '<p>R& D</p>'],
    ['an unknown name that starts with a legacy one (as browsers read it)', '&lt;p&gt;&notaref; Kotlin&lt;/p&gt;', '<p>¬aref; Kotlin</p>'],
  ])('decodes %s as HTML does', (_name, content, expected) => {
    expect(body(content)).toBe(expected);
  });

  it('keeps markup that was not escaped instead of stripping it', () => {
    expect(body('<h2>Requirements</h2><ul><li>Python</li></ul>')).toBe('<h2>Requirements</h2><ul><li>Python</li></ul>');
  });

  it('says what is missing', () => {
    expect(job('')).toBe('job 7 without content');
  });
});

// Issue 14, item 5: board HTML and feeds of any shape, in time linear in their size.
describe('hostile board content', () => {
  it('reads the header line of a Hacker News comment nested 100,000 deep in seconds', () => {
    const text = `${'<span>'.repeat(100_000)}Acme | Data Engineer | Berlin${'</span>'.repeat(100_000)}<p>We use Python.`;
    const started = performance.now();
    expect(hnItemToRaw({ id: 9, text, time: 1772582400 }, '2026-06-01T00:00:00.000Z')).toMatchObject({ hints: { company: 'Acme', title: 'Data Engineer', location: 'Berlin' } });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('refuses a feed nested deeper than any real one, after one linear pass, as no feed', () => {
    const xml = `<rss><channel>${'<x>'.repeat(100_000)}<item><guid>1</guid><description>Go</description></item></channel></rss>`;
    const started = performance.now();
    expect(feedToRaws(xml, 'https://example.org/feed', '2026-06-01T00:00:00.000Z')).toEqual([
      'not an RSS or Atom feed that can be read: its elements nest 100,004 deep (feeds nest under 500)',
    ]);
    expect(performance.now() - started).toBeLessThan(5_000);
    const fine = '<rss><channel><item><guid>1</guid><title>Data Engineer</title><description>&lt;p&gt;Go&lt;/p&gt;</description></item></channel></rss>';
    expect(feedToRaws(fine, 'https://example.org/feed', '2026-06-01T00:00:00.000Z')).toMatchObject([{ externalId: '1', body: '<p>Go</p>', hints: { title: 'Data Engineer' } }]);
  });
});
