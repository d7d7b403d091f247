import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, DEMO, type Snapshot, snapshotSqlite, spawnWorker, stopWorkers, uniquePrefix, waitDrained, writeConfig } from './helpers.js';
import { dropPrefix, needService, REDIS_URL, redisAvailable } from './services.js';

const ok = await needService('Redis', await redisAvailable());

/**
 * Issue 16: delivery is at least once; whatever fails along the way, the database ends as a clean
 * run leaves it, nothing lost and nothing counted twice. The demo corpus (275 postings) in extract
 * jobs of 25; locks of 1 s so a dead worker's job is handed out again quickly.
 */
const LOCK = { SKILLPULSE_QUEUE_LOCK_MS: '1000' };

describe.skipIf(!ok)('faults during a queued run', () => {
  const root = mkdtempSync(join(tmpdir(), 'skillpulse-faults-'));
  let clean: Snapshot;
  let postings = 0;
  const prefixes: string[] = [];

  beforeAll(async () => {
    const a = await cli(['analyze', DEMO, '--db', join(root, 'clean.sqlite'), '--quiet'], { SKILLPULSE_CACHE_DIR: join(root, 'cache') });
    expect(a.code, a.stderr).toBe(0);
    clean = snapshotSqlite(join(root, 'clean.sqlite'));
    postings = clean.postings.length;
  });
  afterAll(async () => {
    for (const p of prefixes) await dropPrefix(p);
    rmSync(root, { recursive: true, force: true });
  });

  /** A fresh folder, database and queue prefix, the demo enqueued. */
  async function setUp(name: string, url = REDIS_URL) {
    const dir = mkdtempSync(join(root, `${name}-`));
    const prefix = uniquePrefix(name);
    prefixes.push(prefix);
    const db = join(dir, 'db.sqlite');
    const config = writeConfig(dir, { db, sources: [`path:${DEMO}`], prefix, batch: 25, backoffMs: 100, url });
    const q = await cli(['enqueue', '--config', config]);
    expect(q.code, q.stderr).toBe(0);
    const env = { ...LOCK, SKILLPULSE_CACHE_DIR: join(root, 'cache') };
    const args = ['--config', config];
    return { dir, prefix, db, config, env, args };
  }

  /** The database is the clean one, and the finished run counted every posting once. */
  async function expectClean(db: string) {
    const got = snapshotSqlite(db);
    for (const k of Object.keys(clean) as (keyof Snapshot)[]) expect(got[k], k).toEqual(clean[k]);
    const runs = JSON.parse((await cli(['runs', '--db', db, '--format', 'json'])).stdout) as { status: string; new: number; changed: number; unchanged: number; mentions: number }[];
    const done = runs.filter((r) => r.status === 'ok');
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ new: postings, changed: 0, unchanged: 0 });
    const mentions = (clean.mentions as unknown[]).length;
    expect(done[0]?.mentions).toBe(mentions);
  }

  it('a worker that dies after committing a batch, before BullMQ hears of it: the batch is handed out again and counted once', async () => {
    const t = await setUp('after-commit');
    const dying = spawnWorker(t.args, { ...t.env, SKILLPULSE_TEST_EXIT_AFTER_SAVE: '1' });
    expect(await dying.exited, dying.output()).toBe(137);
    const w = spawnWorker(t.args, t.env);
    await waitDrained(t.prefix, { timeoutMs: 60_000 });
    await stopWorkers([w]);
    await expectClean(t.db);
  });

  it('a job that throws once is tried again', async () => {
    const t = await setUp('throw-once');
    const w = spawnWorker(t.args, { ...t.env, SKILLPULSE_TEST_THROW_ONCE: '-25' });
    await waitDrained(t.prefix, { timeoutMs: 60_000 });
    await stopWorkers([w]);
    expect(w.output()).toMatch(/job f-[0-9a-f]+-\d+-25 \(extract\) failed on try 1: test hook: this try fails/);
    await expectClean(t.db);
  });

  it('workers SIGKILLed at random moments (inside a transaction, between steps, before an ack)', { timeout: 120_000 }, async () => {
    const t = await setUp('sigkill');
    // A seeded sequence of lifetimes from 0.3 to 2.5 s, each worker killed outright.
    let seed = 16;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let k = 0; k < 6; k++) {
      const w = spawnWorker(t.args, t.env);
      await new Promise((r) => setTimeout(r, 300 + next() * 2200));
      w.proc.kill('SIGKILL');
      await w.exited;
    }
    const w = spawnWorker(t.args, t.env);
    await waitDrained(t.prefix, { timeoutMs: 90_000 });
    await stopWorkers([w]);
    await expectClean(t.db);
  });

  it('Redis restarted mid-run (append-only file: the queue survives): the workers wait, reconnect and finish', { timeout: 120_000 }, async () => {
    const port = 6390 + (process.pid % 50);
    const dir = mkdtempSync(join(root, 'redis-'));
    const startRedis = () => {
      const p = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''], { stdio: 'ignore' });
      return p;
    };
    let redis: ChildProcess = startRedis();
    const url = `redis://127.0.0.1:${port}`;
    try {
      for (let k = 0; k < 50 && !(await redisAvailable(url)); k++) await new Promise((r) => setTimeout(r, 100));
      const t = await setUp('redis-restart', url);
      const w = spawnWorker(t.args, t.env);
      let restarted = false;
      await waitDrained(t.prefix, {
        url,
        timeoutMs: 90_000,
        onPoll: async (c) => {
          if (restarted || (c.completed ?? 0) < 2) return;
          restarted = true;
          const gone = new Promise((r) => redis.once('exit', r));
          spawn('redis-cli', ['-p', String(port), 'shutdown', 'nosave'], { stdio: 'ignore' });
          await gone;
          await new Promise((r) => setTimeout(r, 1500));
          redis = startRedis();
        },
      });
      expect(restarted).toBe(true);
      await stopWorkers([w]);
      await expectClean(t.db);
    } finally {
      redis.kill('SIGKILL');
    }
  });
});
