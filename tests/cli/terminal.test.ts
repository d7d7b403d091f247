import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatProgress } from '../../src/cli/progress.js';
import { loadTaxonomy } from '../../src/sources/taxonomy-files.js';
import { runCli, tempDir } from '../helpers.js';

// Issue 15, items 4 and 5: output that fits the terminal, progress on a terminal only, Ctrl-C.

/** Columns a terminal shows for each line (our output holds no wide characters). */
const widest = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));
/** What a progress line draws: a carriage return and an erase-line sequence. */
const PROGRESS = '\r\u001b[K';

// One demo database for the file (tempDir()'s folders go after each test).
let dir: string;
let db: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skillpulse-terminal-'));
  db = join(dir, 'demo.sqlite');
  const r = await runCli(['analyze', 'fixtures/demo', '--db', db]);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tables fit the terminal', () => {
  const kinds = [['summary'], ['trends'], ['trends', '--period', 'week'], ['summary', '--period', 'week'], ['skill', 'kubernetes'], ['cooccurrence'], ['salary'], ['emerging']];

  it.each(kinds)('report --kind %s fits 80 columns of a terminal', async (...kind) => {
    const r = await runCli(['report', '--db', db, '--kind', ...kind], '', {}, { columns: 80 });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(widest(r.stdout)).toBeLessThanOrEqual(80);
  });

  it('leaves the category and the first period out of the summary at 80 columns, and says so', async () => {
    const r = await runCli(['report', '--db', db, '--top', '5'], '', {}, { columns: 80 });
    const header = r.stdout.split('\n').find((l) => l.startsWith('Skill  '));
    expect(header?.split(/ {2,}/)).toEqual(['Skill', 'Postings', 'Share (95% CI)', '2026-10', 'Change', 'Trend']);
    expect(r.stdout).toContain('(left out to fit 80 columns: Category, 2025-05; --format md or csv has them all)');
    // Short names leave room for all 18 months of the sparkline; with longer names it keeps its latest.
    expect(r.stdout).toMatch(/\nPython +182 +66\.2% \(60\.4%-71\.5%\) +70\.6% +\+20\.6 pp +[▁-█]{18}\n/);
    const all = await runCli(['report', '--db', db, '--top', '25'], '', {}, { columns: 80 });
    expect(all.stdout).toMatch(/\nPython +182 +66\.2% \(60\.4%-71\.5%\) +70\.6% +\+20\.6 pp +…[▁-█]{11}\n/);
    expect(all.stdout).toContain('\nLarge language…  '.replace('  ', ' '));
  });

  it('cuts a name no shorter than 16 while a column can still be left out', async () => {
    const r = await runCli(['report', '--db', db, '--kind', 'trends', '--period', 'year', '--top', '6'], '', { COLUMNS: '80' });
    expect(r.stdout).toContain('\nLarge language mode…  ');
    expect(r.stdout).toContain('(left out to fit 80 columns: Category, Year ago, Slope; --format md or csv has\nthem all)');
  });

  it('reads the width from COLUMNS when piped, and has no limit without it', async () => {
    // (NO_COLOR: a terminal gets colours, a pipe does not.)
    const tty = await runCli(['report', '--db', db], '', { NO_COLOR: '1' }, { columns: 80 });
    expect(await runCli(['report', '--db', db], '', { COLUMNS: '80' })).toEqual(tty);
    // COLUMNS set by hand wins over the terminal's own width.
    expect(await runCli(['report', '--db', db], '', { COLUMNS: '80', NO_COLOR: '1' }, { columns: 200 })).toEqual(tty);
    const piped = await runCli(['report', '--db', db]);
    expect(widest(piped.stdout)).toBeGreaterThan(150);
    expect(piped.stdout).not.toContain('…');
    expect(piped.stdout).toContain('Category');
    expect(await runCli(['report', '--db', db], '', { COLUMNS: 'wide' })).toEqual(piped);
  });

  it('writes a report file whole, whatever the terminal', async () => {
    const out = join(tempDir(), 'r.txt');
    const piped = await runCli(['report', '--db', db]);
    await runCli(['report', '--db', db, '--out', out], '', { COLUMNS: '80' }, { columns: 80 });
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(out, 'utf8')).toBe(piped.stdout);
  });

  it('taxonomy list has a header row and fits the terminal, ids whole', async () => {
    const shipped = loadTaxonomy();
    const piped = await runCli(['taxonomy', 'list']);
    const lines = piped.stdout.trimEnd().split('\n');
    expect(lines[0]?.split(/ {2,}/)).toEqual(['Id', 'Name', 'Category', 'Matched as']);
    expect(lines[1]).toMatch(/^-+( {2}-+){3}$/);
    expect(lines).toHaveLength(shipped.skills.length + 2);
    const narrow = await runCli(['taxonomy', 'list'], '', {}, { columns: 80 });
    expect(widest(narrow.stdout)).toBeLessThanOrEqual(80);
    for (const s of shipped.skills) expect(narrow.stdout).toContain(`\n${s.id} `);
  });

  it('runs fits the terminal', async () => {
    const r = await runCli(['runs', '--db', db], '', {}, { columns: 80 });
    expect(r.code).toBe(0);
    expect(widest(r.stdout)).toBeLessThanOrEqual(80);
    expect(r.stdout.split('\n')[0]?.split(/ {2,}/).slice(0, 3)).toEqual(['Id', 'Status', 'Started']);
    expect(r.stdout).toMatch(/\n 1 {2}ok {6}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
  });

  it('wraps the offsets of a skill named many times in the extract table', async () => {
    const text = `Requirements\n${Array.from({ length: 30 }, () => '- Python').join('\n')}`;
    const r = await runCli(['extract', '-'], text, { COLUMNS: '80' });
    expect(r.code).toBe(0);
    expect(widest(r.stdout)).toBeLessThanOrEqual(80);
    expect(r.stdout).toMatch(/\n {2}Python +language +required +@ 15-21, 24-30,\n {66}33-39, 42-48,\n/);
  });
});

describe('progress', () => {
  it.each([
    [5, undefined, 200, 'posting', '5 postings'],
    [1, undefined, 200, 'posting', '1 posting'],
    [1200, undefined, 2000, 'posting', '1,200 postings, 600/s'],
    [1200, 4000, 5000, 'posting', '1,200/4,000 postings (30%), 240/s, 0:12 left'],
    [4000, 4000, 5000, 'posting', '4,000/4,000 postings (100%), 800/s'],
    [3, 10, 1000, '', '3/10 (30%), 3/s, 0:02 left'],
  ] as const)('%i of %s after %i ms', (done, total, ms, unit, text) => {
    expect(formatProgress(done, total, ms, unit)).toBe(text);
  });

  it('analyze shows progress on a terminal, cleared before the summary', async () => {
    const r = await runCli(['analyze', 'fixtures/postings', '--db', join(tempDir(), 'p.sqlite')], '', {}, { stderrTTY: true });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${PROGRESS}skillpulse: 1 posting`);
    // The last line drawn is erased, and the summary starts on a clean line.
    expect(r.stderr).toContain(`${PROGRESS}skillpulse: analyzed into `);
  });

  it('analyze shows no progress with --quiet, nor when standard error is not a terminal', async () => {
    for (const [args, terminal] of [[['--quiet'], { stderrTTY: true }], [[], {}]] as const) {
      const r = await runCli(['analyze', 'fixtures/postings', '--db', join(tempDir(), 'p.sqlite'), ...args], '', {}, terminal);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/^skillpulse: analyzed into .*\n$/);
    }
  });

  it('extract shows progress while JSON is collected, not over a table on the terminal', async () => {
    const json = await runCli(['extract', 'fixtures/postings', '--format', 'json'], '', {}, { stderrTTY: true });
    expect(json.code).toBe(0);
    expect(json.stderr).toContain(`${PROGRESS}skillpulse: 1 posting`);
    expect(json.stderr.endsWith(PROGRESS)).toBe(true);
    const table = await runCli(['extract', 'fixtures/postings'], '', {}, { columns: 100, stderrTTY: true });
    expect(table.stderr).toBe('');
    const quiet = await runCli(['extract', 'fixtures/postings', '--format', 'json', '--quiet'], '', {}, { stderrTTY: true });
    expect(quiet.stderr).toBe('');
  });

  it('reextract shows its count of the total, with the time left', async () => {
    const copy = join(tempDir(), 'stale.sqlite');
    const a = await runCli(['analyze', 'fixtures/postings', '--db', copy]);
    expect(a.code).toBe(0);
    const d = new Database(copy);
    d.prepare("UPDATE postings SET taxonomy_version = 'older'").run();
    d.close();
    const r = await runCli(['reextract', '--db', copy], '', {}, { stderrTTY: true });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${PROGRESS}skillpulse: 12/12 postings (100%)`);
    // The line is erased before the summary.
    expect(r.stderr.slice(r.stderr.lastIndexOf(PROGRESS) + PROGRESS.length)).toMatch(/^skillpulse: re-extracted 12 postings with taxonomy \w+\n$/);
  });
});

describe('Ctrl-C', () => {
  it('stops extract at once with exit code 130, printing no more', async () => {
    const controller = new AbortController();
    controller.abort('SIGINT');
    const r = await runCli(['extract', 'fixtures/postings'], '', {}, { signal: controller.signal });
    expect(r).toEqual({ code: 130, stdout: '', stderr: 'skillpulse extract: interrupted (SIGINT) after 0 postings\n' });
  });

  it('stops extract waiting for standard input that never comes', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort('SIGINT'), 50);
    const r = await runCli(['extract', '-'], '', {}, { signal: controller.signal, readStdin: () => new Promise<string>(() => undefined) });
    expect(r).toEqual({ code: 130, stdout: '', stderr: 'skillpulse extract: interrupted (SIGINT) after 0 postings\n' });
  });

  it('analyze stopped by SIGTERM exits 143, by SIGINT 130', async () => {
    for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
      const controller = new AbortController();
      controller.abort(signal);
      const r = await runCli(['analyze', 'fixtures/postings', '--db', join(tempDir(), 'i.sqlite')], '', {}, { signal: controller.signal });
      expect(r.code).toBe(code);
      expect(r.stderr).toContain(`interrupted (${signal})`);
    }
  });
});
