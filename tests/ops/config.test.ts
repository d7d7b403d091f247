import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { EXAMPLE_CONFIG, parseConfig, renderConfigJsonSchema } from '../../src/pipeline/config.js';
import { REPORT_KINDS } from '../../src/pipeline/report.js';
import { runCli, tempDir } from '../helpers.js';

const problems = (text: string) => {
  const r = parseConfig(text, '/cfg');
  return r.ok ? [] : r.problems;
};

describe('parseConfig', () => {
  it('accepts the example config and resolves paths against the config folder', () => {
    const r = parseConfig(EXAMPLE_CONFIG, '/cfg');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ db: '/cfg/data/postings.sqlite', sources: ['path:/cfg/postings/'], batchSize: 1000 });
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
    // Issue 14, item 4: every source spec checked as fetch checks it, before any work.
    ['db: x.sqlite\nsources: ["greenhouse:../../etc"]', 'sources[0]', 'greenhouse: "../../etc" is not a board name'],
    ['db: x.sqlite\nsources: ["lever:.."]', 'sources[0]', 'lever: ".." is not a board name'],
    ['db: x.sqlite\nsources: ["url:file:///etc/passwd"]', 'sources[0]', 'url: "file:///etc/passwd" has the scheme file:; only http and https are fetched'],
    ['db: x.sqlite\nsources: ["feed:javascript:alert(1)"]', 'sources[0]', 'has the scheme javascript:'],
    ['db: x.sqlite\nsources: ["url:not a url"]', 'sources[0]', 'is not a URL'],
    ['db: x.sqlite\nsources: ["hn:-1"]', 'sources[0]', 'hn: "-1" is neither "whoishiring" nor an item id'],
    ['db: x.sqlite\nsources: [path:x]\nreports: [{ kind: pie, out: a.md }]', 'reports[0].kind', 'expected one of summary, trends'],
    ['db: x.sqlite\nsources: [path:x]\nreports: [{ kind: summary, format: pdf, out: a.md }]', 'reports[0].format', 'expected one of table, md'],
    ['db: x.sqlite\nsources: [path:x]\nreports: [{ kind: summary }]', 'reports[0].out', 'required'],
    ['db: x.sqlite\nsources: [path:x]\nreports: [{ kind: skill, out: a.md }]', 'reports[0].skill', 'required for kind skill'],
    ['db: x.sqlite\nsources: [path:x]\nreports: [{ out: a.md, filters: { colour: red } }]', 'reports[0].filters.colour', 'unknown filter'],
    ['db: x.sqlite\nsources: [path:x]\nbatchSize: 0', 'batchSize', 'expected a whole number of at least 1'],
    ['db: x.sqlite\nsources: [path:x]\nhttp: { concurrency: many }', 'http.concurrency', 'expected a whole number'],
    ['db: x.sqlite\nsources: [path:x]\nbaseUrls: { greenhouse: ftp://x }', 'baseUrls.greenhouse', 'expected an http(s) URL'],
    ['db: x.sqlite\nsources: [path:x]\nsorces: []', 'sorces', 'unknown key'],
    ['db: x.sqlite\nsources: [path:x]\nhttp: { concurency: 2 }', 'http.concurency', 'unknown key (known: concurrency, perHost, intervalMs, ignoreRobots'],
    ['db: x.sqlite\nsources: [path:x]\nbaseUrls: { monster: "https://x" }', 'baseUrls.monster', 'unknown source (known: greenhouse, lever, ashby'],
    ['db: x.sqlite\nsources: [path:x]\nreports: [{ out: a.md, colour: red }]', 'reports[0].colour', 'unknown key (known: kind, format, out'],
    ['db: x.sqlite\nsources: [path:x]\nreports: [{ out: a.md, filters: { requirement: must } }]', 'reports[0].filters.requirement', 'expected one of required, preferred, any'],
    ['db: x.sqlite\nsources: [path:x]\nreports: [{ out: a.md, filters: [remote] }]', 'reports[0].filters', 'expected a mapping'],
    ['db: x.sqlite\nsources: [path:x, 7]', 'sources[1]', 'expected a source string'],
    ['db: x.sqlite\nsources: [path:x]\nhttp: []', 'http', 'expected a mapping'],
    ['db: x.sqlite\nsources: [path:x]\nkeepTextDays: 1.5', 'keepTextDays', 'expected a whole number of at least 1'],
    // Issue 14, item 12: numbers out of range are config errors, not a crash in the middle of a run.
    ['db: x.sqlite\nsources: [path:x]\nkeepTextDays: 1e20', 'keepTextDays', 'expected a whole number of at most 36500'],
    ['db: x.sqlite\nsources: [path:x]\nbatchSize: 1e20', 'batchSize', 'expected a whole number of at most 2147483647'],
    ['db: x.sqlite\nsources: [path:x]\nhttp: { intervalMs: 1e300 }', 'http.intervalMs', 'expected a whole number of at most'],
    ['db: x.sqlite\nsources: [path:x]\nreports: [{ out: a.md, top: 1e20 }]', 'reports[0].top', 'expected a whole number of at most'],
    // Issue 14, item 4: unknown keys inside the maps are errors.
    ['db: x.sqlite\nsources: [path:x]\nbaseUrls: { greenhouse: "https://x", lever: { url: "https://y" } }', 'baseUrls.lever', 'expected an http(s) URL'],
    // Issue 14, item 10: a report never goes over the database, its journals or its lock.
    ['db: data/x.sqlite\nsources: [path:x]\nreports: [{ out: data/x.sqlite }]', 'reports[0].out', '/cfg/data/x.sqlite is a file of the database /cfg/data/x.sqlite: a report there would destroy it'],
    ['db: data/x.sqlite\nsources: [path:x]\nreports: [{ out: reports/../data/x.sqlite-wal }]', 'reports[0].out', 'is a file of the database'],
    ['db: data/x.sqlite\nsources: [path:x]\nreports: [{ out: a.md }, { out: data/x.sqlite.lock }]', 'reports[1].out', 'is a file of the database'],
    ['db: /abs/x.sqlite\nsources: [path:x]\nreports: [{ out: /abs/x.sqlite.lock.sqlite }]', 'reports[0].out', 'is a file of the database'],
    ['db: "x-2026-01-02.sqlite"\nsources: [path:x]\nreports: [{ out: "x-{date}.sqlite" }]', 'reports[0].out', 'is a file of the database'],
    ['db: "  "\nsources: [path:x]', 'db', 'expected a non-empty string'],
    ['db: [unclosed', '(file)', 'not valid YAML or JSON'],
    ['- just a list', '(file)', 'expected a mapping'],
  ])('%j: %s %s', (text, key, message) => {
    expect(problems(text)).toEqual(expect.arrayContaining([{ key, message: expect.stringContaining(message) }]));
  });

  it('refuses a report written over the config file itself', () => {
    expect(parseConfig('db: x.sqlite\nsources: [path:x]\nreports: [{ out: run.yaml }]', '/cfg', '/cfg/run.yaml')).toEqual({
      ok: false,
      problems: [{ key: 'reports[0].out', message: '/cfg/run.yaml is the config file itself: a report there would destroy it' }],
    });
    expect(parseConfig('db: x.sqlite\nsources: [path:x]\nreports: [{ out: "x-{date}.md" }, { out: x.sqlite.md }]', '/cfg', '/cfg/run.yaml').ok).toBe(true);
  });

  it('fills the defaults the schema declares', () => {
    const r = parseConfig('db: x.sqlite\nsources: [greenhouse:acme]\nreports: [{ out: a.md }]', '/cfg');
    expect(r).toMatchObject({
      ok: true,
      value: {
        batchSize: 1000,
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

describe('skillpulse config check and run (issue 14)', () => {
  it.each([
    ['reports: [{ out: data/p.sqlite }]', 'reports[0].out: '],
    ['reports: [{ out: skillpulse.yaml }]', 'reports[0].out: '],
    ['keepTextDays: 1e20', 'keepTextDays: expected a whole number of at most 36500'],
  ])('%s stops both before any work, naming the key', async (extra, message) => {
    const dir = tempDir();
    const config = join(dir, 'skillpulse.yaml');
    writeFileSync(config, `db: data/p.sqlite\nsources: [path:postings]\n${extra}\n`);
    for (const args of [['config', 'check', config], ['run', '--config', config]]) {
      const r = await runCli(args);
      expect(r, args[0]).toMatchObject({ code: 2, stdout: '', stderr: expect.stringContaining(message) });
      expect(r.stderr).not.toContain('unexpected error');
    }
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
    expect(schema.properties.batchSize).toMatchObject({ type: 'integer', minimum: 1, default: 1000 });
  });
});
