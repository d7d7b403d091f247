import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';
import { renderUsage } from '../../src/cli/help.js';
import { buildReport } from '../../src/pipeline/report.js';
import { analyzeItems } from '../../src/pipeline/analyze.js';
import { computeTrends, renderSparkline, type TrendsData } from '../../src/report/kinds.js';
import type { ReportModel } from '../../src/report/model.js';
import { periodOf, periodRange, periodStart } from '../../src/periods.js';
import { renderReport } from '../../src/report/render.js';
import { readPostingFiles } from '../../src/sources/files.js';
import type { SqliteStore } from '../../src/store/sqlite/store.js';
import { expectGolden, goldenFilesIn } from '../golden/golden.js';
import { runCli, shippedTaxonomy, taxonomyFrom, tempDir, sqliteStore } from '../helpers.js';

describe('periods', () => {
  it.each([
    ['2026-03-04', 'month', '2026-03'],
    ['2026-03-04', 'quarter', '2026-Q1'],
    ['2026-12-31', 'quarter', '2026-Q4'],
    ['2026-03-04', 'year', '2026'],
    ['2026-03-04', 'week', '2026-W10'],
    ['2027-01-01', 'week', '2026-W53'],
    ['2024-12-30', 'week', '2025-W01'],
  ] as const)('%s in a %s is %s', (date, kind, key) => {
    expect(periodOf(date, kind)).toBe(key);
  });

  it.each([
    ['2026-03', '2026-03-01'],
    ['2026-Q2', '2026-04-01'],
    ['2026', '2026-01-01'],
    ['2026-W10', '2026-03-02'],
    ['2026-W01', '2025-12-29'],
  ])('period %s starts on %s', (key, day) => {
    expect(periodStart(key)).toBe(day);
  });

  it('lists every period between two, empty ones included', () => {
    expect(periodRange('2025-11', '2026-02', 'month')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(periodRange('2025-Q4', '2026-Q2', 'quarter')).toEqual(['2025-Q4', '2026-Q1', '2026-Q2']);
    expect(periodRange('2026-W52', '2027-W02', 'week')).toEqual(['2026-W52', '2026-W53', '2027-W01', '2027-W02']);
  });
});

/**
 * A small database whose numbers are worked out by hand:
 * - 2025-03: 2 postings (p0 Python; p00 SQL)
 * - 2026-01: 4 postings (p1 Python+SQL, p2 Python, p3 Rust negated + Java, p4 Java)
 * - 2026-02: none
 * - 2026-03: 2 postings (p5 Python [preferred], p6 SQL+Docker)
 * Salaries: p1 $100k-$120k, p2 $140k-$160k, p5 €80k-€90k.
 * Read from standard input, so that no temporary path shows in a report (origins are "stdin:N").
 */
async function build(): Promise<SqliteStore> {
  const rows = [
    { id: 'p0', date: '2025-03-10', company: 'Acme', location: 'Berlin', text: 'Requirements: Python' },
    { id: 'p00', date: '2025-03-20', company: 'Beta', location: 'Paris', text: 'Requirements: SQL' },
    { id: 'p1', date: '2026-01-05', company: 'Acme', location: 'Berlin', remote: true, salary: '$100k - $120k', text: 'Requirements: Python and SQL' },
    { id: 'p2', date: '2026-01-09', company: 'Acme', location: 'London', salary: '$140k-$160k', text: 'Requirements: Python' },
    { id: 'p3', date: '2026-01-20', company: 'Beta', location: 'Paris', text: 'Requirements: Java. No Rustlang experience needed.' },
    { id: 'p4', date: '2026-01-31', company: 'Gamma', location: 'Rome', text: 'Requirements: Java' },
    { id: 'p5', date: '2026-03-01', company: 'Beta', location: 'Paris', salary: '€80k-€90k', text: 'Python is a plus.' },
    { id: 'p6', date: '2026-03-15', company: 'Gamma', location: 'Rome', text: 'Requirements: SQL and Docker' },
  ];
  const jsonl = rows.map((r) => JSON.stringify(r)).join('\n');
  const db = sqliteStore(':memory:');
  const compiled = taxonomyFrom({
    'language.yaml': '- {id: python, name: Python}\n- {id: sql, name: SQL}\n- {id: rust, name: Rust, aliases: [rustlang]}\n- {id: java, name: Java, parent: jvm}\n- {id: jvm, name: JVM}',
    'devops.yaml': '- {id: docker, name: Docker}',
  });
  await analyzeItems(readPostingFiles(['-'], { readStdin: async () => jsonl }), db, compiled, { command: 't' });
  return db;
}

describe('computeTrends on the hand-built database', () => {
  it('counts shares per month with Wilson intervals, never counting negated mentions', async () => {
    const d = computeTrends(await (await build()).readDemandRows('month', { since: '2026-01-01' }), 'month');
    expect(d.periods).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(d.totals.map((t) => t.total)).toEqual([4, 0, 2]);
    expect(d.totalPostings).toBe(6);
    const python = d.skills.find((s) => s.id === 'python');
    expect(python?.series.map((p) => [p.count, p.total, p.share])).toEqual([
      [2, 4, 0.5],
      [0, 0, 0],
      [1, 2, 0.5],
    ]);
    // Wilson 2/4: [0.1500, 0.8500]; overall 3/6: [0.1876, 0.8124].
    expect(python?.series[0]).toMatchObject({ low: 0.15, high: 0.85 });
    expect(python).toMatchObject({ count: 3, share: 0.5, low: 0.1876, high: 0.8124 });
    expect(d.skills.find((s) => s.id === 'rust')).toBeUndefined();
    const sql = d.skills.find((s) => s.id === 'sql');
    // 1/4 -> 1/2: +25 pp; small counts, so Fisher: p = 1.
    expect(sql?.latest).toMatchObject({ from: '2026-01', to: '2026-03', deltaPp: 25, test: 'fisher', p: 1, significant: false });
    // Slope of SQL's share over periods 0 and 2 (25%, 50%): 12.5 pp per month.
    expect(sql?.slopePp).toBeCloseTo(12.5, 6);
  });

  it('compares with the same period a year earlier', async () => {
    const d = computeTrends(await (await build()).readDemandRows('month'), 'month');
    const sql = d.skills.find((s) => s.id === 'sql');
    // 2025-03: 1 of 2; 2026-03: 1 of 2.
    expect(sql?.yearAgo).toMatchObject({ from: '2025-03', to: '2026-03', fromShare: 0.5, toShare: 0.5, deltaPp: 0 });
    expect(d.skills.find((s) => s.id === 'java')?.yearAgo).toMatchObject({ from: '2025-03', to: '2026-03', deltaPp: 0 });
  });

  it('lists rising skills only with significance and support', () => {
    const rows = {
      periodTotals: [
        { period: '2026-01', total: 200 },
        { period: '2026-02', total: 200 },
      ],
      skillCounts: [
        { skillId: 'up', period: '2026-01', count: 20 },
        { skillId: 'up', period: '2026-02', count: 60 },
        { skillId: 'tiny', period: '2026-01', count: 1 },
        { skillId: 'tiny', period: '2026-02', count: 3 },
      ],
      skills: [],
    };
    const d: TrendsData = computeTrends(rows, 'month');
    expect(d.rising.map((m) => m.id)).toEqual(['up']);
    expect(d.falling).toEqual([]);
  });
});

describe('report kinds on the hand-built database', () => {
  it('filters by date, company, location, remote and requirement', async () => {
    const db = await build();
    const total = async (f: object) => computeTrends(await db.readDemandRows('month', f), 'month').totalPostings;
    expect(await total({})).toBe(8);
    expect(await total({ since: '2026-01-01', until: '2026-01-31' })).toBe(4);
    expect(await total({ company: 'acme' })).toBe(3);
    expect(await total({ location: 'Par' })).toBe(3);
    expect(await total({ remote: true })).toBe(1);
    const required = computeTrends(await db.readDemandRows('month', { requirement: 'required' }), 'month');
    expect(required.skills.find((s) => s.id === 'python')?.count).toBe(3);
    const preferred = computeTrends(await db.readDemandRows('month', { requirement: 'preferred' }), 'month');
    expect(preferred.skills.map((s) => [s.id, s.count])).toEqual([['python', 1]]);
  });

  it('rolls up by category and family, counting a posting once per group', async () => {
    const db = await build();
    const m = await buildReport(db, { kind: 'trends', period: 'year', filters: {} }, shippedTaxonomy);
    const data = m.data as { categories: { id: string; count: number }[]; families: { id: string; count: number }[] };
    // language: p0, p00, p1, p2, p3, p4, p5, p6 = 8 postings, whatever their number of languages.
    expect(data.categories.find((c) => c.id === 'language')?.count).toBe(8);
    expect(data.categories.find((c) => c.id === 'devops')?.count).toBe(1);
    // The jvm family holds java: p3 and p4.
    expect(data.families).toEqual([expect.objectContaining({ id: 'jvm', name: 'JVM', count: 2 })]);
  });

  it('shows one skill: how it is asked for, where, and with what (with lift)', async () => {
    const m = await buildReport(await build(), { kind: 'skill', period: 'month', filters: {}, skill: 'python', minSupport: 1 }, shippedTaxonomy);
    const data = m.data as { count: number; requirement: { requirement: string; count: number }[]; breakdowns: Record<string, { key: string; count: number; total: number }[]>; cooccurring: { id: string; together: number; lift: number }[] };
    expect(data.count).toBe(4);
    expect(data.requirement).toEqual([
      { requirement: 'required', count: 3, share: 0.75 },
      { requirement: 'preferred', count: 1, share: 0.25 },
      { requirement: 'unspecified', count: 0, share: 0 },
    ]);
    expect(data.breakdowns.company).toEqual([
      { key: 'Acme', count: 3, total: 3, share: 1 },
      { key: 'Beta', count: 1, total: 3, share: 0.3333 },
    ]);
    // Python (4 of 8) with SQL (3 of 8) together once: lift = (1/8) / (4/8 * 3/8) = 0.67.
    expect(data.cooccurring).toEqual([{ id: 'sql', name: 'SQL', together: 1, lift: 0.67 }]);
  });

  it('lists pairs with their lift', async () => {
    const m = await buildReport(await build(), { kind: 'cooccurrence', period: 'month', filters: {}, minSupport: 1 }, shippedTaxonomy);
    const pairs = (m.data as { pairs: { a: string; b: string; together: number; lift: number }[] }).pairs;
    // docker (1 of 8) with sql (3 of 8), together once: (1/8) / (1/8 * 3/8) = 2.67, all of docker's postings;
    // python (4 of 8) with sql, together once (p1): 0.67, a quarter of python's. p3's Rust is negated.
    expect(pairs).toEqual([
      { a: 'docker', b: 'sql', together: 1, lift: 2.67, shareOfA: 1 },
      { a: 'python', b: 'sql', together: 1, lift: 0.67, shareOfA: 0.25 },
    ]);
  });

  it('reports the median pay per skill, never mixing currencies', async () => {
    const m = await buildReport(await build(), { kind: 'salary', period: 'month', filters: {}, minSupport: 1 }, shippedTaxonomy);
    const skills = (m.data as { skills: { skill: string; currency: string; postings: number; median: number; min: number; max: number }[] }).skills;
    // Python in USD: midpoints 110k and 150k -> median 130k, range 100k-160k; in EUR: 85k.
    expect(skills.filter((s) => s.skill === 'python').map((s) => [s.currency, s.postings, s.median, s.min, s.max])).toEqual([
      ['USD', 2, 130000, 100000, 160000],
      ['EUR', 1, 85000, 80000, 90000],
    ]);
  });

  it('keeps the trends JSON contract', async () => {
    const { code, stdout, stderr } = await runCliOn(['--kind', 'trends', '--format', 'json']);
    expect([code, stderr]).toEqual([0, '']);
    const json = JSON.parse(stdout);
    // The whole document is in tests/golden/hand-built/trends.json; here, the contract's shape.
    expect(Object.keys(json)).toEqual(['kind', 'period', 'periods', 'totals', 'totalPostings', 'skills', 'rising', 'falling', 'minSupport', 'categories', 'families']);
    expect(json).toMatchObject({ kind: 'trends', period: 'month', totalPostings: 8, rising: [], falling: [] });
    expect(json.periods).toEqual(periodRange('2025-03', '2026-03', 'month'));
    expect(json.skills.map((s: { id: string; name: string; category: string }) => [s.id, s.name, s.category])).toEqual([
      ['python', 'Python', 'language'],
      ['sql', 'SQL', 'language'],
      ['java', 'Java', 'language'],
      ['docker', 'Docker', 'devops'],
    ]);
    expect(Object.keys(json.skills[0])).toEqual(['id', 'name', 'category', 'count', 'share', 'low', 'high', 'series', 'overall', 'latest', 'yearAgo', 'slopePp']);
    expect(Object.keys(json.skills[0].series[0])).toEqual(['period', 'count', 'total', 'share', 'low', 'high']);
  });
});

async function runCliOn(args: string[]) {
  const db = await build();
  const path = join(tempDir(), 'r.sqlite');
  await db.db.backup(path);
  db.db.close();
  return runCli(['report', '--db', path, ...args]);
}

// Every kind and format (the error messages below list them) and the extension of its golden file.
const KINDS = ['summary', 'trends', 'skill', 'cooccurrence', 'salary', 'emerging'];
const EXTENSION: Record<string, string> = { table: 'txt', md: 'md', csv: 'csv', json: 'json', html: 'html' };

describe('renderers', () => {
  it('renders every kind in every format, exactly as in tests/golden/hand-built', async () => {
    const outputs = new Map<string, string>();
    for (const kind of KINDS) {
      for (const [format, ext] of Object.entries(EXTENSION)) {
        const r = await runCliOn(['--kind', kind, ...(kind === 'skill' ? ['python'] : []), '--format', format, '--min-support', '1']);
        expect([r.code, r.stderr], `${kind} ${format}`).toEqual([0, '']);
        outputs.set(`hand-built/${kind}.${ext}`, r.stdout);
        expectGolden(`hand-built/${kind}.${ext}`, r.stdout);
      }
    }
    expect(goldenFilesIn('hand-built')).toEqual([...outputs.keys()].sort());
    expect(outputs.get('hand-built/skill.md')?.split('\n')[0]).toBe('# Python (language)');
  });

  it('writes CSV in long format', async () => {
    const csv = (await runCliOn(['--format', 'csv'])).stdout.trim().split('\n');
    expect(csv[0]).toBe('skill_id,skill,category,period,count,total,share,low,high');
    expect(csv).toContain('sql,SQL,language,2026-01,1,4,0.25,0.0456,0.6994');
  });

  it('colours rising and falling rows only when asked', async () => {
    const db = await build();
    const m = await buildReport(db, { kind: 'summary', period: 'month', filters: {} }, shippedTaxonomy);
    const plain = renderReport(m, 'table', { color: false });
    expect(plain).not.toContain('\u001b[');
    // No change here is significant: only the table's title is bold.
    expect(renderReport(m, 'table', { color: true })).toBe(plain.replace('\nSkills\n', '\n\u001b[1mSkills\u001b[0m\n'));
    const rows: ReportModel = {
      kind: 'summary',
      title: 'T',
      notes: [],
      charts: [],
      data: {},
      csv: { columns: [], rows: [] },
      tables: [{ title: 'Skills', columns: ['Skill', 'Change'], numeric: [false, true], rows: [['Up', '+9 pp'], ['Down', '-9 pp'], ['Flat', '0 pp']], trend: [1, -1, 0] }],
    };
    expect(renderReport(rows, 'table', { color: true })).toBe(
      ['T', '', '\u001b[1mSkills\u001b[0m', 'Skill  Change', '-----  ------', '\u001b[32mUp      +9 pp\u001b[0m', '\u001b[31mDown    -9 pp\u001b[0m', 'Flat     0 pp', ''].join('\n'),
    );
    expect(renderReport(rows, 'table', { color: false })).toBe(['T', '', 'Skills', 'Skill  Change', '-----  ------', 'Up      +9 pp', 'Down    -9 pp', 'Flat     0 pp', ''].join('\n'));
  });

  it('draws sparklines scaled to the largest share, blank for empty periods', () => {
    expect(renderSparkline([0, 0.25, null, 0.5])).toBe('▁▅ █');
  });

  it('writes --out files, with {date} replaced', async () => {
    const dir = tempDir();
    const today = () => new Date().toISOString().slice(0, 10);
    const days = [today()];
    const r = await runCliOn(['--format', 'html', '--out', join(dir, 'reports', 'demand-{date}.html')]);
    days.push(today());
    // {date} is today (UTC): the day the test started, or the next one if it ran over midnight.
    const path = join(dir, 'reports', `demand-${days.find((d) => r.stderr.includes(d)) ?? days[0]}.html`);
    expect(r).toEqual({ code: 0, stdout: '', stderr: `skillpulse: wrote ${path}\n` });
    expect(readFileSync(path, 'utf8')).toBe((await runCliOn(['--format', 'html'])).stdout);
  });

  it('says so when asked for a skill the database does not have, and checks its options', async () => {
    const usage = `${renderUsage(COMMANDS.find((c) => c.name === 'report')?.usage as string).join('\n')}\n`;
    expect(await runCliOn(['--kind', 'skill', 'cobol'])).toEqual({
      code: 2,
      stdout: '',
      stderr: `skillpulse report: --kind skill: no skill "cobol" in this database (skillpulse taxonomy list shows every id, skillpulse taxonomy show <alias> finds one)\n${usage}`,
    });
    expect(await runCliOn(['--since', 'last week'])).toEqual({ code: 2, stdout: '', stderr: `skillpulse report: --since must be a date like 2026-03-01 or 2026-03 (got "last week")\n${usage}` });
    expect(await runCliOn(['--kind', 'pie'])).toEqual({ code: 2, stdout: '', stderr: `skillpulse report: --kind must be one of ${KINDS.join(', ')} (got "pie")\n${usage}` });
    expect(await runCliOn(['--format', 'pdf'])).toEqual({ code: 2, stdout: '', stderr: `skillpulse report: --format must be one of ${Object.keys(EXTENSION).join(', ')} (got "pdf")\n${usage}` });
  });
});
