import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeItems } from '../../src/pipeline/analyze.js';
import { buildReport } from '../../src/pipeline/report.js';
import { buildSummary, computeTrends } from '../../src/report/kinds.js';
import { readPostingFiles } from '../../src/sources/files.js';

import { loadTaxonomy } from '../../src/sources/taxonomy-files.js';
import { runCli, shippedTaxonomy, tempDir, sqliteStore } from '../helpers.js';

/** Issue 15, in-process: what a user sees of negation, stdin identity, fetch specs, salary, --out and filters. */

describe('negated skills in the extract table (issue 15, item 1)', () => {
  it('marks a negated skill as not wanted, never as required', async () => {
    const r = await runCli(['extract', '-'], 'Requirements:\n- Python required\n- No PHP experience needed\n');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('stdin: 1 skill; 1 negated (not wanted)');
    expect(lines[1]).toMatch(/^ {2}Python +language +required +@/);
    expect(lines[2]).toMatch(/^ {2}PHP +language +NOT wanted +@/);
    expect(lines.filter((l) => l.includes('PHP') && l.includes('required'))).toEqual([]);
  });

  it('says so in --explain too', async () => {
    const r = await runCli(['extract', '-', '--explain'], 'Requirements:\n- No PHP experience needed\n');
    const php = r.stdout.split('\n').filter((l) => l.includes('PHP'));
    expect(php.length).toBeGreaterThan(1);
    for (const l of php) expect(l).not.toMatch(/required/);
    expect(php.some((l) => l.includes('negated, NOT wanted'))).toBe(true);
  });
});

describe('postings from standard input (issue 15, item 2)', () => {
  const analyze = (db: string, text: string, ...more: string[]) => runCli(['analyze', '-', '--db', db, ...more], text);
  const count = (db: string) => {
    const d = sqliteStore(db, { readonly: true });
    try {
      return (d.db.prepare('SELECT count(*) AS n FROM postings').get() as { n: number }).n;
    } finally {
      d.db.close();
    }
  };

  it('keeps two different postings piped in one after the other', async () => {
    const db = join(tempDir(), 'p.sqlite');
    expect((await analyze(db, 'Requirements: Python')).code).toBe(0);
    expect((await analyze(db, 'Requirements: Rust')).code).toBe(0);
    expect(count(db)).toBe(2);
    // The same text again is the same posting.
    const again = await analyze(db, 'Requirements: Rust');
    expect(again.stderr).toContain('0 new, 0 changed, 1 unchanged');
    expect(count(db)).toBe(2);
  });

  it('gives two records without ids on one standard input their own identities, across runs too', async () => {
    const db = join(tempDir(), 'p.sqlite');
    await analyze(db, '{"text":"Requirements: Go"}\n{"text":"Requirements: Java"}\n');
    await analyze(db, '{"text":"Requirements: Kotlin"}\n');
    expect(count(db)).toBe(3);
  });

  it('with --id, an edited posting replaces the one before', async () => {
    const db = join(tempDir(), 'p.sqlite');
    await analyze(db, 'Requirements: Python', '--id', 'job-7');
    const edited = await analyze(db, 'Requirements: Python and SQL', '--id', 'job-7');
    expect(edited.stderr).toContain('0 new, 1 changed');
    expect(count(db)).toBe(1);
  });

  it('refuses --id without standard input', async () => {
    const r = await runCli(['analyze', 'fixtures/postings', '--db', join(tempDir(), 'p.sqlite'), '--id', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--id names a posting read from standard input');
  });
});

describe('fetch source specs (issue 15, item 3)', () => {
  it.each(['foo:bar', 'greenhouse:', 'hn:abc', 'bare'])('%s is a usage error, and no database is made', async (spec) => {
    const db = join(tempDir(), 'f.sqlite');
    const r = await runCli(['fetch', spec, '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^skillpulse fetch: .+\nUsage: skillpulse fetch /);
    expect(existsSync(db)).toBe(false);
  });
});

describe('salary report (issue 15, item 6)', () => {
  async function salaryDb(): Promise<string> {
    const rows = [
      ...[1, 2, 3].map((i) => ({ id: `a${i}`, date: '2026-01-05', salary: `$${100 + i * 10}k - $${120 + i * 10}k`, text: 'Requirements: Python and SQL' })),
      { id: 'b1', date: '2026-01-06', salary: '$90k - $95k', text: 'Requirements: Kubernetes' },
      { id: 'c1', date: '2026-01-07', salary: '€50k - €60k', text: 'Requirements: Python' },
    ];
    const db = sqliteStore(':memory:');
    await analyzeItems(readPostingFiles(['-'], { readStdin: async () => rows.map((r) => JSON.stringify(r)).join('\n') }), db, shippedTaxonomy(), { command: 't' });
    const path = join(tempDir(), 's.sqlite');
    await db.db.backup(path);
    db.db.close();
    return path;
  }
  const listed = async (...args: string[]) => {
    const r = await runCli(['report', '--db', await salaryDb(), '--kind', 'salary', '--format', 'json', ...args]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    return (JSON.parse(r.stdout).skills as { skill: string; currency: string; postings: number }[]).map((s) => `${s.skill} ${s.currency} ${s.postings}`);
  };

  it('leaves out medians of fewer than 3 postings by default', async () => {
    expect((await listed()).sort()).toEqual(['python USD 3', 'sql USD 3']);
  });

  it('obeys --min-support and --top', async () => {
    expect(await listed('--min-support', '1')).toHaveLength(4);
    expect(await listed('--min-support', '1', '--top', '2')).toHaveLength(2);
    expect(await listed('--min-support', '1', '--top', '0')).toHaveLength(4);
  });

  it('is the same through the library', async () => {
    const db = sqliteStore(await salaryDb(), { readonly: true });
    const m = await buildReport(db, { kind: 'salary', period: 'month', filters: {}, top: 1, minSupport: 1 }, shippedTaxonomy);
    db.db.close();
    expect((m.data as { skills: unknown[] }).skills).toHaveLength(1);
  });
});

describe('--out files (issue 15, item 8)', () => {
  async function demoDb(): Promise<string> {
    const path = join(tempDir(), 'd.sqlite');
    expect((await runCli(['analyze', 'fixtures/postings', '--db', path])).code).toBe(0);
    return path;
  }

  it.each([
    ['report', (db: string, out: string) => ['report', '--db', db, '--out', out]],
    ['db export', (db: string, out: string) => ['db', 'export', '--db', db, '--out', out]],
    ['init', (_db: string, out: string) => ['init', out]],
  ])('%s: a file that cannot be written is one line naming the path and the reason, exit 2', async (_name, argv) => {
    const db = await demoDb();
    const blocker = join(tempDir(), 'a-file');
    writeFileSync(blocker, 'x');
    // A folder that is a file: cannot be made (ENOTDIR or EEXIST, depending on the system call).
    const out = join(blocker, 'sub', 'r.txt');
    const r = await runCli(argv(db, out));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^skillpulse [a-z]+: cannot write (the report |the export )?${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: [^\\n]+\\n$`));
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('under /proc (where mkdir -p never ends in Node 20) fails at once', async () => {
    const r = await runCli(['report', '--db', await demoDb(), '--out', '/proc/skillpulse-test/r.txt']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot write the report /proc/skillpulse-test/r.txt: ');
  });

  it.each([
    ['r.html', /^<!doctype html>/],
    ['r.md', /^# Skill demand/],
    ['r.csv', /^skill_id,skill,/],
    ['r.json', /^\{\n {2}"kind": "summary"/],
    ['r.txt', /^Skill demand\n/],
  ])('infers the format of --out %s from its extension', async (name, start) => {
    const out = join(tempDir(), name);
    const r = await runCli(['report', '--db', await demoDb(), '--out', out]);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(start);
  });

  it('refuses an extension it cannot tell a format from, unless --format says', async () => {
    const db = await demoDb();
    const out = join(tempDir(), 'r.pdf');
    const r = await runCli(['report', '--db', db, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot tell the format of --out ${out} from ".pdf": give --format`);
    expect((await runCli(['report', '--db', db, '--out', out, '--format', 'md'])).code).toBe(0);
  });
});

describe('report filters are checked (issue 15, item 9)', () => {
  let db: string | undefined;
  const demo = async () => {
    if (db && existsSync(db)) return db;
    db = join(tempDir(), 'd.sqlite');
    await runCli(['analyze', 'fixtures/postings', '--db', db]);
    return db;
  };

  it.each([
    [['--since', '2026-13-01'], '--since must be a date like 2026-03-01 or 2026-03 (got "2026-13-01")'],
    [['--until', '2026-02-30'], '--until must be a date like 2026-03-01 or 2026-03 (got "2026-02-30")'],
    [['--since', '2026-04', '--until', '2026-03'], '--since 2026-04 is after --until 2026-03'],
    [['--category', 'nope'], '--category "nope" is not a category here; one of: '],
    [['--source', 'nope'], '--source "nope" names no source of this database; one of: file'],
    [['--skill', 'nope-nope'], '--skill: no skill "nope-nope" in this database'],
    [['--kind', 'skill', 'nope-nope'], '--kind skill: no skill "nope-nope" in this database'],
  ])('%j is a usage error naming the choices', async (args, message) => {
    const r = await runCli(['report', '--db', await demo(), ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('\nUsage: skillpulse report ');
  });

  it('lists the categories of the database', async () => {
    const r = await runCli(['report', '--db', await demo(), '--category', 'nope']);
    expect(r.stderr).toMatch(/one of: [^\n]*\blanguage\b/);
  });

  it('resolves aliases for --kind skill and --skill, as taxonomy show does', async () => {
    const path = await demo();
    const byAlias = await runCli(['report', '--db', path, '--kind', 'skill', 'k8s', '--format', 'json']);
    const byId = await runCli(['report', '--db', path, '--kind', 'skill', 'kubernetes', '--format', 'json']);
    expect(byAlias.code).toBe(0);
    expect(byAlias.stdout).toBe(byId.stdout);
    const filtered = await runCli(['report', '--db', path, '--kind', 'cooccurrence', '--skill', 'K8s', '--format', 'json', '--min-support', '1']);
    expect(filtered.code).toBe(0);
    expect(JSON.parse(filtered.stdout).focus).toBe('kubernetes');
  });

  it('takes a known --source, and its board', async () => {
    expect((await runCli(['report', '--db', await demo(), '--source', 'file'])).code).toBe(0);
  });
});

describe('small ones (issue 15, item 12)', () => {
  it('rounds a percentage once, from the counts: 14 of 17 is 82.4%', () => {
    const d = computeTrends(
      { periodTotals: [{ period: '2026-01', total: 17 }], skillCounts: [{ skillId: 'x', period: '2026-01', count: 14 }], skills: [{ id: 'x', name: 'X', category: 'c', parent: null }] },
      'month',
    );
    const row = buildSummary(d).tables[0]?.rows[0] as string[];
    expect(row[3]).toMatch(/^82\.4% \(/);
  });

  it('says parentheses where the intervals stand in parentheses', async () => {
    const db = join(tempDir(), 'd.sqlite');
    await runCli(['analyze', 'fixtures/postings', '--db', db]);
    const r = await runCli(['report', '--db', db]);
    expect(r.stdout).toContain('95% Wilson interval in parentheses');
    expect(r.stdout).not.toContain('brackets');
    expect(r.stdout).toMatch(/\d% \(\d+\.\d%-\d+\.\d%\)/);
  });

  it('gives the trends CSV its test statistics, unlike the summary CSV', async () => {
    const db = join(tempDir(), 'd.sqlite');
    await runCli(['analyze', 'fixtures/demo', '--db', db]);
    const trends = (await runCli(['report', '--db', db, '--kind', 'trends', '--format', 'csv'])).stdout;
    const summary = (await runCli(['report', '--db', db, '--format', 'csv'])).stdout;
    expect(trends).not.toBe(summary);
    expect(trends.split('\n')[0]).toBe(
      'skill_id,skill,category,period,count,total,share,low,high,latest_from,latest_to,latest_delta_pp,latest_p,latest_test,latest_significant,year_ago_delta_pp,year_ago_p,slope_pp',
    );
    expect(trends).toMatch(/\n[a-z0-9-]+,[^\n]*,(?:z|fisher),(?:true|false),/);
  });

  it('prints every JSON in camelCase, runs included', async () => {
    const db = join(tempDir(), 'd.sqlite');
    await runCli(['analyze', 'fixtures/postings', '--db', db]);
    const keys = (v: unknown): string[] =>
      Array.isArray(v) ? v.flatMap(keys) : v && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => [k, ...keys(x)]) : [];
    const outputs = [
      ['runs', '--db', db, '--format', 'json'],
      ['db', 'stats', '--db', db, '--format', 'json'],
      ['extract', 'fixtures/postings/ml-engineer.md', '--format', 'json', '--explain'],
      ...['summary', 'trends', 'cooccurrence', 'salary', 'emerging'].map((k) => ['report', '--db', db, '--kind', k, '--format', 'json']),
      ['report', '--db', db, '--kind', 'skill', 'python', '--format', 'json'],
    ];
    for (const argv of outputs) {
      const r = await runCli(argv);
      expect(r.code, argv.join(' ')).toBe(0);
      // Keys of our own making; a breakdown's keys are values (company names), not field names.
      const bad = keys(JSON.parse(r.stdout)).filter((k) => /_/.test(k));
      expect(bad, argv.join(' ')).toEqual([]);
    }
    const [run] = JSON.parse((await runCli(['runs', '--db', db, '--format', 'json'])).stdout);
    expect(Object.keys(run)).toEqual(['id', 'command', 'startedAt', 'finishedAt', 'status', 'taxonomyVersion', 'extractorVersion', 'new', 'changed', 'unchanged', 'closed', 'failed', 'mentions', 'reextracted', 'configHash', 'failures']);
  });

  it('config check warns when a path: source does not exist', async () => {
    const dir = tempDir();
    const config = join(dir, 'c.yaml');
    writeFileSync(config, 'db: p.sqlite\nsources: [path:postings, path:missing, greenhouse:acme]\n');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'postings'));
    const r = await runCli(['config', 'check', config]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`skillpulse config: warning: sources[1]: ${join(dir, 'missing')} does not exist (yet)\n`);
    expect(r.stdout).toContain('3 sources');
  });

  it("the README's skill count is the shipped taxonomy's", () => {
    const readme = readFileSync('README.md', 'utf8');
    const count = loadTaxonomy().skills.length.toLocaleString('en-US');
    const stated = [...readme.matchAll(/\b(\d,\d{3}) (?:skills|entries)\b/g)].map((m) => m[1]);
    expect(stated.length).toBeGreaterThan(0);
    expect(stated.every((n) => n === count), `README says ${stated.join(', ')}; the taxonomy has ${count}`).toBe(true);
  });

  it('says in the set-up lines that once npm ci has run, npm test alone is enough', () => {
    const start = readFileSync('README.md', 'utf8').split('## Command tour')[0] as string;
    expect(start).toContain('npm ci && npm test');
    expect(start).toMatch(/second `npm ci`[\s\S]*`npm test`\s+alone is enough/);
  });
});
