import { describe, expect, it } from 'vitest';
import { greenhouseJobToRaw } from '../../src/normalize/boards.js';

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
