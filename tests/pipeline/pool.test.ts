import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { extractPosting } from '../../src/extract/extract.js';
import { findSections } from '../../src/normalize/sections.js';
import { normalizePosting } from '../../src/normalize/posting.js';
import { DEFAULT_INPUT_LIMITS } from '../../src/normalize/limits.js';
import { analyzeItems, PARALLEL_THRESHOLD } from '../../src/pipeline/analyze.js';
import { type ExtractionPool, type StoredText, startPool } from '../../src/pipeline/pool.js';
import type { SourceItem } from '../../src/sources/files.js';

import type { RawPosting } from '../../src/types.js';
import { shippedTaxonomy, sqliteStore } from '../helpers.js';

// The workers run the build (dist/pipeline/extract-worker.js): these tests need `npm run build`
// after a change to the worker. The worker reads these variables (its only test hooks): it exits
// when it comes to the posting of that origin, mid-batch, or never finishes it.
const CRASH_AT = 'SKILLPULSE_TEST_WORKER_CRASH_AT';
const STALL_AT = 'SKILLPULSE_TEST_WORKER_STALL_AT';

/** A posting of our own writing, told apart by its origin. */
function raw(origin: string): RawPosting {
  const body = `# Data Engineer\n\nRequirements\n- Python and SQL\n- Kafka is a plus\n\nPosting ${origin}.`;
  return { source: 'file', externalId: origin, fetchedAt: '2026-03-01T00:00:00.000Z', contentType: 'text/markdown', body, hints: {}, origin };
}

/** What one thread makes of it. */
function inline(r: RawPosting) {
  const posting = normalizePosting(r);
  return { posting, extraction: extractPosting(posting, shippedTaxonomy()) };
}

const batchesOf = (origins: string[][]) => origins.map((batch) => batch.map(raw));
const start = (threads: number) => startPool({ threads, expectVersion: shippedTaxonomy().taxonomy.version });

// Workers started in the test: the first ones, then each replacement of a dead one.
let started = 0;
const countWorker = () => started++;
process.on('worker', countWorker);

let pool: ExtractionPool | undefined;
afterEach(async () => {
  delete process.env[CRASH_AT];
  delete process.env[STALL_AT];
  await pool?.close();
  pool = undefined;
  started = 0;
});

describe('the extraction pool when a worker dies', () => {
  it('sends the batch a dead worker was on to a fresh worker, and the batches queued behind it', async () => {
    process.env[CRASH_AT] = 'b2';
    pool = await start(1);
    // The replacement starts without the hook: the crash was the worker's, not the batch's.
    delete process.env[CRASH_AT];
    const batches = batchesOf([['a1', 'a2'], ['b1', 'b2', 'b3'], ['c1'], ['d1', 'd2']]);
    const results = await Promise.all(batches.map((b) => (pool as ExtractionPool).run(b)));
    expect(results).toEqual(batches.map((b) => b.map(inline)));
    expect(started).toBe(2);
  }, 60_000);

  it('fails a batch that kills every worker it is given, posting by posting, and completes the others', async () => {
    process.env[CRASH_AT] = 'b2';
    pool = await start(2);
    const batches = batchesOf([['a1', 'a2'], ['b1', 'b2', 'b3'], ['c1'], ['d1', 'd2']]);
    const results = await Promise.all(batches.map((b) => (pool as ExtractionPool).run(b)));
    const error = 'the extraction worker died 2 times on this batch (exit code 70)';
    expect(results[1]).toEqual([{ origin: 'b1', error }, { origin: 'b2', error }, { origin: 'b3', error }]);
    expect([results[0], results[2], results[3]]).toEqual([batches[0], batches[2], batches[3]].map((b) => b?.map(inline)));
    expect(started).toBe(4);
    // The pool still has workers for what comes next.
    expect(await pool.run([raw('e1')])).toEqual([inline(raw('e1'))]);
  }, 60_000);

  it('rejects a re-extraction batch whose texts make the worker throw, and completes the others', async () => {
    pool = await start(1);
    const doc = (text: string): StoredText => ({ text, sections: findSections(text) });
    const good = [doc('Requirements\n- Python'), doc('Nice to have\n- Docker')];
    const poison = { text: 42, sections: [] } as unknown as StoredText;
    const settled = await Promise.allSettled([pool.extract([good[0] as StoredText]), pool.extract([good[1] as StoredText, poison]), pool.extract(good)]);
    const expected = good.map((d) => extractPosting(d, shippedTaxonomy()));
    expect(settled[0]).toEqual({ status: 'fulfilled', value: expected.slice(0, 1) });
    expect(settled[1]).toMatchObject({
      status: 'rejected',
      reason: { message: expect.stringMatching(/^cannot re-extract 2 stored postings: the extraction worker died 2 times on this batch \(TypeError: /) },
    });
    expect(settled[2]).toEqual({ status: 'fulfilled', value: expected });
    expect(started).toBe(3);
  }, 60_000);
});

describe('analyze on worker threads when a worker dies', () => {
  it('records the postings of the batch that killed the workers as failed, and stores the rest', async () => {
    // 250 postings: two chunks of 200 and 50 for the pool; a posting of the second kills its workers.
    const origins = Array.from({ length: 250 }, (_, k) => `p${k + 1}`);
    process.env[CRASH_AT] = 'p230';
    async function* items(): AsyncGenerator<SourceItem> {
      for (const origin of origins) yield { ok: true, raw: raw(origin), warnings: [] };
    }
    const db = sqliteStore(':memory:');
    const s = await analyzeItems(items(), db, shippedTaxonomy(), { command: 't', parallel: { threads: 1, threshold: 0 } });
    expect(s).toMatchObject({ new: 200, failed: 50, status: 'partial' });
    expect(started).toBe(3);
    expect(s.failures.map((f) => f.input)).toEqual(origins.slice(200));
    expect(new Set(s.failures.map((f) => f.reason))).toEqual(new Set(['cannot analyze: the extraction worker died 2 times on this batch (exit code 70)']));
    expect(db.db.prepare('SELECT external_id FROM postings ORDER BY key').all()).toEqual(origins.slice(0, 200).map((external_id) => ({ external_id })));
  }, 60_000);
});

describe('analyze: when the workers start and when they are used', () => {
  // The hook makes a worker exit at that posting: one extracted on the main thread is stored.
  async function run(count: number, crashAt: string) {
    process.env[CRASH_AT] = crashAt;
    const origins = Array.from({ length: count }, (_, k) => `p${k + 1}`);
    async function* items(): AsyncGenerator<SourceItem> {
      for (const origin of origins) yield { ok: true, raw: raw(origin), warnings: [] };
    }
    const exited: Promise<number>[] = [];
    const onWorker = (w: Worker) => exited.push(new Promise((resolve) => w.once('exit', resolve)));
    process.on('worker', onWorker);
    const db = sqliteStore(':memory:');
    try {
      const s = await analyzeItems(items(), db, shippedTaxonomy(), { command: 't', parallel: { threads: 1 } });
      return { s, exited, stored: (db.db.prepare('SELECT count(*) AS n FROM postings').get() as { n: number }).n };
    } finally {
      process.off('worker', onWorker);
    }
  }

  it('starts none for a run under one chunk (200 postings)', async () => {
    const { s, stored } = await run(150, 'p100');
    expect(s).toMatchObject({ new: 150, failed: 0 });
    expect(stored).toBe(150);
    expect(started).toBe(0);
  }, 60_000);

  it(`starts one after a whole chunk, extracts on the main thread up to PARALLEL_THRESHOLD (${PARALLEL_THRESHOLD}), and stops it at the end`, async () => {
    const { s, exited, stored } = await run(PARALLEL_THRESHOLD, `p${PARALLEL_THRESHOLD - 20}`);
    expect(s).toMatchObject({ new: PARALLEL_THRESHOLD, failed: 0 });
    expect(stored).toBe(PARALLEL_THRESHOLD);
    expect(started).toBe(1);
    // Started, never used, and stopped when the run ended (not left to keep the process alive).
    expect(exited).toHaveLength(1);
    await exited[0];
  }, 60_000);

  it('fails the run, naming the cause, when the workers started in the background cannot be used', async () => {
    // Workers given another taxonomy (an extra file) than the run's: each refuses to start.
    async function* items(): AsyncGenerator<SourceItem> {
      for (let k = 1; k <= PARALLEL_THRESHOLD + 50; k++) yield { ok: true, raw: raw(`p${k}`), warnings: [] };
    }
    const db = sqliteStore(':memory:');
    await expect(
      analyzeItems(items(), db, shippedTaxonomy(), { command: 't', parallel: { threads: 1, addTaxonomy: ['fixtures/taxonomy-extra'] } }),
    ).rejects.toThrow(/^worker taxonomy \S+ differs from \S+: was the taxonomy edited during the run\?$/);
    expect(db.db.prepare('SELECT status FROM runs').all()).toEqual([{ status: 'failed' }]);
  }, 60_000);

  it('extracts the chunks after the threshold on the workers', async () => {
    // Chunks of 200: the one after the threshold is the first the worker takes; its 50th posting kills it and its replacement.
    const { s, stored } = await run(PARALLEL_THRESHOLD + 300, `p${PARALLEL_THRESHOLD + 50}`);
    expect(s).toMatchObject({ new: PARALLEL_THRESHOLD + 100, failed: 200 });
    expect(s.failures[0]).toEqual({ input: `p${PARALLEL_THRESHOLD + 1}`, reason: 'cannot analyze: the extraction worker died 2 times on this batch (exit code 70)' });
    expect(stored).toBe(PARALLEL_THRESHOLD + 100);
  }, 60_000);
});

describe('the time limit per posting', () => {
  it('stops a worker stuck on one posting, fails that posting alone and extracts the rest of its batch', async () => {
    process.env[STALL_AT] = 'b2';
    pool = await startPool({ threads: 1, expectVersion: shippedTaxonomy().taxonomy.version, maxPostingMs: 300 });
    const batches = batchesOf([['a1'], ['b1', 'b2', 'b3'], ['c1', 'c2']]);
    const results = await Promise.all(batches.map((b) => (pool as ExtractionPool).run(b)));
    expect(results[1]).toEqual([inline(raw('b1')), { origin: 'b2', error: 'extraction took over 0.3 s, the limit per posting; not analyzed' }, inline(raw('b3'))]);
    expect([results[0], results[2]]).toEqual([batches[0], batches[2]].map((b) => b?.map(inline)));
    // The stuck worker was replaced (the hook stays set: the replacement skips b2 rather than meet it again).
    expect(started).toBe(2);
    expect(await pool.run([raw('d1')])).toEqual([inline(raw('d1'))]);
  }, 60_000);

  it('rejects a re-extraction batch stuck on a stored text, after a second try, and completes the others', async () => {
    process.env[STALL_AT] = 'stuck';
    pool = await startPool({ threads: 1, expectVersion: shippedTaxonomy().taxonomy.version, maxPostingMs: 300 });
    const doc = (text: string, title?: string): StoredText => ({ text, sections: findSections(text), ...(title && { title }) });
    const good = doc('Requirements\n- Python');
    const settled = await Promise.allSettled([pool.extract([good, doc('Go', 'stuck')]), pool.extract([good])]);
    expect(settled[0]).toMatchObject({ status: 'rejected', reason: { message: 'cannot re-extract 2 stored postings: the extraction worker died 2 times on this batch (Error: a stored posting took over 0.3 s to extract)' } });
    expect(settled[1]).toEqual({ status: 'fulfilled', value: [extractPosting(good, shippedTaxonomy())] });
  }, 60_000);

  it('leaves workers that finish each posting in time alone', async () => {
    pool = await startPool({ threads: 1, expectVersion: shippedTaxonomy().taxonomy.version, maxPostingMs: 60_000 });
    const batch = batchesOf([['a1', 'a2', 'a3']])[0] as RawPosting[];
    expect(await pool.run(batch)).toEqual(batch.map(inline));
    expect(started).toBe(1);
  }, 60_000);

  it('records the stuck posting as failed in an analyze run and stores the rest', async () => {
    const origins = Array.from({ length: 30 }, (_, k) => `p${k + 1}`);
    process.env[STALL_AT] = 'p7';
    async function* items(): AsyncGenerator<SourceItem> {
      for (const origin of origins) yield { ok: true, raw: raw(origin), warnings: [] };
    }
    const db = sqliteStore(':memory:');
    const s = await analyzeItems(items(), db, shippedTaxonomy(), {
      command: 't',
      parallel: { threads: 1, threshold: 0 },
      limits: { ...DEFAULT_INPUT_LIMITS, maxPostingMs: 300 },
    });
    expect(s).toMatchObject({ new: 29, failed: 1, status: 'partial' });
    expect(s.failures).toEqual([{ input: 'p7', reason: 'cannot analyze: extraction took over 0.3 s, the limit per posting; not analyzed' }]);
    expect(db.db.prepare('SELECT count(*) AS n FROM postings').get()).toEqual({ n: 29 });
  }, 60_000);
});
