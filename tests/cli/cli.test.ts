import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';
import { renderUsage } from '../../src/cli/help.js';
import { loadTaxonomy } from '../../src/sources/taxonomy-files.js';
import type { SkillEntry } from '../../src/types.js';
import { expectGolden, goldenFilesIn } from '../golden/golden.js';
import { runCli, tempDir } from '../helpers.js';

/** The usage lines a usage error prints, wrapped as --help wraps them. */
const usageOf = (name: string) => renderUsage(COMMANDS.find((c) => c.name === name)?.usage as string).join('\n');

/** The fields of a skill that `taxonomy list` and `taxonomy show` print, in their order. */
const printed = (s: SkillEntry) => ({ id: s.id, name: s.name, category: s.category, parent: s.parent ?? null, aliases: s.aliases, exact: s.exact, ambiguous: s.ambiguous, context: s.context, not: s.not, source: s.source ?? null });

/** What extract and analyze say about fixtures/bad/unreadable, in order (JSON.parse words its own messages, differently in each Node version). */
const UNREADABLE: (string | RegExp)[] = [
      'skillpulse: fixtures/bad/unreadable/binary.txt: binary file (contains NUL bytes), not a text posting',
      'skillpulse: fixtures/bad/unreadable/empty.txt: empty file',
      /^skillpulse: fixtures\/bad\/unreadable\/invalid\.json: invalid JSON: \S.*$/,
      /^skillpulse: fixtures\/bad\/unreadable\/mixed\.jsonl:2: invalid JSON: \S.*$/,
      'skillpulse: fixtures/bad/unreadable/mixed.jsonl:3: no posting text: expected one of the fields text, description, content, body, descriptionPlain, html, description_html, descriptionHtml, content_html',
      'skillpulse: fixtures/bad/unreadable/no-text-column.csv: no text column in the CSV header (expected one of text, description, content, body, descriptionPlain, html, description_html, descriptionHtml, content_html; found id, title, company)',
];

/** Lines of standard error, each compared exactly or, where Node words the message, by a pattern. */
function expectLines(stderr: string, lines: (string | RegExp)[]): void {
  expect(stderr.endsWith('\n'), JSON.stringify(stderr)).toBe(true);
  expect(stderr.slice(0, -1).split('\n')).toEqual(lines.map((l) => (typeof l === 'string' ? l : expect.stringMatching(l))));
}

describe('skillpulse --help', () => {
  it('lists every command', async () => {
    const { code, stdout, stderr } = await runCli(['--help']);
    expect([code, stderr]).toEqual([0, '']);
    // A summary may wrap onto the next line, under the one before.
    for (const c of COMMANDS) expect(stdout.replace(/\s+/g, ' ')).toContain(` ${c.name} ${c.summary} `);
    expectGolden('help/skillpulse.txt', stdout);
  });

  it('gives each command its own help', async () => {
    for (const c of COMMANDS) {
      const { code, stdout, stderr } = await runCli([c.name, '--help']);
      expect([code, stderr]).toEqual([0, '']);
      // The usage line wraps at 80 columns; its words are the usage that errors print.
      expect(stdout.split('\n\n')[0]?.replace(/\s+/g, ' '), c.name).toBe(`Usage: ${c.usage}`);
      expectGolden(`help/${c.name}.txt`, stdout);
    }
    expect(goldenFilesIn('help')).toEqual([...COMMANDS.map((c) => `help/${c.name}.txt`), 'help/skillpulse.txt'].sort());
  });

  // Issue 15: help fits 80 columns and its option columns line up.
  it('fits every help line in 80 columns, options aligned in one column per command', async () => {
    for (const argv of [['--help'], ...COMMANDS.map((c) => [c.name, '--help'])]) {
      const { stdout } = await runCli(argv);
      const lines = stdout.split('\n');
      for (const line of lines) expect(line.length, `${argv.join(' ')}: ${line}`).toBeLessThanOrEqual(80);
      // Every option line ("  --flag <x>  description") starts its description in the same column.
      const starts = new Set(lines.flatMap((l) => (/^ {2}-/.test(l) && / {2}\S/.test(l.slice(2)) ? [l.slice(2).search(/ {2}\S/) + 4] : [])));
      expect(starts.size, `${argv.join(' ')}: description columns ${[...starts]}`).toBeLessThanOrEqual(1);
    }
  });

  it('`skillpulse help <command>` is `skillpulse <command> --help`', async () => {
    for (const c of COMMANDS) expect(await runCli(['help', c.name])).toEqual(await runCli([c.name, '--help']));
    const help = (await runCli(['--help'])).stdout;
    expect(await runCli(['help', 'frobnicate'])).toEqual({ code: 2, stdout: '', stderr: `skillpulse: unknown command "frobnicate"\n\n${help}` });
  });

  it('fails with usage on an unknown command or option', async () => {
    const help = (await runCli(['--help'])).stdout;
    expect(await runCli(['frobnicate'])).toEqual({ code: 2, stdout: '', stderr: `skillpulse: unknown command "frobnicate"\n\n${help}` });
    expect(await runCli(['report', '--db', 'x', '--colour'])).toEqual({ code: 2, stdout: '', stderr: `skillpulse report: Unknown option '--colour'\n${usageOf('report')}\n` });
    expect(await runCli(['report', '--db', 'x', '--format', 'pdf'])).toEqual({
      code: 2,
      stdout: '',
      stderr: `skillpulse report: --format must be one of table, md, csv, json, html (got "pdf")\n${usageOf('report')}\n`,
    });
  });

  it('documents every command in the README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const c of COMMANDS) expect(readme, `README mentions skillpulse ${c.name}`).toContain(`skillpulse ${c.name}`);
  });
});

describe('skillpulse extract', () => {
  it('prints the JSON contract: one array, one element per posting', async () => {
    const { code, stdout, stderr } = await runCli(['extract', 'fixtures/postings/ml-engineer.md', '--format', 'json']);
    expect([code, stderr]).toEqual([0, '']);
    const out = JSON.parse(stdout);
    expect(out).toHaveLength(1);
    const [p] = out;
    // The whole record is in tests/golden/extract (the slow project); here, its shape.
    expect(Object.keys(p)).toEqual(['source', 'id', 'title', 'company', 'postedAt', 'degree', 'minYears', 'seniority', 'skills', 'taxonomyVersion']);
    expect(p).toMatchObject({
      source: 'fixtures/postings/ml-engineer.md',
      id: expect.stringMatching(/^[0-9a-f]{20}$/),
      title: 'Senior Machine Learning Engineer',
      company: 'Northwind Analytics',
      postedAt: '2026-03-04T00:00:00.000Z',
      taxonomyVersion: loadTaxonomy().version,
    });
    const text = readFileSync('fixtures/postings/ml-engineer.md', 'utf8');
    expect(p.skills.find((s: { id: string }) => s.id === 'pytorch')).toEqual({
      id: 'pytorch',
      name: 'PyTorch',
      category: 'ml-framework',
      requirement: 'unspecified',
      years: null,
      negated: false,
      confidence: 0.9,
      mentions: [{ start: 280, end: 287, text: 'PyTorch', section: 'responsibilities' }],
    });
    // "5+ years of Python" is the only figure: a tool's years count when no overall figure is given.
    expect(p).toMatchObject({ degree: 'master', minYears: 5, seniority: 'senior' });
    expect(p.skills.find((s: { id: string }) => s.id === 'python')).toEqual({
      id: 'python',
      name: 'Python',
      category: 'language',
      requirement: 'required',
      years: 5,
      negated: false,
      confidence: 0.96,
      mentions: [
        { start: 433, end: 439, text: 'Python', section: 'requirements' },
        { start: 441, end: 447, text: 'Python', section: 'requirements' },
      ],
    });
    for (const s of p.skills) {
      expect(Object.keys(s)).toEqual(['id', 'name', 'category', 'requirement', 'years', 'negated', 'confidence', 'mentions']);
      for (const m of s.mentions) {
        expect(Object.keys(m)).toEqual(['start', 'end', 'text', 'section']);
        // Offsets index the normalized text; for a plain markdown file that is the file's text.
        expect(text.slice(m.start, m.end)).toBe(m.text);
      }
    }
  });

  it('reads standard input and prints a table by default', async () => {
    expect(await runCli(['extract', '-'], 'Requirements\n- Python and Kubernetes')).toEqual({
      code: 0,
      stdout: [
        'stdin: 2 skills',
        '  Python                       language             required    @ 15-21',
        '  Kubernetes                   devops               required    @ 26-36',
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  it('reports bad inputs on stderr, still prints the good ones, and exits 1', async () => {
    const { code, stdout, stderr } = await runCli(['extract', 'fixtures/bad/unreadable', '--format', 'json']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout).map((p: { source: string }) => p.source)).toEqual(['fixtures/bad/unreadable/mixed.jsonl:1']);
    expectLines(stderr, UNREADABLE);
  });

  it('stops before any work on an invalid taxonomy, naming file and entry', async () => {
    const dir = tempDir();
    const file = join(dir, 'tools.yaml');
    writeFileSync(file, '- {id: git, name: Git}\n- {id: git, name: Git again}');
    expect(await runCli(['extract', 'fixtures/postings', '--taxonomy', dir])).toEqual({
      code: 2,
      stdout: '',
      stderr: `skillpulse extract: invalid taxonomy (1 problem):\n  ${file}: entry "git": field "id": duplicate id (twice in this file)\n`,
    });
  });
});

describe('skillpulse analyze and report', () => {
  /** The summary line of analyze; the time it took is the only figure that changes from run to run. */
  const analyzed = (db: string, counts: string) => new RegExp(`^skillpulse: analyzed into ${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ${counts}; \\d+\\.\\d s$`);

  it('ingests files and reports monthly demand', async () => {
    const db = join(tempDir(), 'x.sqlite');
    const a = await runCli(['analyze', 'fixtures/postings', '--db', db]);
    expect([a.code, a.stdout]).toEqual([0, '']);
    expectLines(a.stderr, [analyzed(db, '12 new, 0 changed, 0 unchanged, 0 failed; 128 mentions')]);
    const again = await runCli(['analyze', 'fixtures/postings', '--db', db]);
    expect([again.code, again.stdout]).toEqual([0, '']);
    expectLines(again.stderr, [analyzed(db, '0 new, 0 changed, 12 unchanged, 0 failed; 128 mentions')]);
    const r = await runCli(['report', '--db', db, '--format', 'json', '--top', '3']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const model = JSON.parse(r.stdout);
    expect(model.totalPostings).toBe(12);
    expect(model.skills.map((s: { id: string; name: string; count: number }) => [s.id, s.name, s.count])).toEqual([
      ['python', 'Python', 7],
      ['sql', 'SQL', 5],
      ['aws', 'AWS', 3],
    ]);
    // fixtures/postings/frontend.html has no date, so it counts in the month it was first seen:
    // --until keeps the table the same whenever the test runs.
    const table = await runCli(['report', '--db', db, '--period', 'quarter', '--until', '2026-06-30']);
    expect([table.code, table.stderr]).toEqual([0, '']);
    expectGolden('cli/postings-by-quarter.txt', table.stdout);
  });

  it('exits 1 when some inputs failed, keeping the good ones', async () => {
    const db = join(tempDir(), 'x.sqlite');
    const a = await runCli(['analyze', 'fixtures/bad/unreadable', '--db', db]);
    expect(a.code).toBe(1);
    expectLines(a.stderr, [...UNREADABLE, analyzed(db, '1 new, 0 changed, 0 unchanged, 6 failed; 2 mentions')]);
  });

  it('takes the database from SKILLPULSE_DB_URL when --db is not given', async () => {
    const db = join(tempDir(), 'env.sqlite');
    const env = { SKILLPULSE_DB_URL: db };
    expect(await runCli(['analyze', 'fixtures/postings'], '', env)).toMatchObject({ code: 0, stderr: expect.stringContaining(`analyzed into ${db}:`) });
    const r = await runCli(['report', '--format', 'json'], '', env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).kind).toBe('summary');
    // --db wins over the environment.
    expect(await runCli(['report', '--db', join(tempDir(), 'none.sqlite')], '', env)).toMatchObject({ code: 2, stderr: expect.stringContaining('no such file') });
  });

  it('needs --db, and a report needs an existing database', async () => {
    expect(await runCli(['analyze', 'fixtures/postings'])).toEqual({ code: 2, stdout: '', stderr: `skillpulse analyze: --db <path|url> is required (a SQLite file, or postgres://...; SKILLPULSE_DB_URL gives a default)\n${usageOf('analyze')}\n` });
    const missing = join(tempDir(), 'nope.sqlite');
    expect(await runCli(['report', '--db', missing])).toEqual({
      code: 2,
      stdout: '',
      stderr: `skillpulse report: database ${missing}: no such file (create it with \`skillpulse analyze ... --db ${missing}\`)\n`,
    });
  });
});

describe('skillpulse taxonomy', () => {
  // Expected values come from the shipped taxonomy itself, so that editing it does not break these.
  const shipped = loadTaxonomy();

  it('validates the shipped taxonomy', async () => {
    expect(await runCli(['taxonomy', 'validate'])).toEqual({ code: 0, stdout: `ok: ${shipped.skills.length} skills in ${shipped.categories.length} categories (version ${shipped.version})\n`, stderr: '' });
  });

  it('lists a category as JSON', async () => {
    const { code, stdout, stderr } = await runCli(['taxonomy', 'list', '--category', 'ml-framework', '--format', 'json']);
    expect([code, stderr]).toEqual([0, '']);
    expect(JSON.parse(stdout)).toEqual(shipped.skills.filter((s) => s.category === 'ml-framework').map(printed));
    expect(JSON.parse(stdout).find((s: { id: string }) => s.id === 'pytorch')).toMatchObject({ name: 'PyTorch', category: 'ml-framework', parent: 'deep-learning-frameworks', exact: [] });
  });

  it('shows a skill by alias, and says when there is none', async () => {
    const k8s = await runCli(['taxonomy', 'show', 'k8s']);
    expect([k8s.code, k8s.stderr]).toEqual([0, '']);
    expect(JSON.parse(k8s.stdout)).toEqual(printed(shipped.skills.find((s) => s.id === 'kubernetes') as SkillEntry));
    expect(await runCli(['taxonomy', 'show', 'nonesuch'])).toEqual({ code: 1, stdout: '', stderr: 'skillpulse: no skill with id or alias "nonesuch"\n' });
  });

  it('counts skills per category', async () => {
    const { code, stdout, stderr } = await runCli(['taxonomy', 'stats']);
    expect([code, stderr]).toEqual([0, '']);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`version ${shipped.version}: ${shipped.skills.length} skills, ${shipped.categories.length} categories`);
    const perCategory = [...shipped.categories].sort().map((c) => [c, shipped.skills.filter((s) => s.category === c).length]);
    expect(lines.slice(1, -2).map((l) => l.match(/^ {2}(\S+) +(\d+)$/)?.slice(1))).toEqual(perCategory.map(([c, n]) => [c, String(n)]));
    expect(lines.at(-2)).toMatch(
      new RegExp(`^ {2}ambiguous: ${shipped.skills.filter((s) => s.ambiguous).length}, with parent: ${shipped.skills.filter((s) => s.parent !== undefined).length}, forms: \\d+$`),
    );
    expect(lines.at(-1)).toBe('');
  });
});
