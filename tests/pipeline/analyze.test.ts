import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeItems } from '../../src/pipeline/analyze.js';
import { readPostingFiles } from '../../src/sources/files.js';
import { AGGREGATE_TABLES, recountSql } from '../../src/store/sql.js';
import type { SqliteStore } from '../../src/store/sqlite/store.js';
import { shippedTaxonomy, taxonomyFrom, tempDir, sqliteStore } from '../helpers.js';

const snapshot = (db: SqliteStore) => ({
  postings: db.db.prepare('SELECT id, title, text, content_hash, first_seen, posted_at, period_date, taxonomy_version FROM postings ORDER BY id').all(),
  skills: db.db.prepare('SELECT p.id, ps.* FROM posting_skills ps JOIN postings p ON p.key = ps.posting_key ORDER BY p.id, ps.skill_id').all(),
  mentions: db.db.prepare('SELECT p.id, m.* FROM mentions m JOIN postings p ON p.key = m.posting_key ORDER BY p.id, m.start').all(),
});

const clock = (iso: string) => () => new Date(iso);

describe('analyzeItems', () => {
  it('stores postings, skills and mentions, and re-analyzing the same files changes nothing', async () => {
    const db = sqliteStore(':memory:');
    const first = await analyzeItems(readPostingFiles(['fixtures/postings']), db, shippedTaxonomy(), { command: 'test', now: clock('2026-01-01T00:00:00Z') });
    expect(first).toMatchObject({ status: 'ok', new: 12, changed: 0, unchanged: 0, failed: 0 });
    const before = snapshot(db);
    expect(before.postings).toHaveLength(12);
    const second = await analyzeItems(readPostingFiles(['fixtures/postings']), db, shippedTaxonomy(), { command: 'test', now: clock('2026-01-02T00:00:00Z') });
    expect(second).toMatchObject({ status: 'ok', new: 0, changed: 0, unchanged: 12 });
    expect(snapshot(db)).toEqual(before);
    expect(db.db.prepare('SELECT COUNT(*) AS n FROM runs').get()).toEqual({ n: 2 });
  });

  it('replaces the skills of an edited posting and keeps its first-seen date', async () => {
    const dir = tempDir();
    const file = join(dir, 'p.txt');
    writeFileSync(file, 'Requirements\n- Python and SQL');
    const db = sqliteStore(':memory:');
    await analyzeItems(readPostingFiles([file]), db, shippedTaxonomy(), { command: 't', now: clock('2026-01-01T00:00:00Z') });
    writeFileSync(file, 'Requirements\n- Kotlin');
    const run = await analyzeItems(readPostingFiles([file]), db, shippedTaxonomy(), { command: 't', now: clock('2026-02-01T00:00:00Z') });
    expect(run).toMatchObject({ new: 0, changed: 1 });
    expect(db.db.prepare('SELECT skill_id FROM posting_skills').all()).toEqual([{ skill_id: 'kotlin' }]);
    expect(db.db.prepare('SELECT first_seen, last_seen FROM postings').get()).toEqual({ first_seen: '2026-01-01T00:00:00.000Z', last_seen: '2026-02-01T00:00:00.000Z' });
  });

  it('re-extracts stored postings when the taxonomy changes', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'p.txt'), 'We use Widget and Python.');
    const db = sqliteStore(':memory:');
    const v1 = taxonomyFrom({ 'tools.yaml': '- {id: python, name: Python}' });
    const v2 = taxonomyFrom({ 'tools.yaml': '- {id: python, name: Python}\n- {id: widget, name: Widget}' });
    await analyzeItems(readPostingFiles([dir]), db, v1, { command: 't' });
    const run = await analyzeItems(readPostingFiles([dir]), db, v2, { command: 't' });
    expect(run.changed).toBe(1);
    expect(db.db.prepare('SELECT skill_id FROM posting_skills ORDER BY skill_id').all()).toEqual([{ skill_id: 'python' }, { skill_id: 'widget' }]);
    expect(db.db.prepare('SELECT DISTINCT taxonomy_version AS v FROM skills').all()).toEqual([{ v: v2.taxonomy.version }]);
  });

  it('records failed inputs, stores the rest, and marks the run partial', async () => {
    const db = sqliteStore(':memory:');
    const run = await analyzeItems(readPostingFiles(['fixtures/bad/unreadable']), db, shippedTaxonomy(), { command: 't' });
    expect(run).toMatchObject({ status: 'partial', new: 1, failed: 6 });
    const row = db.db.prepare('SELECT status, new, failed, failures FROM runs').get() as { failures: string };
    expect(JSON.parse(row.failures)).toHaveLength(6);
    expect(row).toMatchObject({ status: 'partial', new: 1, failed: 6 });
  });

  it('keeps what is stored when a source dies mid-run, and records the run as failed', async () => {
    const db = sqliteStore(':memory:');
    await analyzeItems(readPostingFiles(['fixtures/postings/postings.jsonl']), db, shippedTaxonomy(), { command: 't' });
    async function* dying() {
      yield* readPostingFiles(['fixtures/postings/data-engineer.txt']);
      throw new Error('disk went away');
    }
    await expect(analyzeItems(dying(), db, shippedTaxonomy(), { command: 't', batchSize: 1 })).rejects.toThrow('disk went away');
    expect(db.db.prepare('SELECT COUNT(*) AS n FROM postings').get()).toEqual({ n: 4 });
    expect(db.db.prepare('SELECT status FROM runs ORDER BY id').all()).toEqual([{ status: 'ok' }, { status: 'failed' }]);
  });
});

describe('extraction on worker threads', () => {
  it('gives the same database as one thread, for a batch above the threshold', async () => {
    const { writeCorpus } = await import('../../bench/corpus.mjs');
    const dir = tempDir();
    const corpus = join(dir, 'corpus.jsonl');
    await writeCorpus(corpus, 2600, 7);
    const { runCli } = await import('../helpers.js');
    const rows = (path: string) => {
      const db = sqliteStore(path);
      const r = { skills: db.db.prepare('SELECT p.id, ps.skill_id, ps.requirement, ps.years, ps.negated, ps.confidence FROM posting_skills ps JOIN postings p ON p.key = ps.posting_key ORDER BY p.id, ps.skill_id').all(), postings: db.db.prepare('SELECT id, content_hash FROM postings ORDER BY id').all() };
      db.db.close();
      return r;
    };
    const one = await runCli(['analyze', corpus, '--db', join(dir, 'one.sqlite'), '--threads', '0']);
    const two = await runCli(['analyze', corpus, '--db', join(dir, 'pool.sqlite'), '--threads', '2']);
    expect([one.code, two.code]).toEqual([0, 0]);
    expect(two.stderr).toContain('2600 new');
    expect(rows(join(dir, 'pool.sqlite'))).toEqual(rows(join(dir, 'one.sqlite')));
  }, 60_000);

  it('stores every posting once, in order, when the main thread takes chunks beside a busy worker', async () => {
    const { writeCorpus } = await import('../../bench/corpus.mjs');
    const dir = tempDir();
    const corpus = join(dir, 'corpus.jsonl');
    await writeCorpus(corpus, 1800, 11);
    // From the first posting on one worker: the main thread reads and stores these postings faster
    // than the worker extracts them, so its chunks are soon all in flight with the oldest not back,
    // and it extracts the next itself.
    const pooled = sqliteStore(':memory:');
    const s = await analyzeItems(readPostingFiles([corpus]), pooled, shippedTaxonomy(), { command: 't', parallel: { threads: 1, threshold: 0 } });
    expect(s).toMatchObject({ new: 1800, failed: 0, status: 'ok' });
    const single = sqliteStore(':memory:');
    await analyzeItems(readPostingFiles([corpus]), single, shippedTaxonomy(), { command: 't' });
    const contents = (db: SqliteStore) => ({
      order: db.db.prepare('SELECT external_id FROM postings ORDER BY key').all(),
      skills: db.db.prepare('SELECT p.id, ps.skill_id, ps.requirement, ps.years, ps.negated FROM posting_skills ps JOIN postings p ON p.key = ps.posting_key ORDER BY p.id, ps.skill_id').all(),
      daily: db.db.prepare('SELECT * FROM daily_skill_counts ORDER BY skill_id, day').all(),
    });
    expect(contents(pooled)).toEqual(contents(single));
  }, 60_000);
});

describe('the daily aggregates the writer keeps', () => {
  const agree = (db: SqliteStore) => {
    const fromAggregates = db.db.prepare('SELECT skill_id, day, postings FROM daily_skill_counts WHERE postings > 0 ORDER BY 1, 2').all();
    const fromJoin = db.db
      .prepare('SELECT ps.skill_id, p.period_date AS day, COUNT(*) AS postings FROM posting_skills ps JOIN postings p ON p.key = ps.posting_key WHERE ps.negated = 0 GROUP BY 1, 2 ORDER BY 1, 2')
      .all();
    expect(fromAggregates).toEqual(fromJoin);
    expect(db.db.prepare('SELECT day, postings FROM daily_totals WHERE postings > 0 ORDER BY 1').all()).toEqual(
      db.db.prepare('SELECT period_date AS day, COUNT(*) AS postings FROM postings GROUP BY 1 ORDER BY 1').all(),
    );
    // Issue 17: every report aggregate equals its recount from scratch (made in a savepoint, rolled back).
    const facet = "f.source || '|' || COALESCE(f.company, '~') || '|' || COALESCE(f.location, '~') || '|' || COALESCE(CAST(f.remote AS TEXT), '~')";
    // The pair tables' numbered skills and slices by name.
    const pairsNamed = (table: string, level = '') =>
      `SELECT ${level}d.month, ka.id AS a, kb.id AS b, sl.source, sl.remote, d.postings FROM ${table} d
       JOIN pair_skills ka ON ka.n = d.a JOIN pair_skills kb ON kb.n = d.b JOIN pair_slices sl ON sl.n = d.slice`;
    const tables = () => ({
      facets: db.db.prepare(`SELECT d.day, ${facet}, d.postings FROM daily_facet_counts d JOIN facets f ON f.id = d.facet_id WHERE d.postings != 0 ORDER BY 1, 2`).all(),
      sourceDays: db.db.prepare('SELECT * FROM daily_source_counts WHERE postings != 0 ORDER BY 1, 2, 3').all(),
      skillSources: db.db
        .prepare('SELECT skill_id, day, source, remote, postings, required, preferred FROM daily_skill_sources WHERE postings != 0 OR required != 0 OR preferred != 0 ORDER BY 1, 2, 3, 4')
        .all(),
      groups: db.db.prepare('SELECT * FROM daily_group_counts WHERE postings != 0 OR required != 0 OR preferred != 0 ORDER BY 1, 2, 3, 4, 5, 6').all(),
      pairs: db.db.prepare(`${pairsNamed('month_pair_counts')} WHERE d.postings != 0 ORDER BY 1, 2, 3, 4, 5`).all(),
      pairLevels: db.db.prepare(`${pairsNamed('month_pair_levels', 'd.level, ')} WHERE d.postings != 0 ORDER BY 1, 2, 3, 4, 5, 6`).all(),
    });
    const kept = tables();
    const sql = recountSql({ likeAnyCase: 'LIKE', name: 'sqlite' });
    db.db.exec('SAVEPOINT recount');
    db.db.exec(sql.facets);
    db.db.exec(sql.pair_skills);
    db.db.exec(sql.pair_slices);
    for (const t of AGGREGATE_TABLES) db.db.exec(`DELETE FROM ${t}; ${sql[t]}`);
    const fresh = tables();
    db.db.exec('ROLLBACK TO recount; RELEASE recount');
    expect(kept).toEqual(fresh);
    // Each skill row carries its posting's facet and day (posting_skills_facet).
    const facetOfPosting = 'SELECT id FROM facets f WHERE f.source = p.source AND f.company IS p.company AND f.location IS p.location AND f.remote IS p.remote';
    expect(
      db.db.prepare(`SELECT COUNT(*) FROM posting_skills ps JOIN postings p ON p.key = ps.posting_key WHERE ps.facet_id IS NOT (${facetOfPosting}) OR ps.period_date IS NOT p.period_date`).pluck().get(),
    ).toBe(0);
    return kept;
  };

  it('stay equal to counting the postings, through edits, date changes, negations and re-extraction', async () => {
    const dir = tempDir();
    const file = join(dir, 'p.jsonl');
    writeFileSync(file, [JSON.stringify({ id: 'a', date: '2026-01-05', text: 'Python and SQL' }), JSON.stringify({ id: 'b', date: '2026-01-06', text: 'No Java needed. Kotlin.' })].join('\n'));
    const db = sqliteStore(':memory:');
    await analyzeItems(readPostingFiles([dir]), db, shippedTaxonomy(), { command: 't' });
    expect(agree(db).pairs.length).toBeGreaterThan(0);
    // Edited text and a new date: the counts move.
    writeFileSync(file, [JSON.stringify({ id: 'a', date: '2026-02-01', text: 'Python and Rust and C++' }), JSON.stringify({ id: 'b', date: '2026-01-06', text: 'Java now. Kotlin.' })].join('\n'));
    await analyzeItems(readPostingFiles([dir]), db, shippedTaxonomy(), { command: 't' });
    agree(db);
    const { reextractStale } = await import('../../src/pipeline/reextract.js');
    const v2 = taxonomyFrom({ 'language.yaml': '- {id: python, name: Python}\n- {id: kotlin, name: Kotlin}' });
    expect(await reextractStale(db, v2)).toBe(2);
    agree(db);
    // The same skills under another category and parent: the roll-ups move with them.
    const v3 = taxonomyFrom({ 'language.yaml': '- {id: kotlin, name: Kotlin}', 'other.yaml': '- {id: python, name: Python, parent: kotlin}' });
    await db.upsertSkills(v3.taxonomy);
    agree(db);
    // Rows written by hand are counted by a recount, which also gives them their posting's facet and day.
    db.db.prepare("INSERT INTO posting_skills (posting_key, skill_id, requirement, years, negated, confidence, mention_count) VALUES (1, 'scala', 'required', NULL, 0, 0.9, 1)").run();
    await db.recountDaily();
    agree(db);
    expect(db.db.prepare("SELECT postings FROM daily_skill_counts WHERE skill_id = 'scala'").get()).toEqual({ postings: 1 });
  });
});
