import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INPUT_LIMITS } from '../../src/normalize/limits.js';
import { analyzeItems } from '../../src/pipeline/analyze.js';
import { readPostingFiles } from '../../src/sources/files.js';

import { runCli, shippedTaxonomy, tempDir, sqliteStore } from '../helpers.js';

// Issue 14, items 5, 9 and 12, through analyze: one bad posting or directory never stops the batch.

const clock = (iso: string) => () => new Date(iso);

/** A directory with two postings and a subdirectory deeper than PATH_MAX, which cannot be listed. */
function corpusWithUnreadableDir(): { dir: string; cleanUp: () => void } {
  const dir = tempDir();
  writeFileSync(join(dir, 'a.txt'), 'Requirements: Python');
  mkdirSync(join(dir, 'b'));
  writeFileSync(join(dir, 'b', 'c.txt'), 'Requirements: Rust');
  const name = 'd'.repeat(250);
  execFileSync('bash', ['-c', `cd "$1" && mkdir deep && cd deep && for i in $(seq 20); do mkdir ${name} && cd ${name}; done && echo Go > z.txt`, 'bash', dir]);
  return { dir, cleanUp: () => execFileSync('rm', ['-rf', join(dir, 'deep')]) };
}

describe('analyze: a directory it cannot read (item 12)', () => {
  it('is a failed input recorded in the run; the rest is stored', async () => {
    const { dir, cleanUp } = corpusWithUnreadableDir();
    try {
      const db = sqliteStore(':memory:');
      const run = await analyzeItems(readPostingFiles([dir]), db, shippedTaxonomy(), { command: 't' });
      expect(run).toMatchObject({ status: 'partial', new: 2, failed: 1 });
      const row = db.db.prepare('SELECT status, failed, failures FROM runs').get() as { status: string; failed: number; failures: string };
      expect(JSON.parse(row.failures)).toEqual([{ input: expect.stringContaining(join(dir, 'deep')), reason: 'cannot read directory: path too long' }]);
    } finally {
      cleanUp();
    }
  });

  it('is reported on the command line without a stack trace, exit code 1', async () => {
    const { dir, cleanUp } = corpusWithUnreadableDir();
    try {
      const { code, stderr } = await runCli(['analyze', dir, '--db', join(tempDir(), 'x.sqlite')]);
      expect(stderr).not.toContain('unexpected error');
      expect(stderr).toMatch(/^skillpulse: \S+deep\S+: cannot read directory: path too long$/m);
      expect(stderr).toContain('2 new, 0 changed, 0 unchanged, 1 failed');
      expect(code).toBe(1);
    } finally {
      cleanUp();
    }
  });
});

describe('analyze: posted dates outside a sane range (item 9)', () => {
  it('drops them with a warning naming the posting; the posting counts on the day it was seen', async () => {
    const dir = tempDir();
    const lines = [
      { id: 'epoch', date: 0, text: 'Python' },
      { id: 'far', date: '2999-01-01', text: 'Rust' },
      { id: 'ms', date: 99_999_999_999_999, text: 'Go' },
      { id: 'fine', date: '2026-01-05', text: 'SQL' },
    ];
    writeFileSync(join(dir, 'p.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n'));
    const db = sqliteStore(':memory:');
    const run = await analyzeItems(readPostingFiles([dir]), db, shippedTaxonomy(), { command: 't', now: clock('2026-03-10T08:00:00Z') });
    expect(run).toMatchObject({ status: 'ok', new: 4, failed: 0 });
    expect(run.warnings).toEqual([
      { input: join(dir, 'p.jsonl:1'), reason: 'posted date 1970-01-01 is outside 1990-01-01 to 2027-03-10 (365 days ahead); ignored' },
      { input: join(dir, 'p.jsonl:2'), reason: 'posted date 2999-01-01 is outside 1990-01-01 to 2027-03-10 (365 days ahead); ignored' },
      { input: join(dir, 'p.jsonl:3'), reason: 'posted date 5138-11-16T09:46:39.999Z is outside 1990-01-01 to 2027-03-10 (365 days ahead); ignored' },
    ]);
    expect(db.db.prepare('SELECT external_id AS id, posted_at, period_date FROM postings ORDER BY key').all()).toEqual([
      { id: 'id:epoch', posted_at: null, period_date: '2026-03-10' },
      { id: 'id:far', posted_at: null, period_date: '2026-03-10' },
      { id: 'id:ms', posted_at: null, period_date: '2026-03-10' },
      { id: 'id:fine', posted_at: '2026-01-05T00:00:00.000Z', period_date: '2026-01-05' },
    ]);
  });

  it('takes another range from the environment', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'p.jsonl'), JSON.stringify({ id: 'old', date: '1985-06-01', text: 'COBOL' }));
    const env = { SKILLPULSE_EARLIEST_DATE: '1980-01-01', SKILLPULSE_CACHE_DIR: '' };
    const db = join(tempDir(), 'x.sqlite');
    expect(await runCli(['analyze', dir, '--db', db], '', env)).toMatchObject({ code: 0 });
    const stored = sqliteStore(db);
    expect(stored.db.prepare('SELECT posted_at FROM postings').get()).toEqual({ posted_at: '1985-06-01T00:00:00.000Z' });
    stored.db.close();
    expect(await runCli(['analyze', dir, '--db', db], '', { SKILLPULSE_EARLIEST_DATE: 'long ago' })).toMatchObject({
      code: 2,
      stderr: 'skillpulse analyze: SKILLPULSE_EARLIEST_DATE must be a date like 1990-01-01 (got "long ago")\n',
    });
  });
});

describe('analyze and extract: a posting over the size limit (item 5)', () => {
  it('fails that posting alone, naming the limit', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'p.jsonl'), [{ id: 'small', text: 'Python' }, { id: 'big', text: `Kafka ${'x'.repeat(600_000)}` }, { id: 'after', text: 'Rust' }].map((l) => JSON.stringify(l)).join('\n'));
    const db = sqliteStore(':memory:');
    const run = await analyzeItems(readPostingFiles([dir]), db, shippedTaxonomy(), { command: 't' });
    expect(run).toMatchObject({ status: 'partial', new: 2, failed: 1 });
    expect(run.failures).toEqual([{ input: join(dir, 'p.jsonl:2'), reason: 'posting text is 600,006 characters, over the limit of 500,000 (SKILLPULSE_MAX_POSTING_CHARS); not analyzed' }]);
    const tight = await analyzeItems(readPostingFiles([dir]), sqliteStore(':memory:'), shippedTaxonomy(), { command: 't', limits: { ...DEFAULT_INPUT_LIMITS, maxPostingChars: 5 } });
    expect(tight).toMatchObject({ new: 1, failed: 2 });
  });

  it('is a failure of extract too, from the limit the environment sets', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.txt'), 'Requirements: Python and SQL');
    writeFileSync(join(dir, 'b.txt'), 'Requirements: Rust');
    const { code, stdout, stderr } = await runCli(['extract', dir, '--format', 'json'], '', { SKILLPULSE_MAX_POSTING_CHARS: '20', SKILLPULSE_CACHE_DIR: '' });
    expect(code).toBe(1);
    expect(JSON.parse(stdout).map((p: { source: string }) => p.source)).toEqual([join(dir, 'b.txt')]);
    expect(stderr).toBe(`skillpulse: ${join(dir, 'a.txt')}: posting text is 28 characters, over the limit of 20 (SKILLPULSE_MAX_POSTING_CHARS); not analyzed\n`);
  });

  it('extract warns about a posted date outside the range and prints no date', async () => {
    const { code, stdout, stderr } = await runCli(['extract', '-', '--format', 'json'], 'Date: 1901-01-01\n\nRequirements: Python', { SKILLPULSE_CACHE_DIR: '' });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)[0].postedAt).toBeNull();
    expect(stderr).toMatch(/^skillpulse: warning: stdin: posted date 1901-01-01 is outside 1990-01-01 to \d{4}-\d{2}-\d{2} \(365 days ahead\); ignored\n$/);
  });
});
