import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pgAvailable, REDIS_URL, redisAvailable, serviceSuite } from '../services.js';
import { cli, DEMO, dropPrefix, dropSchema, pgQuery, pgStore, type Snapshot, snapshotPostgres, snapshotSqlite, spawnWorker, stopWorkers, uniquePrefix, waitDrained, writeConfig } from './helpers.js';

const [redis, pg] = await Promise.all([redisAvailable(), pgAvailable()]);
const suite = serviceSuite('queue on PostgreSQL', redis.available ? pg : redis);

/**
 * Issue 16: delivery is at least once; whatever fails along the way, the database ends as a clean
 * run leaves it, nothing lost and nothing counted twice. The demo corpus (275 postings) in extract
 * jobs of 25 into PostgreSQL (a schema per test), compared with `analyze` into SQLite; locks of
 * 1 s so a dead worker's job is handed out again quickly.
 */
const LOCK = { SKILLPULSE_QUEUE_LOCK_MS: '1000' };

suite('faults during a queued run', () => {
  const root = mkdtempSync(join(tmpdir(), 'skillpulse-faults-'));
  let clean: Snapshot;
  let postings = 0;
  const prefixes: string[] = [];
  const schemas: string[] = [];

  beforeAll(async () => {
    const a = await cli(['analyze', DEMO, '--db', join(root, 'clean.sqlite'), '--quiet'], { SKILLPULSE_CACHE_DIR: join(root, 'cache') });
    expect(a.code, a.stderr).toBe(0);
    clean = snapshotSqlite(join(root, 'clean.sqlite'));
    postings = clean.postings.length;
  });
  afterAll(async () => {
    for (const p of prefixes) await dropPrefix(p);
    for (const schema of schemas) await dropSchema(schema);
    rmSync(root, { recursive: true, force: true });
  });

  /** A fresh folder, database and queue prefix, the demo enqueued. */
  async function setUp(name: string, url = REDIS_URL, attempts = 5) {
    const dir = mkdtempSync(join(root, `${name}-`));
    const prefix = uniquePrefix(name);
    prefixes.push(prefix);
    const store = pgStore(name);
    schemas.push(store.schema);
    const db = store.url;
    const config = writeConfig(dir, { db, sources: [`path:${DEMO}`], prefix, batch: 25, backoffMs: 100, url, attempts });
    const q = await cli(['enqueue', '--config', config]);
    expect(q.code, q.stderr).toBe(0);
    const env = { ...LOCK, SKILLPULSE_CACHE_DIR: join(root, 'cache') };
    const args = ['--config', config];
    return { dir, prefix, db, schema: store.schema, app: store.app, config, env, args };
  }

  /** The database is the clean one, and the finished run counted every posting once. */
  async function expectClean(db: string, schema: string) {
    const got = await snapshotPostgres(schema);
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
    await expectClean(t.db, t.schema);
  });

  it('a worker SIGKILLed inside a transaction, its batch written and not committed: nothing of it lands, the batch is handed out again and counted once', async () => {
    const t = await setUp('in-transaction');
    const dying = spawnWorker(t.args, { ...t.env, SKILLPULSE_TEST_KILL_BEFORE_COMMIT: '1' });
    expect(await dying.exited, dying.output()).toBe(-1);
    expect(dying.proc.signalCode).toBe('SIGKILL');
    const w = spawnWorker(t.args, t.env);
    await waitDrained(t.prefix, { timeoutMs: 60_000 });
    await stopWorkers([w]);
    await expectClean(t.db, t.schema);
  });

  it('a job that throws once is tried again', async () => {
    const t = await setUp('throw-once');
    const w = spawnWorker(t.args, { ...t.env, SKILLPULSE_TEST_THROW_ONCE: '-25' });
    await waitDrained(t.prefix, { timeoutMs: 60_000 });
    await stopWorkers([w]);
    expect(w.output()).toMatch(/job f-[0-9a-f]+-\d+-25 \(extract\) failed on try 1: test hook: this try fails/);
    await expectClean(t.db, t.schema);
  });

  it('a job failed on its last try holds its fetch job back until queue retry-failed', { timeout: 90_000 }, async () => {
    const t = await setUp('retry-failed', REDIS_URL, 1);
    const w = spawnWorker(t.args, { ...t.env, SKILLPULSE_TEST_THROW_ONCE: '-50' });
    await expect(waitDrained(t.prefix, { timeoutMs: 60_000 })).rejects.toThrow(/"waiting-children":1.*"failed":1/);
    const status = await cli(['queue', 'status', '--config', t.config]);
    expect(status.stdout).toMatch(/-50 +extract .* test hook: this try fails/);
    expect((await cli(['queue', 'retry-failed', '--config', t.config])).stderr).toContain('1 failed job moved back to waiting');
    await waitDrained(t.prefix, { timeoutMs: 60_000 });
    await stopWorkers([w]);
    await expectClean(t.db, t.schema);
  });

  it('workers SIGKILLed at random moments (inside a transaction, between steps, before an ack)', { timeout: 120_000 }, async () => {
    const t = await setUp('sigkill');
    // A seeded sequence of lifetimes from 0.3 to 2.5 s, each worker killed outright.
    let seed = 16;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let k = 0; k < 5; k++) {
      const pair = [spawnWorker(t.args, t.env), spawnWorker(t.args, t.env)];
      await new Promise((r) => setTimeout(r, 500 + next() * 2500));
      pair[0]?.proc.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, next() * 500));
      pair[1]?.proc.kill('SIGKILL');
      await Promise.all(pair.map((w) => w.exited));
    }
    const ws = [spawnWorker(t.args, t.env), spawnWorker(t.args, t.env)];
    await waitDrained(t.prefix, { timeoutMs: 90_000 });
    await stopWorkers(ws);
    await expectClean(t.db, t.schema);
  });

  it('PostgreSQL connections cut mid-run (pg_terminate_backend): the batches in flight fail, are retried, and land once', { timeout: 120_000 }, async () => {
    const t = await setUp('pg-cut');
    const ws = [spawnWorker(t.args, t.env), spawnWorker(t.args, t.env)];
    const crashes: string[] = [];
    let cut = 0;
    await waitDrained(t.prefix, {
      timeoutMs: 90_000,
      onTimeout: () => ws.map((w) => w.output()).join('\n---\n'),
      onPoll: async (c) => {
        // Twice: once a batch is running, again when a few are in.
        if ((cut === 0 && (c.active ?? 0) > 0) || (cut === 1 && (c.completed ?? 0) >= 3)) {
          const rows = await pgQuery<{ n: number }>('SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1', [t.app]);
          if ((rows[0]?.n ?? 0) > 0) cut++;
        }
        // A worker that died (none should) is started again, as its supervisor (systemd, a container) would.
        for (const [k, w] of ws.entries()) {
          if (w.proc.exitCode === null && w.proc.signalCode === null) continue;
          crashes.push(/^error: .*$/m.exec(w.output())?.[0] ?? `exit ${w.proc.exitCode}`);
          ws[k] = spawnWorker(t.args, t.env);
        }
      },
    });
    expect(cut).toBeGreaterThan(0);
    // The store catches a connection lost under a transaction: the job fails and is retried, the worker lives on.
    expect(crashes).toEqual([]);
    await stopWorkers(ws);
    await expectClean(t.db, t.schema);
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
      for (let k = 0; k < 50 && !(await redisAvailable(url)).available; k++) await new Promise((r) => setTimeout(r, 100));
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
      await expectClean(t.db, t.schema);
    } finally {
      redis.kill('SIGKILL');
    }
  });
});
