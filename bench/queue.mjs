#!/usr/bin/env node
// Throughput of distributed runs (issue 16): `analyze` into SQLite against `enqueue` + 1, 2 and 4
// worker processes into PostgreSQL, on the same corpus, then checks both stores hold the same
// postings, skills and mentions. The corpus: the last --size Hacker News posts of ../shared/data
// (default 20,000), else --size generated postings (bench/corpus.mjs).
//   npm run build && node bench/queue.mjs [--size 20000] [--workers 1,2,4] [--batch 200]
//     [--pg postgres://postgres:postgres@127.0.0.1:5432/postgres] [--redis redis://127.0.0.1:6379]
// Needs PostgreSQL and Redis (see README, Scaling out). Time it on an otherwise idle machine.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { writeCorpus } from './corpus.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '20000' },
    workers: { type: 'string', default: '1,2,4' },
    batch: { type: 'string', default: '200' },
    pg: { type: 'string', default: process.env.SKILLPULSE_TEST_PG_URL || 'postgres://postgres:postgres@127.0.0.1:5432/postgres' },
    redis: { type: 'string', default: process.env.SKILLPULSE_TEST_REDIS_URL || 'redis://127.0.0.1:6379' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log('usage: node bench/queue.mjs [--size N] [--workers 1,2,4] [--batch N] [--pg <url>] [--redis <url>]');
  process.exit(0);
}
const BIN = join(root, 'dist', 'cli', 'bin.js');
if (!existsSync(BIN)) {
  console.error('bench/queue.mjs: run npm run build first');
  process.exit(2);
}
const { openQueue } = await import('../dist/queue/control.js');
const size = Number(values.size);
const dir = mkdtempSync(join(tmpdir(), 'skillpulse-bench-queue-'));
const env = { ...process.env, SKILLPULSE_CACHE_DIR: join(dir, 'cache'), SKILLPULSE_DB_URL: '', SKILLPULSE_QUEUE_URL: '', NO_COLOR: '1' };

async function corpus() {
  const hn = join(root, '..', 'shared', 'data', 'hn-whoishiring-2013-2018');
  const out = join(dir, 'corpus.jsonl');
  if (existsSync(join(hn, 'monthly'))) {
    const all = join(dir, 'hn-all.jsonl');
    execFileSync(process.execPath, [join(root, 'scripts', 'hn-to-jsonl.mjs'), hn, all], { stdio: 'ignore' });
    const lines = readFileSync(all, 'utf8').split('\n').filter(Boolean).slice(-size);
    writeFileSync(out, `${lines.join('\n')}\n`);
    return { path: out, what: `${lines.length} Hacker News posts` };
  }
  await writeCorpus(out, size);
  return { path: out, what: `${size} generated postings (no ../shared/data)` };
}

const run = (args) => execFileSync(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });

async function drained(prefix) {
  const q = openQueue({ url: values.redis, prefix });
  try {
    for (;;) {
      const c = await q.getJobCounts('waiting', 'active', 'waiting-children', 'delayed', 'prioritized', 'completed', 'failed');
      if (c.failed) throw new Error(`failed jobs: ${JSON.stringify(c)}`);
      if (c.waiting + c.active + c['waiting-children'] + c.delayed + c.prioritized === 0 && c.completed > 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await q.close();
  }
}

function startWorker(args) {
  const p = spawn(process.execPath, [BIN, 'worker', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const ready = new Promise((resolve, reject) => {
    p.stderr.on('data', (d) => {
      err += d;
      if (err.includes('worker ready')) resolve();
    });
    p.on('exit', (code) => reject(new Error(`worker exited ${code}: ${err}`)));
  });
  return { p, ready, exited: new Promise((r) => p.on('exit', r)) };
}

async function counts(query) {
  return { postings: Number((await query('SELECT count(*) AS n FROM postings'))[0].n), mentions: Number((await query('SELECT count(*) AS n FROM mentions'))[0].n) };
}

const admin = new pg.Pool({ connectionString: values.pg, max: 1 });
const { path, what } = await corpus();
console.log(`corpus: ${what}; ${cpus().length} cores; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
const results = [];
try {
  const sqlite = join(dir, 'single.sqlite');
  let t = performance.now();
  run(['analyze', path, '--db', sqlite, '--quiet']);
  const analyzeS = (performance.now() - t) / 1000;
  const db = new Database(sqlite, { readonly: true });
  const want = await counts(async (sql) => db.prepare(sql).all());
  db.close();
  results.push({ mode: 'analyze into SQLite (worker threads)', seconds: analyzeS, postings: want.postings });
  for (const n of values.workers.split(',').map(Number)) {
    const schema = `sp_bench_${process.pid}_${n}`;
    const prefix = `sp-bench-${process.pid}-${n}`;
    const u = new URL(values.pg);
    u.searchParams.set('schema', schema);
    const config = join(dir, `queue-${n}.yaml`);
    writeFileSync(config, `db: ${JSON.stringify(u.toString())}\nsources: [${JSON.stringify(`path:${path}`)}]\nqueue: { url: ${JSON.stringify(values.redis)}, prefix: ${prefix}, batch: ${Number(values.batch)} }\n`);
    // Workers started and ready first: the figure is the queue's, not Node's start-up.
    const workers = Array.from({ length: n }, () => startWorker(['--config', config]));
    await Promise.all(workers.map((w) => w.ready));
    t = performance.now();
    run(['enqueue', '--config', config]);
    await drained(prefix);
    const seconds = (performance.now() - t) / 1000;
    for (const w of workers) w.p.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    const got = await counts(async (sql) => (await admin.query(`SET search_path = ${schema}; ${sql}`))[1].rows);
    if (got.postings !== want.postings || got.mentions !== want.mentions) throw new Error(`${n} workers stored ${JSON.stringify(got)}, analyze ${JSON.stringify(want)}`);
    results.push({ mode: `enqueue + ${n} worker${n === 1 ? '' : 's'} into PostgreSQL`, seconds, postings: got.postings });
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    const q = openQueue({ url: values.redis, prefix });
    await q.obliterate({ force: true });
    await q.close();
  }
} finally {
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
}
for (const r of results) console.log(`${r.mode.padEnd(40)} ${r.seconds.toFixed(1).padStart(6)} s  ${Math.round(r.postings / r.seconds).toString().padStart(6)} postings/s`);
console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
