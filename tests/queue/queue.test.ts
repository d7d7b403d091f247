import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/pipeline/config.js';
import { redactRedisUrl, sourceTag } from '../../src/queue/settings.js';
import { lastOfEachId } from '../../src/queue/worker.js';
import type { RawPosting } from '../../src/types.js';
import { REDIS_URL, redisAvailable, serviceSuite } from '../services.js';
import { cli, DEMO, dropPrefix, uniquePrefix, writeConfig } from './helpers.js';

const redisSuite = serviceSuite('Redis queue', await redisAvailable());

describe('the queue key of the run config', () => {
  const parse = (queue: string) => parseConfig(`db: x.sqlite\nsources: [path:p]\nqueue: ${queue}\n`, '/tmp');

  it('takes url, prefix, batch, attempts and backoffMs, with defaults', () => {
    const r = parseConfig('db: x.sqlite\nsources: [path:p]\n', '/tmp');
    expect(r.ok && r.value.queue).toEqual({ prefix: 'skillpulse', batch: 200, attempts: 5, backoffMs: 5000 });
    const s = parse('{ url: "redis://127.0.0.1:6379/2", prefix: team-a, batch: 50, attempts: 3, backoffMs: 0 }');
    expect(s.ok && s.value.queue).toEqual({ url: 'redis://127.0.0.1:6379/2', prefix: 'team-a', batch: 50, attempts: 3, backoffMs: 0 });
  });

  it('keeps a postgres:// db as it is (no path to resolve), for a config shared by workers', () => {
    const r = parseConfig('db: "postgres://u:p@db.example.org/skills?schema=team_a"\nsources: [path:p]\n', '/srv/conf');
    expect(r.ok && r.value.db).toBe('postgres://u:p@db.example.org/skills?schema=team_a');
  });

  it.each([
    ['{ url: "http://x" }', 'queue.url: expected a redis:// URL'],
    ['{ batch: 0 }', 'queue.batch: expected a whole number of at least 1'],
    ['{ attempts: 1.5 }', 'queue.attempts: expected a whole number of at least 1'],
    ['{ prefix: "a b" }', 'queue.prefix: expected a prefix of letters, digits, - _ . or :'],
    ['{ workers: 3 }', 'queue.workers: unknown key (known: url, prefix, batch, attempts, backoffMs)'],
    ['[1]', 'queue: expected a mapping'],
  ])('rejects queue %s', (queue, problem) => {
    const r = parseConfig(`db: x.sqlite\nsources: [path:p]\nqueue: ${queue}\n`, '/tmp');
    expect(r.ok ? [] : r.problems.map((p) => `${p.key}: ${p.message}`)).toContain(problem);
  });

  it('config check names the queue, password hidden', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skillpulse-qconfig-'));
    try {
      const file = join(dir, 'c.yaml');
      writeFileSync(file, 'db: "postgres://u:pw@db/skills"\nsources: [path:p]\nqueue: { url: "redis://:s3cret@q.internal:6379", prefix: team-a }\n');
      const r = await cli(['config', 'check', file]);
      expect(r.stdout).toBe(`ok: ${file}: database postgres://u:***@db/skills, 1 source, 0 reports, queue redis://:***@q.internal:6379 (prefix team-a)\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names job ids without colons and URLs without passwords', () => {
    expect(sourceTag('greenhouse:acme')).toMatch(/^[0-9a-f]{16}$/);
    expect(redactRedisUrl('redis://user:secret@host:6380/1')).toBe('redis://user:***@host:6380/1');
  });
});

describe('lastOfEachId: a posting staged twice is staged once, as a run in order leaves it', () => {
  const raw = (externalId: string | undefined, body: string, origin: string): RawPosting => ({
    source: 'file',
    ...(externalId && { externalId }),
    fetchedAt: '2026-01-01T00:00:00Z',
    contentType: 'text/plain',
    body,
    hints: {},
    origin,
  });

  it('keeps the first of identical copies and the last edit', () => {
    const out = lastOfEachId([raw('a', 'one', 'f1'), raw('b', 'two', 'f1'), raw('a', 'one', 'f2'), raw('b', 'two, edited', 'f2'), raw(undefined, 'same', 'f3'), raw(undefined, 'same', 'f4')]);
    expect(out.map((r) => `${r.externalId ?? '-'} ${r.body} ${r.origin}`)).toEqual(['a one f1', 'b two, edited f2', '- same f3']);
  });
});

redisSuite('enqueue, schedule, queue status and retry-failed (Redis)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skillpulse-queue-'));
  const prefix = uniquePrefix('cmd');
  const config = writeConfig(dir, { db: join(dir, 'db.sqlite'), sources: [`path:${DEMO}`, 'greenhouse:acme'], prefix });

  beforeAll(() => dropPrefix(prefix));
  afterAll(async () => {
    await dropPrefix(prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('queues one job per source, and nothing for a source whose job is pending', async () => {
    const first = await cli(['enqueue', '--config', config]);
    expect(first.code).toBe(0);
    expect(first.stdout.split('\n').filter((l) => l.startsWith('queued'))).toHaveLength(2);
    const again = await cli(['enqueue', '--config', config]);
    expect(again.code).toBe(0);
    expect(again.stdout).not.toMatch(/^queued/m);
    expect(again.stdout.split('\n').filter((l) => l.startsWith('pending already'))).toHaveLength(2);
    expect(again.stderr).toContain('queued 0 fetch jobs');
    const status = await cli(['queue', 'status', '--config', config, '--format', 'json']);
    expect(JSON.parse(status.stdout).counts).toMatchObject({ waiting: 2, active: 0, failed: 0 });
  });

  it('upserts one schedule per source, replaces it, and removes it', async () => {
    const s = await cli(['schedule', '--config', config, '--cron', '0 */6 * * *']);
    expect(s.code, s.stderr).toBe(0);
    let status = JSON.parse((await cli(['queue', 'status', '--config', config, '--format', 'json'])).stdout);
    expect(status.schedules.map((x: { source: string; cron: string }) => `${x.source} ${x.cron}`).sort()).toEqual([`greenhouse:acme 0 */6 * * *`, `path:${DEMO} 0 */6 * * *`]);
    // A config with one source left: its schedule replaced, the other's removed.
    const one = join(dir, 'one.yaml');
    writeFileSync(one, `db: x.sqlite\nsources: [greenhouse:acme]\nqueue: { url: "${REDIS_URL}", prefix: ${prefix} }\n`);
    const r = await cli(['schedule', '--config', one, '--cron', '30 2 * * *']);
    expect(r.stdout).toContain(`unscheduled  path:${DEMO}`);
    status = JSON.parse((await cli(['queue', 'status', '--config', config, '--format', 'json'])).stdout);
    expect(status.schedules.map((x: { source: string; cron: string }) => `${x.source} ${x.cron}`)).toEqual(['greenhouse:acme 30 2 * * *']);
    const table = await cli(['queue', 'status', '--queue', REDIS_URL, '--prefix', prefix]);
    expect(table.stdout).toMatch(/schedules:\n {2}greenhouse:acme {2}30 2 \* \* \* {2}next \d{4}-/);
    const removed = await cli(['schedule', '--queue', REDIS_URL, '--prefix', prefix, '--remove']);
    expect(removed.stderr).toContain('removed 1 schedule');
    status = JSON.parse((await cli(['queue', 'status', '--config', config, '--format', 'json'])).stdout);
    expect(status.schedules).toEqual([]);
  });

  it('refuses a bad cron expression and a missing --cron', async () => {
    const bad = await cli(['schedule', '--config', config, '--cron', 'every day']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--cron "every day"');
    expect((await cli(['schedule', '--config', config])).code).toBe(2);
  });

  it('lists failed jobs and moves them back to waiting', async () => {
    // A job that fails on its one try, failed by a real BullMQ worker.
    const { openQueue } = await import('../../src/queue/control.js');
    const { redisOptions } = await import('../../src/queue/connection.js');
    const q = openQueue({ url: REDIS_URL, prefix });
    try {
      // The jobs queued above go: this worker is to fail this one only.
      await q.obliterate({ force: true });
      await q.add('extract', { stage: 'x', from: 0, to: 1, seenAt: '2026-01-01T00:00:00Z' }, { jobId: 'x-0', attempts: 1 });
      await new Promise<void>((resolve) => {
        const w = new Worker('skillpulse', async () => {
          throw new Error('database gone');
        }, { connection: redisOptions(REDIS_URL), prefix });
        w.on('failed', () => void w.close().then(resolve));
      });
    } finally {
      await q.close();
    }
    const status = await cli(['queue', 'status', '--queue', REDIS_URL, '--prefix', prefix]);
    expect(status.stdout).toContain('failed jobs (queue retry-failed tries them again):');
    expect(status.stdout).toMatch(/x-0 +extract +x +\d+ +database gone/);
    const retried = await cli(['queue', 'retry-failed', '--queue', REDIS_URL, '--prefix', prefix]);
    expect(retried.stderr).toContain('1 failed job moved back to waiting');
    const after = JSON.parse((await cli(['queue', 'status', '--queue', REDIS_URL, '--prefix', prefix, '--format', 'json'])).stdout);
    expect(after.counts.failed).toBe(0);
    expect(after.failed).toEqual([]);
  });

  it('exits 2 naming the URL, password hidden, when Redis does not answer', async () => {
    const r = await cli(['queue', 'status', '--queue', 'redis://me:hunter2@127.0.0.1:1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('redis://me:***@127.0.0.1:1');
    expect(r.stderr).not.toContain('hunter2');
    const w = await cli(['worker', '--queue', 'redis://127.0.0.1:1', '--db', join(dir, 'w.sqlite')]);
    expect(w.code).toBe(2);
    expect(w.stderr).toContain('cannot reach Redis');
  });
});
