import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectGolden, goldenFilesIn } from './golden.js';

// Issue 13: the exact output of the built CLI (dist/, built from src/ by the slow project's global
// setup) for every report kind and format, and for extract. UPDATE_GOLDEN=1 rewrites the files.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'dist', 'cli', 'bin.js');

/** Runs dist/cli/bin.js from the repository root, so the fixture paths it prints are relative. */
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // No COLUMNS: piped output has no width limit, so the tables are whole whatever terminal runs the tests.
    const { COLUMNS: _, ...env } = process.env;
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

// Nothing is normalized: the output is compared byte for byte. It does not depend on when the
// tests run (every posting here is dated, and the options name no relative dates) nor on where
// (fixture paths are given relative to the repository root, and posting ids do not hash the
// checkout's path). Only the time analyze took, on standard error, is matched by a pattern.

/** Every report format, with the extension of its golden file. */
const EXTENSION: Record<string, string> = { table: 'txt', md: 'md', csv: 'csv', json: 'json', html: 'html' };

/**
 * Every report kind, with options chosen so that every table of the kind has rows: summary by
 * month; trends by year (2025 against 2026 has rising and falling skills); skill kubernetes (its
 * latest postings have distinct dates, so the examples listed do not hinge on posting ids); salary
 * for skills with at least 5 postings stating pay; emerging by month (tests/golden/postings names
 * tools the taxonomy lacks).
 */
const KIND_ARGS: Record<string, string[]> = {
  summary: ['--top', '10'],
  trends: ['--period', 'year', '--top', '10'],
  skill: ['kubernetes', '--top', '10'],
  cooccurrence: ['--top', '15'],
  salary: ['--min-support', '5'],
  emerging: [],
};

const EXTRACT_INPUTS = ['fixtures/postings/ml-engineer.md', 'fixtures/gold/55-board-description.md', 'fixtures/postings/frontend.html'];

let dir: string;
let db: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skillpulse-golden-'));
  db = join(dir, 'demo.sqlite');
  // The demo corpus (275 dated postings) and three postings of ours that name tools the taxonomy
  // lacks, so that the emerging report has candidate terms.
  const r = await cli(['analyze', 'fixtures/demo', 'tests/golden/postings', '--db', db]);
  expect(r.code, r.stderr).toBe(0);
  // The time it took is the only figure that changes from run to run.
  expect(r.stderr).toMatch(new RegExp(`^skillpulse: analyzed into ${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 278 new, 0 changed, 0 unchanged, 0 failed; 1854 mentions; \\d+\\.\\d s\\n$`));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const reportCases = Object.entries(KIND_ARGS).flatMap(([kind, args]) => Object.entries(EXTENSION).map(([format, ext]) => ({ kind, args, format, file: `report/${kind}.${ext}` })));

describe('skillpulse report on the demo corpus', () => {
  it.for(reportCases)('--kind $kind --format $format is $file', async ({ kind, args, format, file }) => {
    const r = await cli(['report', '--db', db, '--kind', kind, ...args, '--format', format]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expectGolden(file, r.stdout);
  });
});

describe('skillpulse extract on three fixture postings', () => {
  it('--format json', async () => {
    const r = await cli(['extract', ...EXTRACT_INPUTS, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expectGolden('extract/three-postings.json', r.stdout);
  });

  it('--explain, as a table', async () => {
    const r = await cli(['extract', ...EXTRACT_INPUTS, '--explain']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expectGolden('extract/three-postings-explain.txt', r.stdout);
  });
});

describe('the golden files', () => {
  it('cover every kind and format the CLI knows', async () => {
    // The CLI lists them when given one it does not know.
    const listed = async (option: string) => (await cli(['report', '--db', db, option, 'nonesuch'])).stderr.match(new RegExp(`${option} must be one of (.*) \\(got "nonesuch"\\)`))?.[1];
    expect(await listed('--kind')).toBe(Object.keys(KIND_ARGS).join(', '));
    expect(await listed('--format')).toBe(Object.keys(EXTENSION).join(', '));
  });

  it('are all written by a test here (none left over from a removed kind or format)', () => {
    expect(goldenFilesIn('report')).toEqual(reportCases.map((c) => c.file).sort());
    expect(goldenFilesIn('extract')).toEqual(['extract/three-postings-explain.txt', 'extract/three-postings.json']);
  });
});
