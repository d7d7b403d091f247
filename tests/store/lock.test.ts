import { existsSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LockHeldError } from '../../src/errors.js';
import { openDatabase } from '../../src/store/sqlite/db.js';
import { acquireLock } from '../../src/store/sqlite/lock.js';
import { runCli, tempDir } from '../helpers.js';

/** Issue 14, item 13: every writer holds the database's lock, and lets it go whatever happens. */

describe('the database lock', () => {
  it('is released when opening the database fails', async () => {
    const dir = tempDir();
    const db = join(dir, 'p.sqlite');
    writeFileSync(db, 'not a database at all, but long enough to have a header......................................................');
    const config = join(dir, 'skillpulse.yaml');
    writeFileSync(config, 'db: p.sqlite\nsources: [path:postings]\n');
    for (const args of [['run', '--config', config], ['analyze', 'fixtures/postings', '--db', db]]) {
      const r = await runCli(args);
      expect(r.code, args[0]).toBe(2);
      expect(r.stderr, args[0]).toContain(`database ${db}: not a SQLite database`);
      const lock = acquireLock(`${db}.lock`, 'test');
      expect(lock.ok, `${args[0]} left the lock held`).toBe(true);
      if (lock.ok) lock.release();
    }
  });

  it('is held by every writer while it works: analyze waits for no one (exit 3)', async () => {
    const db = join(tempDir(), 'p.sqlite');
    expect((await runCli(['analyze', 'fixtures/postings/ml-engineer.md', '--db', db])).code).toBe(0);
    const held = acquireLock(`${db}.lock`, 'test holds it');
    expect(held.ok).toBe(true);
    try {
      for (const args of [['analyze', 'fixtures/postings', '--db', db], ['db', 'prune', '--keep-text', '1', '--db', db]]) {
        const r = await runCli(args);
        expect(r).toMatchObject({ code: 3, stderr: expect.stringContaining(`another run holds ${db}.lock (pid ${process.pid} on ${hostname()}`) });
      }
      expect(() => openDatabase(db)).toThrow(LockHeldError);
      // Readers take no lock.
      expect((await runCli(['db', 'stats', '--db', db])).code).toBe(0);
    } finally {
      if (held.ok) held.release();
    }
    // A writer runs once it is free.
    expect((await runCli(['analyze', 'fixtures/postings', '--db', db])).code).toBe(0);
    expect(existsSync(`${db}.lock`)).toBe(false);
  });

  it('after a killed analyze: the next writer takes over its lock and records its run as interrupted', async () => {
    const db = join(tempDir(), 'p.sqlite');
    expect((await runCli(['analyze', 'fixtures/postings', '--db', db])).code).toBe(0);
    // What `kill -9` leaves: the run still marked running, and its lock file.
    const raw = openDatabase(db);
    raw.prepare("INSERT INTO runs (command, started_at, status, taxonomy_version, extractor_version) VALUES ('analyze killed', '2026-01-01T00:00:00Z', 'running', 't', 'e')").run();
    raw.close();
    writeFileSync(`${db}.lock`, JSON.stringify({ pid: 999_999_9, host: hostname(), startedAt: '2026-01-01T00:00:00Z', command: 'analyze killed' }));
    // A reader changes nothing.
    const listed = async () => JSON.parse((await runCli(['runs', '--db', db, '--format', 'json'])).stdout) as { command: string; status: string; finishedAt: string | null }[];
    expect((await listed())[0]).toMatchObject({ command: 'analyze killed', status: 'running' });
    expect((await runCli(['analyze', 'fixtures/postings', '--db', db])).code).toBe(0);
    const killed = (await listed()).find((r) => r.command === 'analyze killed');
    expect(killed).toMatchObject({ status: 'interrupted', finishedAt: expect.any(String) });
    expect(existsSync(`${db}.lock`)).toBe(false);
  });

  it('tells a writer what it took over', () => {
    const db = join(tempDir(), 'p.sqlite');
    writeFileSync(`${db}.lock`, JSON.stringify({ pid: 999_999_9, host: hostname(), startedAt: '2026-01-01T00:00:00Z', command: 'killed' }));
    const seen: unknown[] = [];
    openDatabase(db, { command: 'test', onRecover: (r) => seen.push(r) }).close();
    expect(seen).toEqual([{ tookOver: { pid: 999_999_9, host: hostname(), startedAt: '2026-01-01T00:00:00Z', command: 'killed' }, interrupted: 0 }]);
  });
});
