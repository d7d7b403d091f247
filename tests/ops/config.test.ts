import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_CONFIG, parseConfig, renderConfigJsonSchema } from '../../src/pipeline/config.js';
import { REPORT_KINDS } from '../../src/pipeline/report.js';

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
    ['db: x.sqlite\nsources: [path:x]\nhttp: { concurency: 2 }', 'http.concurency', 'unknown key (known: concurrency, perHost, intervalMs, ignoreRobots)'],
    ['db: x.sqlite\nsources: [path:x]\nbaseUrls: { monster: "https://x" }', 'baseUrls.monster', 'unknown source (known: greenhouse, lever, ashby'],
    ['db: x.sqlite\nsources: [path:x]\nreports: [{ out: a.md, colour: red }]', 'reports[0].colour', 'unknown key (known: kind, format, out'],
    ['db: x.sqlite\nsources: [path:x]\nreports: [{ out: a.md, filters: { requirement: must } }]', 'reports[0].filters.requirement', 'expected one of required, preferred, any'],
    ['db: x.sqlite\nsources: [path:x]\nreports: [{ out: a.md, filters: [remote] }]', 'reports[0].filters', 'expected a mapping'],
    ['db: x.sqlite\nsources: [path:x, 7]', 'sources[1]', 'expected a source string'],
    ['db: x.sqlite\nsources: [path:x]\nhttp: []', 'http', 'expected a mapping'],
    ['db: x.sqlite\nsources: [path:x]\nkeepTextDays: 1.5', 'keepTextDays', 'expected a whole number of at least 1'],
    ['db: "  "\nsources: [path:x]', 'db', 'expected a non-empty string'],
    ['db: [unclosed', '(file)', 'not valid YAML or JSON'],
    ['- just a list', '(file)', 'expected a mapping'],
  ])('%j: %s %s', (text, key, message) => {
    expect(problems(text)).toEqual(expect.arrayContaining([{ key, message: expect.stringContaining(message) }]));
  });

  it('fills the defaults the schema declares', () => {
    const r = parseConfig('db: x.sqlite\nsources: [greenhouse:acme]\nreports: [{ out: a.md }]', '/cfg');
    expect(r).toMatchObject({
      ok: true,
      value: {
        batchSize: 500,
        addTaxonomy: [],
        http: { ignoreRobots: false },
        baseUrls: {},
        reports: [{ kind: 'summary', format: 'md', period: 'month', out: '/cfg/a.md', filters: {} }],
      },
    });
  });

  it('lists every problem of a config at once, one per key', () => {
    const r = parseConfig('db: x.sqlite\nsources: [path:x, "lever:"]\nbatchSize: 0.5\nreports: [{ kind: skill, out: a.md, format: pdf }]', '/cfg');
    expect(r.ok ? [] : r.problems.map((p) => p.key)).toEqual(['sources[1]', 'reports[0].format', 'reports[0].skill', 'batchSize']);
  });
});

describe('schema/config.schema.json', () => {
  it('is what scripts/config-schema.mjs writes from the schema (npm run build && node scripts/config-schema.mjs)', () => {
    expect(readFileSync('schema/config.schema.json', 'utf8')).toBe(renderConfigJsonSchema());
  });

  it('holds the report kinds, and leaves no unknown key unflagged', () => {
    const schema = JSON.parse(renderConfigJsonSchema());
    expect(schema.properties.reports.items.properties.kind.enum).toEqual([...REPORT_KINDS]);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.http.additionalProperties).toBe(false);
    expect(schema.properties.baseUrls.additionalProperties).toBe(false);
    expect(schema.properties.batchSize).toMatchObject({ type: 'integer', minimum: 1, default: 500 });
  });
});
