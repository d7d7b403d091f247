import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, DEMO, hnSample, reportsOf, runQueued, snapshotSqlite, uniquePrefix } from './helpers.js';
import { dropPrefix, needService, redisAvailable } from './services.js';

const ok = await needService('Redis', await redisAvailable());

/**
 * Issue 16: a run through the queue leaves the database a single-machine `analyze` leaves: the same
 * postings (by id: every column but key, first_seen and last_seen), skills, mentions, daily
 * aggregates and reports. The demo corpus plus a sample of Hacker News posts (when ../shared/data
 * is there); extract jobs of 100 postings, so many run side by side.
 */
const HN_SAMPLE = Number(process.env.SKILLPULSE_TEST_HN_SAMPLE ?? 3000);

describe.skipIf(!ok)('a queued run leaves what analyze leaves', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skillpulse-equiv-'));
  const prefix = uniquePrefix('equiv');
  afterAll(async () => {
    await dropPrefix(prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it(`the demo corpus and ${HN_SAMPLE} Hacker News posts: enqueue + worker processes against analyze`, { timeout: 240_000 }, async () => {
    const hn = hnSample(dir, HN_SAMPLE);
    if (!hn) console.log('skipped the Hacker News sample: ../shared/data/hn-whoishiring-2013-2018 is not here');
    const inputs = [DEMO, ...(hn ? [hn] : [])];
    const single = join(dir, 'single.sqlite');
    const t0 = Date.now();
    const a = await cli(['analyze', ...inputs, '--db', single, '--quiet'], { SKILLPULSE_CACHE_DIR: join(dir, 'cache') });
    expect(a.code, a.stderr).toBe(0);
    const analyzeMs = Date.now() - t0;
    const queued = join(dir, 'queued.sqlite');
    // One worker process: SQLite takes one writer (the lock); PostgreSQL takes several.
    const r = await runQueued({ dir, db: queued, sources: inputs.map((p) => `path:${p}`), prefix, workers: 1, batch: 100 });
    console.log(`analyze ${analyzeMs} ms; queue with 1 worker ${r.ms} ms`);
    const want = snapshotSqlite(single);
    const got = snapshotSqlite(queued);
    expect(got.postings.length).toBe(want.postings.length);
    expect(got.postings.length).toBeGreaterThan(200);
    for (const k of Object.keys(want) as (keyof typeof want)[]) expect(got[k], k).toEqual(want[k]);
    expect(await reportsOf(queued)).toEqual(await reportsOf(single));
  });
});
