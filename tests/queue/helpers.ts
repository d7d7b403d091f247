import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { main } from '../../src/cli/main.js';
import { openQueue } from '../../src/queue/control.js';
import { Redis } from 'ioredis';
import pg from 'pg';
import { PG_URL, REDIS_URL } from '../services.js';

export const BIN = join(process.cwd(), 'dist/cli/bin.js');
export const DEMO = join(process.cwd(), 'fixtures/demo');

/** A queue prefix of its own for each test: tests share one Redis. */
export function uniquePrefix(name: string): string {
  return `sptest-${name}-${process.pid}-${Date.now().toString(36)}`;
}

export function writeConfig(dir: string, o: { db: string; sources: string[]; prefix: string; batch?: number; backoffMs?: number; attempts?: number; url?: string }): string {
  const file = join(dir, 'skillpulse.yaml');
  const queue = { url: o.url ?? REDIS_URL, prefix: o.prefix, batch: o.batch ?? 200, backoffMs: o.backoffMs ?? 200, attempts: o.attempts ?? 5 };
  writeFileSync(file, `db: ${JSON.stringify(o.db)}\nsources:\n${o.sources.map((s) => `  - ${JSON.stringify(s)}\n`).join('')}queue: ${JSON.stringify(queue)}\n`);
  return file;
}

/** Runs the CLI in-process; its exit code, stdout and stderr. */
export async function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => void (stdout += s) },
    stderr: { write: (s: string) => void (stderr += s) },
    readStdin: async () => '',
    env: { ...process.env, SKILLPULSE_DB_URL: undefined, SKILLPULSE_QUEUE_URL: undefined, SKILLPULSE_QUEUE_PREFIX: undefined, ...env },
  });
  return { code, stdout, stderr };
}

export interface SpawnedWorker {
  proc: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
}

/** A worker process from dist/, its output kept. */
export function spawnWorker(args: string[], env: Record<string, string | undefined> = {}): SpawnedWorker {
  const proc = spawn(process.execPath, [BIN, 'worker', ...args], {
    env: { ...process.env, NO_COLOR: '1', SKILLPULSE_QUEUE_URL: undefined, SKILLPULSE_DB_URL: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (d) => void (out += d));
  proc.stderr?.on('data', (d) => void (out += d));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  return { proc, exited, output: () => out };
}

/** Resolves once the prefix's queue has no job left to run (and at least `completed` done); throws after `timeoutMs`. */
export async function waitDrained(prefix: string, o: { timeoutMs?: number; completed?: number; url?: string; onPoll?: (counts: Record<string, number>) => void | Promise<void>; onTimeout?: () => string } = {}): Promise<Record<string, number>> {
  const queue = openQueue({ url: o.url ?? REDIS_URL, prefix });
  queue.on('error', () => {});
  const deadline = Date.now() + (o.timeoutMs ?? 90_000);
  try {
    for (;;) {
      const c = await queue.getJobCounts('waiting', 'active', 'waiting-children', 'delayed', 'prioritized', 'completed', 'failed').catch(() => undefined);
      if (c) {
        await o.onPoll?.(c);
        const pending = (c.waiting ?? 0) + (c.active ?? 0) + (c['waiting-children'] ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0);
        if (pending === 0 && (c.completed ?? 0) >= (o.completed ?? 1)) return c;
        // Failed jobs and nothing left that could run: stuck until someone retries them.
        if (pending - (c['waiting-children'] ?? 0) === 0 && (c.failed ?? 0) > 0) throw new Error(`jobs failed: ${JSON.stringify(c)}`);
      }
      if (Date.now() > deadline) throw new Error(`the queue ${prefix} did not drain: ${JSON.stringify(c)}${o.onTimeout ? `\n${o.onTimeout()}` : ''}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await queue.close();
  }
}

/** Deletes every key of a queue prefix (never FLUSHALL: the Redis is shared). */
export async function dropPrefix(prefix: string, url = REDIS_URL): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

/**
 * A PostgreSQL store of its own for a test: a fresh schema, and an application_name of its own so
 * a test can cut its workers' connections and no one else's.
 */
export function pgStore(name: string): { schema: string; url: string; app: string } {
  const schema = `sp_q_${name.replace(/\W/g, '_')}_${process.pid}_${Date.now().toString(36)}`;
  const u = new URL(PG_URL);
  u.searchParams.set('schema', schema);
  u.searchParams.set('application_name', schema);
  return { schema, url: u.toString(), app: schema };
}

/** Runs SQL as the test's own PostgreSQL user (not a skillpulse connection). */
export async function pgQuery<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export async function dropSchema(schema: string): Promise<void> {
  await pgQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}

export async function snapshotPostgres(schema: string): Promise<Snapshot> {
  const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    const out: Record<string, unknown[]> = {};
    for (const [k, sql] of Object.entries(SNAPSHOT_SQL)) out[k] = canonical((await client.query(sql)).rows);
    return out as unknown as Snapshot;
  } finally {
    await client.end();
  }
}

export interface Snapshot {
  postings: unknown[];
  postingSkills: unknown[];
  mentions: unknown[];
  textHashes: unknown[];
  dailyTotals: unknown[];
  dailySkillCounts: unknown[];
}

/** What a run leaves, by posting id: every column but key, first_seen and last_seen (keys follow storage order). */
export const SNAPSHOT_SQL: Record<keyof Snapshot, string> = {
  postings: `SELECT id, source, external_id, url, origin, title, company, location, remote, posted_at, salary, content_hash, closed_at, period_date,
    degree, min_years, seniority, taxonomy_version, extractor_version, sections, text FROM postings`,
  postingSkills: 'SELECT p.id, s.skill_id, s.requirement, s.years, s.negated, s.confidence, s.mention_count FROM posting_skills s JOIN postings p ON p.key = s.posting_key',
  mentions: 'SELECT p.id, m.skill_id, m.start, m."end", m.text, m.section, m.sentence_start, m.sentence_end FROM mentions m JOIN postings p ON p.key = m.posting_key',
  textHashes: 'SELECT p.id, t.text_hash FROM text_hashes t JOIN postings p ON p.key = t.posting_key',
  dailyTotals: 'SELECT * FROM daily_totals',
  dailySkillCounts: 'SELECT * FROM daily_skill_counts',
};

/** Rows in one order whatever the store: values as JSON-comparable (numbers, strings, null), sorted. */
export function canonical(rows: Record<string, unknown>[]): unknown[] {
  const norm = (v: unknown) => (typeof v === 'boolean' ? Number(v) : typeof v === 'bigint' ? Number(v) : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? v : v);
  return rows
    .map((r) => JSON.stringify(Object.values(r).map(norm)))
    .sort()
    .map((s) => JSON.parse(s));
}

export function snapshotSqlite(path: string): Snapshot {
  const db = new Database(path, { readonly: true });
  try {
    return Object.fromEntries(Object.entries(SNAPSHOT_SQL).map(([k, sql]) => [k, canonical(db.prepare(sql).all() as Record<string, unknown>[])])) as unknown as Snapshot;
  } finally {
    db.close();
  }
}

/** The JSON of every report kind, for comparing two stores. */
export async function reportsOf(db: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const kind of ['summary', 'trends', 'cooccurrence', 'salary', 'emerging']) {
    const r = await cli(['report', '--db', db, '--kind', kind, '--format', 'json', '--period', 'month']);
    out[kind] = r.code === 0 ? r.stdout : `exit ${r.code}: ${r.stderr}`;
  }
  const skill = await cli(['report', '--db', db, '--kind', 'skill', 'python', '--format', 'json']);
  out.skill = skill.code === 0 ? skill.stdout : `exit ${skill.code}: ${skill.stderr}`;
  return out;
}

/** Stops workers as an operator does (SIGTERM) and checks each exits 0. */
export async function stopWorkers(workers: SpawnedWorker[]): Promise<void> {
  // A signal before the process has set its handlers would kill it outright: wait for it to be ready.
  for (const w of workers) {
    for (let k = 0; k < 300 && w.proc.exitCode === null && !w.output().includes('worker ready'); k++) await new Promise((r) => setTimeout(r, 100));
  }
  for (const w of workers) if (w.proc.exitCode === null) w.proc.kill('SIGTERM');
  const codes = await Promise.all(workers.map((w) => w.exited));
  codes.forEach((code, k) => {
    if (code !== 0) throw new Error(`worker ${k} exited ${code}:\n${workers[k]?.output()}`);
  });
}

/**
 * Analyzes `sources` through the queue: enqueue, `workers` worker processes until the queue has
 * drained, then SIGTERM (each must exit 0). The config file is written in `dir`.
 */
export async function runQueued(o: { dir: string; db: string; sources: string[]; prefix: string; workers: number; batch?: number; env?: Record<string, string>; timeoutMs?: number }): Promise<{ ms: number; outputs: string[] }> {
  const config = writeConfig(o.dir, { db: o.db, sources: o.sources, prefix: o.prefix, ...(o.batch && { batch: o.batch }) });
  const started = Date.now();
  const q = await cli(['enqueue', '--config', config]);
  if (q.code !== 0) throw new Error(`enqueue: ${q.stderr}`);
  const env = { SKILLPULSE_CACHE_DIR: join(o.dir, 'cache'), ...o.env };
  const workers = Array.from({ length: o.workers }, () => spawnWorker(['--queue', REDIS_URL, '--prefix', o.prefix, '--db', o.db], env));
  try {
    await waitDrained(o.prefix, { completed: o.sources.length, ...(o.timeoutMs && { timeoutMs: o.timeoutMs }) });
  } catch (err) {
    for (const w of workers) w.proc.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${workers.map((w) => w.output()).join('\n---\n')}`);
  }
  const ms = Date.now() - started;
  await stopWorkers(workers);
  return { ms, outputs: workers.map((w) => w.output()) };
}

/** A JSONL sample of `n` Hacker News posts from ../shared/data when it is there (never copied into the repo), else undefined. */
export function hnSample(dir: string, n: number): string | undefined {
  const hn = join(process.cwd(), '..', 'shared', 'data', 'hn-whoishiring-2013-2018');
  if (!existsSync(join(hn, 'monthly'))) return undefined;
  const all = join(dir, 'hn-all.jsonl');
  execFileSync(process.execPath, [join(process.cwd(), 'scripts', 'hn-to-jsonl.mjs'), hn, all], { stdio: 'ignore' });
  const lines = readFileSync(all, 'utf8').split('\n').filter(Boolean);
  const out = join(dir, `hn-${n}.jsonl`);
  writeFileSync(out, `${lines.slice(-n).join('\n')}\n`);
  return out;
}
