import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeItems } from '../../src/pipeline/analyze.js';
import { reextractStale } from '../../src/pipeline/reextract.js';
import { readPostingFiles } from '../../src/sources/files.js';
import type { SqliteStore } from '../../src/store/sqlite/store.js';
import { shippedTaxonomy, taxonomyFrom, tempDir, sqliteStore } from '../helpers.js';

const contents = (db: SqliteStore) => ({
  versions: db.db.prepare('SELECT taxonomy_version, COUNT(*) AS n FROM postings GROUP BY 1').all(),
  skills: db.db.prepare('SELECT p.id, ps.skill_id, ps.requirement, ps.years, ps.negated FROM posting_skills ps JOIN postings p ON p.key = ps.posting_key ORDER BY p.id, ps.skill_id').all(),
  mentions: db.db.prepare('SELECT p.id, m.skill_id, m.start FROM mentions m JOIN postings p ON p.key = m.posting_key ORDER BY p.id, m.start').all(),
  daily: db.db.prepare('SELECT * FROM daily_skill_counts WHERE postings > 0 ORDER BY skill_id, day').all(),
});

describe('reextractStale', () => {
  it('re-extracts on worker threads (and the main thread) to the same database as on one thread', async () => {
    const { writeCorpus } = await import('../../bench/corpus.mjs');
    const dir = tempDir();
    const corpus = join(dir, 'corpus.jsonl');
    await writeCorpus(corpus, 1500, 5);
    const fill = async () => {
      const db = sqliteStore(':memory:');
      // A small taxonomy first, so the shipped one makes every posting stale.
      await analyzeItems(readPostingFiles([corpus]), db, taxonomyFrom({ 'x.yaml': '- {id: python, name: Python}' }), { command: 't' });
      return db;
    };
    const single = await fill();
    const pooled = await fill();
    const batches: number[] = [];
    expect(await reextractStale(single, shippedTaxonomy())).toBe(1500);
    expect(await reextractStale(pooled, shippedTaxonomy(), { batchSize: 100, parallel: { threads: 1, threshold: 0 }, onBatch: (n) => batches.push(n) })).toBe(1500);
    expect(batches).toEqual(Array.from({ length: 15 }, (_, k) => (k + 1) * 100));
    expect(contents(pooled)).toEqual(contents(single));
    expect(contents(pooled).versions).toEqual([{ taxonomy_version: shippedTaxonomy().taxonomy.version, n: 1500 }]);
    // Nothing is left stale.
    expect(await reextractStale(pooled, shippedTaxonomy(), { parallel: { threads: 1, threshold: 0 } })).toBe(0);
  }, 60_000);

  it('stops at a batch boundary when interrupted, and the next call finishes the work', async () => {
    const db = sqliteStore(':memory:');
    await analyzeItems(readPostingFiles(['fixtures/demo']), db, taxonomyFrom({ 'x.yaml': '- {id: python, name: Python}' }), { command: 't' });
    const total = (db.db.prepare('SELECT COUNT(*) AS n FROM postings').get() as { n: number }).n;
    const stop = new AbortController();
    await expect(
      reextractStale(db, shippedTaxonomy(), {
        batchSize: 50,
        signal: stop.signal,
        onBatch: (n) => {
          if (n >= 100) stop.abort('test');
        },
      }),
    ).rejects.toThrow(/interrupted/);
    const stale = () => (db.db.prepare('SELECT COUNT(*) AS n FROM postings WHERE taxonomy_version != ?').get(shippedTaxonomy().taxonomy.version) as { n: number }).n;
    expect(stale()).toBe(total - 100);
    expect(await reextractStale(db, shippedTaxonomy())).toBe(total - 100);
    expect(stale()).toBe(0);
  });
});
