import { describe, expect, it } from 'vitest';
import { EXAMPLE_CONFIG, parseConfig } from '../../src/pipeline/config.js';

const problems = (text: string) => {
  const r = parseConfig(text, '/cfg');
  return r.ok ? [] : r.problems;
};

describe('parseConfig', () => {
  it('accepts the example config and resolves paths against the config folder', () => {
    const r = parseConfig(EXAMPLE_CONFIG, '/cfg');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ db: '/cfg/data/postings.sqlite', sources: ['path:/cfg/postings/'], batchSize: 500 });
    expect(r.value.reports.map((x) => [x.kind, x.format, x.out, x.period])).toEqual([
      ['summary', 'md', '/cfg/reports/summary-{date}.md', 'month'],
      ['trends', 'html', '/cfg/reports/trends-{date}.html', 'quarter'],
    ]);
    expect(r.value.hash).toMatch(/^[0-9a-f]{12}$/);
  });

  it('reads JSON too', () => {
    expect(parseConfig('{"db": "x.sqlite", "sources": ["greenhouse:acme"], "reports": []}', '/c').ok).toBe(true);
  });

  it.each([
    ['sources: [path:x]\nreports: []', 'db', 'required'],
    ['db: x.sqlite\nreports: []', 'sources', 'required: a list of sources'],
    ['db: x.sqlite\nsources: [monster:acme]', 'sources[0]', 'unknown source "monster:acme"'],
    ['db: x.sqlite\nsources: ["lever:"]', 'sources[0]', 'needs an argument'],
    ['db: x.sqlite\nsources: [lever: x]', 'sources[0]', 'expected a source string'],
    ['db: x.sqlite\nsources: ["path:"]', 'sources[0]', 'path: needs a file or directory'],
    ['db: x.sqlite\nsources: [path:x]\nreports: [{ kind: pie, out: a.md }]', 'reports[0].kind', 'expected one of summary, trends'],
    ['db: x.sqlite\nsources: [path:x]\nreports: [{ kind: summary, format: pdf, out: a.md }]', 'reports[0].format', 'expected one of table, md'],
    ['db: x.sqlite\nsources: [path:x]\nreports: [{ kind: summary }]', 'reports[0].out', 'required'],
    ['db: x.sqlite\nsources: [path:x]\nreports: [{ kind: skill, out: a.md }]', 'reports[0].skill', 'required for kind skill'],
    ['db: x.sqlite\nsources: [path:x]\nreports: [{ out: a.md, filters: { colour: red } }]', 'reports[0].filters.colour', 'unknown filter'],
    ['db: x.sqlite\nsources: [path:x]\nbatchSize: 0', 'batchSize', 'expected a whole number of at least 1'],
    ['db: x.sqlite\nsources: [path:x]\nhttp: { concurrency: many }', 'http.concurrency', 'expected a whole number'],
    ['db: x.sqlite\nsources: [path:x]\nbaseUrls: { greenhouse: ftp://x }', 'baseUrls.greenhouse', 'expected an http(s) URL'],
    ['db: x.sqlite\nsources: [path:x]\nsorces: []', 'sorces', 'unknown key'],
    ['db: [unclosed', '(file)', 'not valid YAML or JSON'],
    ['- just a list', '(file)', 'expected a mapping'],
  ])('%j: %s %s', (text, key, message) => {
    expect(problems(text)).toEqual(expect.arrayContaining([{ key, message: expect.stringContaining(message) }]));
  });
});
