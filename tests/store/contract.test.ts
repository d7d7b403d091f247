import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StopBeforeWorkError } from '../../src/errors.js';
import { extractPosting } from '../../src/extract/extract.js';
import { computePostingId, normalizePosting, textHash } from '../../src/normalize/posting.js';
import { PERIOD_KINDS, periodOf } from '../../src/periods.js';
import { readPostingFiles } from '../../src/sources/files.js';
import { loadTaxonomy } from '../../src/sources/taxonomy-files.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { AGGREGATE_TABLES, GroupCounter, recountSql } from '../../src/store/sql.js';
import { openStore } from '../../src/store/open.js';
import { exportPostings } from '../../src/store/postgres/maintenance.js';
import { PostgresStore } from '../../src/store/postgres/store.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import type { AnalyzedPosting, GroupCount, ReportFilters, Store } from '../../src/store/store.js';
import { compileTaxonomy } from '../../src/taxonomy/compile.js';
import type { Posting, RawPosting } from '../../src/types.js';
import { PG_URL, pgAvailable, serviceSuite } from '../services.js';

/*
 * The Store contract, run against both implementations: SQLite (in memory) and PostgreSQL (each
 * test in a schema of its own, dropped afterwards). Then what only PostgreSQL has: several
 * writers at once, opening errors, and every read compared with SQLite's on the same data.
 */

const compiled = compileTaxonomy(loadTaxonomy());
const TAXONOMY = compiled.taxonomy.version;

/** The demo corpus and the example postings, analyzed by the real pipeline. */
async function loadCorpus(): Promise<AnalyzedPosting[]> {
  const out: AnalyzedPosting[] = [];
  for await (const item of readPostingFiles(['fixtures/demo', 'fixtures/postings'], { now: '2026-11-01T00:00:00.000Z' })) {
    if (!item.ok) throw new Error(`fixture ${item.input}: ${item.reason}`);
    const posting = normalizePosting(item.raw);
    out.push({ posting, extraction: extractPosting(posting, compiled) });
  }
  return out;
}
const corpus = await loadCorpus();
const EXTRACTOR = (corpus[0] as AnalyzedPosting).extraction.extractorVersion;
const at = (i: number) => corpus[i] as AnalyzedPosting;

const T1 = '2026-11-01T00:00:00.000Z';
const T2 = '2026-11-03T12:00:00.000Z';
const T3 = '2026-11-05T00:00:00.000Z';
const T4 = '2026-11-11T06:00:00.000Z';

/** A posting edited: text appended (new content and text hashes), extracted again. */
function edited(a: AnalyzedPosting, more = '\n\nAlso Rust and Kubernetes.'): AnalyzedPosting {
  const text = a.posting.text + more;
  const posting: Posting = { ...a.posting, text, contentHash: `${a.posting.contentHash}+`, textHash: textHash(text) };
  return { posting, extraction: extractPosting(posting, compiled) };
}

/** The same posting under another source and external id (so another id), with other fields. */
function relisted(a: AnalyzedPosting, source: string, externalId: string, changes: Partial<Posting> = {}): AnalyzedPosting {
  return { ...a, posting: { ...a.posting, source, externalId, id: computePostingId(source, externalId), ...changes } };
}

/** Rows of a SQL query (written for both dialects), straight from the store's database. */
async function rowsOf<T = Record<string, unknown>>(store: Store, sql: string): Promise<T[]> {
  if (store instanceof SqliteStore) return store.db.prepare(sql).all() as T[];
  if (store instanceof PostgresStore) return store.db.all(sql) as Promise<T[]>;
  throw new Error('unknown store');
}

/** The aggregates the writers keep equal the counts made afresh from the postings (issue 17: every one of them). */
async function expectExactAggregates(store: Store): Promise<void> {
  expect(await rowsOf(store, 'SELECT day, postings FROM daily_totals WHERE postings != 0 ORDER BY day')).toEqual(
    await rowsOf(store, 'SELECT period_date AS day, COUNT(*) AS postings FROM postings GROUP BY 1 ORDER BY 1'),
  );
  expect(await rowsOf(store, 'SELECT skill_id, day, postings FROM daily_skill_counts WHERE postings != 0 ORDER BY skill_id, day')).toEqual(
    await rowsOf(
      store,
      `SELECT ps.skill_id, p.period_date AS day, COUNT(*) AS postings FROM posting_skills ps JOIN postings p ON p.key = ps.posting_key
       WHERE ps.negated = 0 GROUP BY 1, 2 ORDER BY 1, 2`,
    ),
  );
  expect(await maintained((q) => rowsOf(store, q))).toEqual(await recounted(store));
}

/** A pair table's rows with their skills and slice by name (see DailyDeltas). */
const PAIRS_NAMED = (table: string, level = '') =>
  `SELECT ${level}d.month, ka.id AS a, kb.id AS b, sl.source, sl.remote, d.postings FROM ${table} d
   JOIN pair_skills ka ON ka.n = d.a JOIN pair_skills kb ON kb.n = d.b JOIN pair_slices sl ON sl.n = d.slice`;

/** The issue 17 aggregates as they stand, facets by their columns (not ids), zero rows left out. */
async function maintained(query: (sql: string) => Promise<unknown[]>): Promise<Record<string, unknown[]>> {
  const facet = "f.source || '|' || COALESCE(f.company, '~') || '|' || COALESCE(f.location, '~') || '|' || COALESCE(CAST(f.remote AS TEXT), '~')";
  return {
    facetDays: await query(`SELECT d.day, ${facet} AS facet, d.postings FROM daily_facet_counts d JOIN facets f ON f.id = d.facet_id WHERE d.postings != 0 ORDER BY 1, 2`),
    sourceDays: await query('SELECT day, source, remote, postings FROM daily_source_counts WHERE postings != 0 ORDER BY 1, 2, 3'),
    skillSources: await query('SELECT skill_id, day, source, remote, postings, required, preferred FROM daily_skill_sources WHERE postings != 0 OR required != 0 OR preferred != 0 ORDER BY 1, 2, 3, 4'),
    groups: await query(
      'SELECT kind, scope, grp, day, source, remote, postings, required, preferred FROM daily_group_counts WHERE postings != 0 OR required != 0 OR preferred != 0 ORDER BY 1, 2, 3, 4, 5, 6',
    ),
    // The pair tables' numbered skills and slices by name: numbers given in another order would still be the same pairs.
    pairs: await query(`${PAIRS_NAMED('month_pair_counts')} WHERE d.postings != 0 ORDER BY 1, 2, 3, 4, 5`),
    pairLevels: await query(`${PAIRS_NAMED('month_pair_levels', 'd.level, ')} WHERE d.postings != 0 ORDER BY 1, 2, 3, 4, 5, 6`),
    // Each skill row's copy of its posting's facet and day (posting_skills_facet).
    skillFacets: await query(
      `SELECT p.id, ps.skill_id, ${facet} AS facet, ps.period_date FROM posting_skills ps JOIN postings p ON p.key = ps.posting_key LEFT JOIN facets f ON f.id = ps.facet_id ORDER BY 1, 2`,
    ),
  };
}

/** The same aggregates counted from scratch (recountDaily's statements) in a transaction rolled back: the store is left as it was. */
async function recounted(store: Store): Promise<Record<string, unknown[]>> {
  const sql = recountSql({ likeAnyCase: store.dialect === 'sqlite' ? 'LIKE' : 'ILIKE', name: store.dialect });
  const statements = [sql.facets, sql.posting_skill_facets, sql.pair_skills, sql.pair_slices, ...AGGREGATE_TABLES.flatMap((t) => [`DELETE FROM ${t}`, sql[t] as string])];
  let fresh: Record<string, unknown[]> | undefined;
  const rollback = new Error('rolled back on purpose');
  try {
    if (store instanceof SqliteStore) {
      const db = store.db;
      db.exec('SAVEPOINT recount');
      try {
        for (const s of statements) db.exec(s);
        fresh = await maintained(async (q) => db.prepare(q).all());
      } finally {
        db.exec('ROLLBACK TO recount; RELEASE recount');
      }
    } else if (store instanceof PostgresStore) {
      await store.db.tx(async (c) => {
        for (const s of statements) await c.run(s);
        fresh = await maintained((q) => c.all(q));
        throw rollback;
      });
    }
  } catch (err) {
    if (err !== rollback) throw err;
  }
  if (!fresh) throw new Error('unknown store');
  return fresh;
}

/** The shipped taxonomy with every third skill in another category and every fifth under another parent (or none). */
function movedTaxonomy(): typeof compiled.taxonomy {
  const skills = compiled.taxonomy.skills;
  const categories = [...new Set(skills.map((s) => s.category))];
  return {
    ...compiled.taxonomy,
    version: 'moved',
    skills: skills.map((s, i) => ({
      ...s,
      category: i % 3 === 0 ? (categories[(categories.indexOf(s.category) + 1) % categories.length] as string) : s.category,
      parent: i % 5 === 0 ? (i % 10 === 0 ? undefined : skills[(i * 7) % skills.length]?.id) : s.parent,
    })),
  };
}

async function exportLines(store: Store): Promise<string[]> {
  const lines: string[] = [];
  await store.exportPostings((line) => lines.push(line));
  return lines;
}

// ---- where the stores come from ----

const pgProbe = await pgAvailable();
const pgSuite = serviceSuite('PostgreSQL store', pgProbe);
const admin = pgProbe.available ? new pg.Pool({ connectionString: PG_URL, max: 2 }) : undefined;
afterAll(async () => {
  await admin?.end();
});

/** A schema name no other test (or test run) uses. */
const freshSchema = () => `sp_test_${process.pid}_${randomBytes(4).toString('hex')}`;

interface StoreKind {
  name: string;
  suite: (title: string, fn: () => void) => void;
  /** A fresh, empty store; closed (and its schema dropped) after the test. */
  open(): Promise<Store>;
}

const opened: Store[] = [];
const schemas: string[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  for (const schema of schemas.splice(0)) await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
});

async function openPg(schema: string, readonly = false): Promise<Store> {
  if (!schemas.includes(schema)) schemas.push(schema);
  const store = await openStore(PG_URL, { schema, readonly });
  opened.push(store);
  return store;
}

const STORES: StoreKind[] = [
  {
    name: 'SQLite',
    suite: (title, fn) => describe(title, fn),
    open: async () => {
      const store = await openStore(':memory:');
      opened.push(store);
      return store;
    },
  },
  { name: 'PostgreSQL', suite: pgSuite, open: () => openPg(freshSchema()) },
];

// ---- the contract ----

for (const kind of STORES) {
  kind.suite(`Store contract: ${kind.name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await kind.open();
      await store.upsertSkills(compiled.taxonomy);
    });

    it('records the taxonomy skills once per version, and replaces them with another version', async () => {
      const expected = [...compiled.taxonomy.skills].map((s) => ({ id: s.id, name: s.name, category: s.category, parent: s.parent ?? null })).sort((a, b) => (a.id < b.id ? -1 : 1));
      expect(await store.readSkills()).toEqual(expected);
      await store.upsertSkills(compiled.taxonomy);
      expect(await store.readSkills()).toHaveLength(expected.length);
      const small = { ...compiled.taxonomy, version: 'other', skills: compiled.taxonomy.skills.slice(0, 3) };
      await store.upsertSkills(small);
      expect((await store.readSkills()).map((s) => s.id)).toEqual(small.skills.map((s) => s.id).sort());
    });

    it('saves new, unchanged and changed postings with their statuses, the aggregates always equal to a recount', async () => {
      const batch = corpus.slice(0, 40);
      expect(await store.savePostings(batch, T1)).toEqual(batch.map(() => 'new'));
      await expectExactAggregates(store);
      expect(await store.savePostings(batch, T2)).toEqual(batch.map(() => 'unchanged'));
      const moved = edited(at(5));
      moved.posting.postedAt = '2026-12-01T00:00:00.000Z';
      const reextracted = { ...at(7), extraction: { ...at(7).extraction, extractorVersion: 'next' } };
      expect(await store.savePostings([edited(at(3)), moved, reextracted, at(9)], T3)).toEqual(['changed', 'changed', 'changed', 'unchanged']);
      await expectExactAggregates(store);
      expect(await rowsOf(store, `SELECT period_date FROM postings WHERE id = '${moved.posting.id}'`)).toEqual([{ period_date: '2026-12-01' }]);
      // One posting twice in a batch: saved in order, new then changed.
      expect(await store.savePostings([at(50), edited(at(50)), at(51)], T4)).toEqual(['new', 'changed', 'new']);
      await expectExactAggregates(store);
      // An edit that moves a posting to another facet (company, location, remote).
      const refaceted = edited(at(11), '\n\nPython.');
      refaceted.posting = { ...refaceted.posting, company: 'Moved Co', location: 'Zürich', remote: true };
      expect(await store.savePostings([refaceted], T4)).toEqual(['changed']);
      await expectExactAggregates(store);
      // A taxonomy that moves skills to other categories and parents (issue 17): the roll-ups are recounted.
      await store.upsertSkills(movedTaxonomy());
      await expectExactAggregates(store);
      await store.savePostings([edited(at(12)), at(52)], T4);
      await expectExactAggregates(store);
      await store.upsertSkills(compiled.taxonomy);
      await expectExactAggregates(store);
      const stats = await store.stats();
      expect(stats).toMatchObject({ postings: 43, open: 43, closed: 0, withoutText: 0 });
      expect(stats.versions).toEqual([
        { taxonomyVersion: TAXONOMY, extractorVersion: EXTRACTOR, postings: 42, withoutText: 0 },
        { taxonomyVersion: TAXONOMY, extractorVersion: 'next', postings: 1, withoutText: 0 },
      ]);
    });

    it('marks postings seen, closes the unseen ones and reopens them; knows which external ids it holds', async () => {
      const acme = corpus.slice(0, 4).map((a, i) => relisted(a, 'greenhouse:acme', `job-${i}`));
      await store.savePostings(acme, T1);
      expect(await store.knownPostings('greenhouse:acme', ['job-0', 'job-3', 'job-9'])).toEqual(new Set(['job-0', 'job-3']));
      expect(await store.knownPostings('greenhouse:other', ['job-0'])).toEqual(new Set());
      expect(await store.knownPostings('greenhouse:acme', [])).toEqual(new Set());
      // Each id listed counts what it matched, a repeated one again (SQLite's one update per id).
      expect(await store.touchPostings('greenhouse:acme', ['job-0', 'job-1', 'job-1', 'nope'], T2)).toBe(3);
      expect(await store.closeUnseenPostings('greenhouse:acme', T2)).toBe(2);
      expect(await store.stats()).toMatchObject({ open: 2, closed: 2 });
      expect(await store.touchPostings('greenhouse:acme', 'all-open', T3)).toBe(2);
      expect(await store.touchPostings('greenhouse:acme', ['job-2'], T3)).toBe(1);
      expect(await store.stats()).toMatchObject({ open: 3, closed: 1 });
      expect(await store.closeUnseenPostings('greenhouse:acme', T4)).toBe(3);
      expect(await store.closeUnseenPostings('greenhouse:acme', T4)).toBe(0);
      // Closed after 2.5 days (job-3) and 10.25 days (the other three).
      expect((await store.stats()).medianDaysOpen).toBe(10.3);
      await expectExactAggregates(store);
    });

    it('keeps the fetch cache per URL, the last of a batch winning', async () => {
      expect(await store.readFetchCache('https://a.example/')).toBeUndefined();
      await store.writeFetchCache(
        [
          ['https://a.example/', { etag: '"1"' }],
          ['https://b.example/', { lastModified: 'Mon, 02 Nov 2026 10:00:00 GMT' }],
          ['https://a.example/', { etag: '"2"', lastModified: 'Tue, 03 Nov 2026 10:00:00 GMT' }],
        ],
        T1,
      );
      expect(await store.readFetchCache('https://a.example/')).toEqual({ etag: '"2"', lastModified: 'Tue, 03 Nov 2026 10:00:00 GMT' });
      expect(await store.readFetchCache('https://b.example/')).toEqual({ lastModified: 'Mon, 02 Nov 2026 10:00:00 GMT' });
      await store.writeFetchCache([['https://a.example/', {}]], T2);
      expect(await store.readFetchCache('https://a.example/')).toEqual({});
      await store.writeFetchCache([], T2);
    });

    it('records runs and lists the latest first', async () => {
      const first = await store.startRun({ command: 'analyze', taxonomyVersion: TAXONOMY, extractorVersion: EXTRACTOR, startedAt: T1 });
      const second = await store.startRun({ command: 'run', taxonomyVersion: TAXONOMY, extractorVersion: EXTRACTOR, startedAt: T2, configHash: 'abc' });
      expect(second).toBeGreaterThan(first);
      const counts = { new: 1, changed: 2, unchanged: 3, failed: 4, mentions: 5, closed: 6, reextracted: 7 };
      await store.finishRun(first, 'partial', counts, [{ input: 'a.txt', reason: 'unreadable' }], T3);
      const runs = await store.listRuns(10);
      expect(runs.map((r) => r.id)).toEqual([second, first]);
      expect(runs[1]).toEqual({
        id: first,
        command: 'analyze',
        started_at: T1,
        finished_at: T3,
        status: 'partial',
        taxonomy_version: TAXONOMY,
        extractor_version: EXTRACTOR,
        config_hash: null,
        ...counts,
        failures: '[{"input":"a.txt","reason":"unreadable"}]',
      });
      expect(runs[0]).toMatchObject({ status: 'running', finished_at: null, config_hash: 'abc', new: 0 });
      expect(await store.listRuns(1)).toHaveLength(1);
      expect(await store.stats()).toMatchObject({ runs: 2, lastRun: { id: second, status: 'running', finishedAt: null } });
    });

    it('finds stale postings in key order and replaces their extractions, the aggregates staying exact', async () => {
      const old = corpus.slice(0, 12).map((a) => ({ ...a, extraction: { ...a.extraction, extractorVersion: 'old' } }));
      await store.savePostings([...old, ...corpus.slice(12, 20)], T1);
      expect(await store.countStalePostings(TAXONOMY, EXTRACTOR)).toBe(12);
      const first = await store.readStalePostings(TAXONOMY, EXTRACTOR, 0, 5);
      const rest = await store.readStalePostings(TAXONOMY, EXTRACTOR, (first[4] as { key: number }).key, 100);
      const stale = [...first, ...rest];
      expect(stale.map((s) => s.text)).toEqual(old.map((a) => a.posting.text));
      expect(stale.map((s) => s.key)).toEqual([...stale.map((s) => s.key)].sort((a, b) => a - b));
      expect(stale[0]).toEqual({ key: stale[0]?.key, title: old[0]?.posting.title ?? null, company: old[0]?.posting.company ?? null, text: old[0]?.posting.text });
      // New extractions that drop each posting's first skill; the first posting is listed twice (the second wins).
      const replaced = stale.map((s, i) => ({ key: s.key, extraction: { ...at(i).extraction, skills: at(i).extraction.skills.slice(1) } }));
      const twice = { key: (stale[0] as { key: number }).key, extraction: { ...at(0).extraction, skills: at(0).extraction.skills.slice(2) } };
      await store.replaceExtractions([...replaced, twice]);
      await store.replaceExtractions([]);
      expect(await store.countStalePostings(TAXONOMY, EXTRACTOR)).toBe(0);
      await expectExactAggregates(store);
      const skills = await rowsOf<{ n: number }>(store, `SELECT COUNT(*) AS n FROM posting_skills WHERE posting_key = ${twice.key}`);
      expect(skills[0]?.n).toBe(twice.extraction.skills.length);
    });

    it('prunes the text of postings not seen since a date, keeping their counts', async () => {
      await store.savePostings(corpus.slice(0, 6), T1);
      await store.savePostings(corpus.slice(0, 2), T3);
      const before = await store.readSkillTotals();
      expect(await store.pruneText('2026-11-02')).toBe(4);
      expect(await store.pruneText('2026-11-02')).toBe(0);
      expect(await store.stats()).toMatchObject({ postings: 6, withoutText: 4 });
      expect(await store.countStalePostings('another', EXTRACTOR)).toBe(2);
      expect(await store.readSkillTotals()).toEqual(before);
    });

    it('tells its size and contents in stats', async () => {
      await store.savePostings(corpus.slice(0, 10), T1);
      const stats = await store.stats();
      const skills = corpus.slice(0, 10).flatMap((a) => a.extraction.skills);
      expect(stats).toMatchObject({
        postings: 10,
        open: 10,
        closed: 0,
        withoutText: 0,
        medianDaysOpen: null,
        skillsMentioned: new Set(skills.map((s) => s.id)).size,
        runs: 0,
        lastRun: null,
        schemaVersion: MIGRATIONS.length,
      });
      expect(stats.mentions).toBeGreaterThan(0);
      expect(stats.mentions).toBeLessThanOrEqual(skills.reduce((n, s) => n + s.mentions.length, 0));
      expect(stats.path).toBe(store.location);
      expect(stats.path).not.toContain(':postgres@');
      if (store.dialect === 'postgres') expect(stats.sizeBytes).toBeGreaterThan(0);
    });

    it('recounts the daily aggregates, and vacuums', async () => {
      await store.savePostings(corpus.slice(0, 30), T1);
      const totals = await store.readSkillTotals();
      const spoil = 'UPDATE daily_totals SET postings = 99; DELETE FROM daily_skill_counts; UPDATE daily_skill_sources SET postings = 7, required = 1; DELETE FROM daily_group_counts; DELETE FROM month_pair_counts; UPDATE month_pair_levels SET postings = 3; DELETE FROM daily_source_counts; DELETE FROM daily_facet_counts';
      if (store instanceof SqliteStore) store.db.exec(spoil);
      if (store instanceof PostgresStore) await store.db.run(spoil);
      await store.recountDaily();
      await expectExactAggregates(store);
      expect(await store.readSkillTotals()).toEqual(totals);
      await store.vacuum();
      await expectExactAggregates(store);
    });

    it('exports every posting with its skills, one JSON line each, in id order', async () => {
      const batch = [relisted(at(0), 'greenhouse:acme', '1', { remote: true }), relisted(at(1), 'greenhouse:acme', '2', { remote: false }), ...corpus.slice(2, 30)];
      await store.savePostings(batch, T1);
      await store.closeUnseenPostings('greenhouse:acme', T2);
      const lines = await exportLines(store);
      expect(lines).toHaveLength(30);
      expect(lines.every((l) => l.endsWith('}\n'))).toBe(true);
      const rows = lines.map((l) => JSON.parse(l));
      expect(rows.map((r) => r.id)).toEqual(batch.map((a) => a.posting.id).sort());
      const acme = rows.find((r) => r.externalId === '1');
      expect(acme).toMatchObject({ source: 'greenhouse:acme', remote: true, firstSeen: T1, lastSeen: T1, closedAt: T2, taxonomyVersion: TAXONOMY });
      expect(rows.find((r) => r.externalId === '2')?.remote).toBe(false);
      expect(Object.keys(acme)).toEqual([
        'id', 'source', 'externalId', 'url', 'title', 'company', 'location', 'remote', 'postedAt', 'salary', 'firstSeen', 'lastSeen', 'closedAt',
        'degree', 'minYears', 'seniority', 'taxonomyVersion', 'extractorVersion', 'skills',
      ]);
      const skills = at(0).extraction.skills.map((s) => ({ id: s.id, requirement: s.requirement, years: s.years ?? null, negated: s.negated, confidence: s.confidence }));
      expect(acme.skills).toEqual(skills.sort((a, b) => (a.id < b.id ? -1 : 1)));
    });

    it('answers every read with the filters applied: source prefix, company in any case and literally, remote, category, requirement, unique, dates', async () => {
      const base = corpus.slice(0, 20);
      const special = [
        relisted(at(20), 'greenhouse:acme', '1', { company: 'Acme Corp', remote: true }),
        relisted(at(21), 'greenhouse', '2', { company: '100% Remote_Co', remote: false }),
        relisted(at(22), 'greenhousex:foo', '3', { company: 'ACME labs' }),
        // A repost of the first special posting's text under another id: `unique` counts it once.
        relisted(at(20), 'file', 'repost', { company: 'Acme Corp', postedAt: '2026-12-24T00:00:00.000Z' }),
      ];
      await store.savePostings([...base, ...special], T1);
      const count = async (f: ReportFilters) => (await store.readSkillTotals(f)).postings;
      expect(await store.readSources()).toEqual(['file', 'greenhouse', 'greenhouse:acme', 'greenhousex:foo']);
      expect(await count({ source: 'greenhouse' })).toBe(2);
      expect(await count({ source: 'greenhouse:acme' })).toBe(1);
      expect(await count({ source: 'GREENHOUSE' })).toBe(1); // SQLite's LIKE: the prefix in any case; `=` exact
      expect(await count({ company: 'acme' })).toBe(3);
      expect(await count({ company: '%' })).toBe(1);
      expect(await count({ company: '_' })).toBe(1);
      expect(await count({ company: 'e_C' })).toBe(1); // not "Acme Corp": `_` is no wildcard
      expect(await count({ remote: true })).toBe(1 + base.filter((a) => a.posting.remote === true).length);
      expect(await count({ remote: false })).toBe(24 - (await count({ remote: true })));
      expect(await count({ unique: true })).toBe(23);
      // Issue 17: under `unique` the aggregates less the reposts' rows, the same as counting the first postings of each text.
      const sorted = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).sort();
      expect(sorted((await store.readDemandRows('month', { unique: true })).skillCounts)).toEqual(
        sorted(
          await rowsOf(
            store,
            `SELECT ps.skill_id AS "skillId", substr(p.period_date, 1, 7) AS period, COUNT(*) AS count FROM posting_skills ps JOIN postings p ON p.key = ps.posting_key
             WHERE ps.negated = 0 AND NOT EXISTS (SELECT 1 FROM text_hashes t JOIN text_hashes e ON e.text_hash = t.text_hash AND e.posting_key < t.posting_key WHERE t.posting_key = p.key)
             GROUP BY 1, 2`,
          ),
        ),
      );
      expect(await count({ since: '2026-12-24', until: '2026-12-24' })).toBe(1);
      expect(await count({})).toBe(24);

      const all = [...base, ...special];
      const everyDay = all.map((a) => (a.posting.postedAt ?? T1).slice(0, 10));
      for (const kind of PERIOD_KINDS) {
        const expected = new Map<string, number>();
        for (const day of everyDay) expected.set(periodOf(day, kind), (expected.get(periodOf(day, kind)) ?? 0) + 1);
        const periodTotals = [...expected].map(([period, total]) => ({ period, total })).sort((a, b) => (a.period < b.period ? -1 : 1));
        // From the daily aggregates, and from the postings (a posting-level filter that keeps them all).
        expect((await store.readDemandRows(kind)).periodTotals).toEqual(periodTotals);
        expect((await store.readDemandRows(kind, { requirement: 'required' })).periodTotals).toEqual(periodTotals);
      }

      const category = at(0).extraction.skills[0]?.category as string;
      const inCategory = new Set(compiled.taxonomy.skills.filter((s) => s.category === category).map((s) => s.id));
      const rows = await store.readDemandRows('month', { category });
      expect(rows.skillCounts.length).toBeGreaterThan(0);
      expect(rows.skillCounts.every((r) => inCategory.has(r.skillId))).toBe(true);
      const required = await store.readRequirementSplit({ requirement: 'required' });
      expect(new Set(required.map((r) => r.requirement)).size).toBeGreaterThan(1); // the split ignores the requirement filter
      const requiredOnly = await store.readSkillTotals({ requirement: 'required' });
      const anyRequirement = await store.readSkillTotals();
      expect(requiredOnly.postings).toBe(24);
      for (const [id, n] of requiredOnly.totals) expect(n).toBeLessThanOrEqual(anyRequirement.totals.get(id) ?? 0);
      expect([...requiredOnly.totals.values()].reduce((a, b) => a + b, 0)).toBeLessThan([...anyRequirement.totals.values()].reduce((a, b) => a + b, 0));

      const skill = at(20).extraction.skills.find((s) => !s.negated)?.id as string;
      expect(await store.readBreakdown(skill, 'source', { company: 'acme corp' })).toEqual([
        { key: 'file', count: 1, total: 1 },
        { key: 'greenhouse:acme', count: 1, total: 1 },
      ]);
      const examples = await store.readExamples(skill, { company: 'acme corp' });
      expect(examples.map((e) => e.date)).toEqual(['2026-12-24', (at(20).posting.postedAt ?? T1).slice(0, 10)]);
      expect(examples[0]?.sentence.length).toBeGreaterThan(0);
      expect(at(20).posting.text).toContain(examples[0]?.sentence);
      expect(await store.readRecentCompanies('2026-12-01')).toEqual(['Acme Corp']);
      expect(await store.readRecentTexts('2026-12-01')).toEqual([at(20).posting.text]);
      expect((await store.readSalaries({ company: '100%' })).every((r) => r.salary === at(21).posting.salary)).toBe(true);
      const pairs = await store.readPairs({}, undefined, 2, 5);
      expect(pairs.length).toBe(5);
      expect(pairs[0]?.together).toBeGreaterThanOrEqual(pairs[4]?.together ?? 0);
      const groups = await store.readGroupCounts('quarter');
      expect(groups.category.length).toBeGreaterThan(0);
      expect(groups.category.every((g) => /^\d{4}-Q[1-4]$/.test(g.period))).toBe(true);
    });

    it('reads under `unique` what a store without the reposts reads (issue 17: the aggregates less the reposts)', async () => {
      const base = corpus.slice(0, 60);
      const reposts = [relisted(at(3), 'greenhouse:acme', 'r1', { company: 'Acme Corp', remote: true }), relisted(at(4), 'file', 'r2', { postedAt: '2027-01-01T00:00:00.000Z' })];
      await store.savePostings(base, T1);
      await store.savePostings(reposts, T2);
      const without = await kind.open();
      await without.upsertSkills(compiled.taxonomy);
      await without.savePostings(base, T1);
      const skill = at(3).extraction.skills.find((s) => !s.negated)?.id as string;
      const sorted = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).sort();
      // A company or location: the skill rows by facet, less the reposts'.
      const location = (base.map((a) => a.posting.location).find((l) => l && /^[a-z]{4}/i.test(l)) as string).slice(0, 4);
      const under = [{}, { since: '2025-10-15', until: '2026-12-31' }, { category: at(3).extraction.skills[0]?.category as string }, { company: 'acme' }, { location }];
      for (const f of under as ReportFilters[]) {
        const u = { ...f, unique: true };
        const name = JSON.stringify(f);
        expect(sorted((await store.readDemandRows('month', u)).skillCounts), name).toEqual(sorted((await without.readDemandRows('month', f)).skillCounts));
        const [g, h] = [await store.readGroupCounts('quarter', u), await without.readGroupCounts('quarter', f)];
        expect(sorted(g.category), name).toEqual(sorted(h.category));
        expect(sorted(g.family), name).toEqual(sorted(h.family));
        expect(await store.readPairs(u, undefined, 1, 500), name).toEqual(await without.readPairs(f, undefined, 1, 500));
        expect(await store.readPairs(u, skill, 1, 500), name).toEqual(await without.readPairs(f, skill, 1, 500));
        expect(sorted(await store.readRequirementSplit(u)), name).toEqual(sorted(await without.readRequirementSplit(f)));
        for (const key of ['company', 'source', 'remote'] as const) expect(await store.readBreakdown(skill, key, u), name).toEqual(await without.readBreakdown(skill, key, f));
        expect(await store.readExamples(skill, u, 3), name).toEqual(await without.readExamples(skill, f, 3));
        expect((await store.readRecentCompanies('2025-01-01', u)).sort(), name).toEqual((await without.readRecentCompanies('2025-01-01', f)).sort());
      }
    });

    it('counts co-occurrence and roll-ups from the aggregates as from every posting, under dates that cut months, a category, a focus skill, a source, remote, a requirement, and two of these (issue 17)', async () => {
      // A third of the postings under other sources, some remote, some not.
      const sources = ['greenhouse:acme', 'lever:initech'];
      await store.savePostings(
        corpus.slice(0, 80).map((a, i) => (i % 3 === 0 ? relisted(a, sources[i % 2] as string, `x${i}`, { remote: i % 4 === 0 }) : a)),
        T1,
      );
      const rows = await rowsOf<{
        key: number;
        skill: string;
        day: string;
        category: string | null;
        source: string;
        remote: number | null;
        requirement: string;
        company: string | null;
        location: string | null;
      }>(
        store,
        `SELECT ps.posting_key AS key, ps.skill_id AS skill, p.period_date AS day, s.category, p.source, p.remote, ps.requirement, p.company, p.location
         FROM posting_skills ps JOIN postings p ON p.key = ps.posting_key LEFT JOIN skills s ON s.id = ps.skill_id WHERE ps.negated = 0 ORDER BY 1, 2`,
      );
      const company = rows.map((r) => r.company).find((c) => c && /^[a-z]{4}/i.test(c)) as string;
      const location = rows.map((r) => r.location).find((l) => l && /^[a-z]{4}/i.test(l)) as string;
      expect(new Set(rows.map((r) => r.requirement)).size).toBe(3);
      const days = [...new Set(rows.map((r) => r.day))].sort();
      expect(new Set(days.map((d) => d.slice(0, 7))).size).toBeGreaterThan(2);
      const shift = (day: string, by: number) => new Date(Date.parse(day) + by * 86_400_000).toISOString().slice(0, 10);
      const focus = rows.find((r) => r.key === rows[0]?.key)?.skill as string;
      const category = rows.find((r) => r.skill === focus)?.category as string;
      const some = (i: number) => days[Math.min(days.length - 1, Math.floor(i * days.length))] as string;
      const filters: ReportFilters[] = [
        {},
        { since: shift(some(0.2), 1) },
        { until: shift(some(0.7), -1) },
        { since: shift(some(0.1), 2), until: shift(some(0.9), -2) },
        { since: some(0.4), until: some(0.45) },
        { since: shift(some(0.1), 2), until: shift(some(0.8), 3), category },
        { source: 'greenhouse' },
        { source: 'file', since: shift(some(0.2), 1) },
        { remote: true },
        { remote: false, until: shift(some(0.7), -1), category },
        { requirement: 'required' },
        { requirement: 'preferred', since: shift(some(0.1), 2), until: shift(some(0.9), -2) },
        { source: 'lever', requirement: 'required' },
        { source: 'greenhouse', remote: true },
        { source: 'greenhouse', requirement: 'preferred', since: shift(some(0.3), 2) },
        { remote: false, requirement: 'required', category },
        // A company or location: the focus skill's rows by facet.
        { company: company.slice(0, 4).toLowerCase() },
        { location: location.slice(0, 4).toUpperCase(), requirement: 'required' },
        { location: location.slice(0, 4), category, since: shift(some(0.2), 1) },
      ];
      const keeps = (f: ReportFilters, r: (typeof rows)[number]) =>
        (!f.since || r.day >= f.since) &&
        (!f.until || r.day <= f.until) &&
        (!f.category || r.category === f.category) &&
        (!f.source || r.source === f.source || r.source.startsWith(`${f.source}:`)) &&
        (f.remote === undefined || (r.remote === 1) === f.remote) &&
        (!f.company || (r.company ?? '').toLowerCase().includes(f.company.toLowerCase())) &&
        (!f.location || (r.location ?? '').toLowerCase().includes(f.location.toLowerCase())) &&
        (!f.requirement || f.requirement === 'any' || r.requirement === f.requirement);
      for (const f of filters) {
        const kept = rows.filter((r) => keeps(f, r));
        // The roll-ups (without the category filter's own scope) as the rows path counts them.
        if (!f.category) {
          const counter = new GroupCounter(await store.readSkills());
          const byKey = new Map<number, [number, string, string][]>();
          for (const r of kept) byKey.set(r.key, [...(byKey.get(r.key) ?? []), [r.key, periodOf(r.day, 'quarter'), r.skill]]);
          for (const posting of byKey.values()) counter.posting(posting);
          const expected = counter.result();
          const got = await store.readGroupCounts('quarter', f);
          const sorted = (g: GroupCount[]) => g.map((x) => `${x.group}\t${x.period}\t${x.count}`).sort();
          expect(sorted(got.category), `groups ${JSON.stringify(f)}`).toEqual(sorted(expected.category));
          expect(sorted(got.family), `families ${JSON.stringify(f)}`).toEqual(sorted(expected.family));
        }

        for (const skill of [undefined, focus]) {
          const counts = new Map<string, number>();
          const byPosting = new Map<number, string[]>();
          for (const r of kept) byPosting.set(r.key, [...(byPosting.get(r.key) ?? []), r.skill]);
          for (const ids of byPosting.values()) {
            for (const a of ids) for (const b of ids) if (a < b && (!skill || a === skill || b === skill)) {
              const [x, y] = skill && b === skill ? [b, a] : [a, b];
              counts.set(`${x}\t${y}`, (counts.get(`${x}\t${y}`) ?? 0) + 1);
            }
          }
          const expected = [...counts].map(([k, together]) => {
            const [a, b] = k.split('\t') as [string, string];
            return { a, b, together };
          });
          const got = await store.readPairs(f, skill, 1, 100_000);
          const key = (p: { a: string; b: string; together: number }) => `${p.a}\t${p.b}\t${p.together}`;
          expect(got.map(key).sort(), `${JSON.stringify(f)} ${skill}`).toEqual(expected.map(key).sort());
        }
      }
    });

    it("breaks a skill's postings down by company, location, source and remote as every posting does, under each filter (issue 17: from the skill rows' facets)", async () => {
      const sources = ['greenhouse:acme', 'lever:initech'];
      await store.savePostings(
        corpus.slice(0, 80).map((a, i) => (i % 3 === 0 ? relisted(a, sources[i % 2] as string, `x${i}`, { remote: i % 4 === 0, ...(i % 5 === 0 && { location: 'Zürich' }) }) : a)),
        T1,
      );
      type P = { key: number; day: string; source: string; company: string | null; location: string | null; remote: number | null };
      const postings = await rowsOf<P>(store, 'SELECT key, period_date AS day, source, company, location, remote FROM postings');
      const skillRows = await rowsOf<{ key: number; skill: string; category: string | null; requirement: string }>(
        store,
        'SELECT ps.posting_key AS key, ps.skill_id AS skill, s.category, ps.requirement FROM posting_skills ps LEFT JOIN skills s ON s.id = ps.skill_id WHERE ps.negated = 0',
      );
      const frequency = new Map<string, number>();
      for (const r of skillRows) frequency.set(r.skill, (frequency.get(r.skill) ?? 0) + 1);
      const skill = [...frequency].sort((a, b) => b[1] - a[1])[0]?.[0] as string;
      const category = skillRows.find((r) => r.skill === skill)?.category as string;
      const days = postings.map((p) => p.day).sort();
      const company = postings.map((p) => p.company).find((c) => c && /^[a-z]/i.test(c)) as string;
      const filters: ReportFilters[] = [
        {},
        { since: days[Math.floor(days.length / 4)] as string, until: days[Math.floor((days.length * 3) / 4)] as string },
        { source: 'greenhouse' },
        { remote: true },
        { remote: false, requirement: 'required' },
        { requirement: 'preferred' },
        { category },
        { company: company.slice(1, 4).toUpperCase() },
        { location: 'zür' },
        { location: 'zür', since: days[Math.floor(days.length / 3)] as string, requirement: 'required' },
      ];
      const keeps = (f: ReportFilters, p: P) =>
        (!f.since || p.day >= f.since) &&
        (!f.until || p.day <= f.until) &&
        (!f.source || p.source === f.source || p.source.startsWith(`${f.source}:`)) &&
        (!f.company || (p.company ?? '').toLowerCase().includes(f.company.toLowerCase())) &&
        (!f.location || (p.location ?? '').toLowerCase().includes(f.location.toLowerCase())) &&
        (f.remote === undefined || (p.remote === 1) === f.remote);
      const keyOf = (p: P, key: 'company' | 'location' | 'source' | 'remote') =>
        key === 'remote' ? (p.remote === 1 ? 'remote' : p.remote === 0 ? 'on-site' : 'not stated') : (p[key] ?? '(not stated)');
      const byKey = new Map(postings.map((p) => [p.key, p]));
      let nonEmpty = 0;
      for (const f of filters) {
        for (const key of ['company', 'location', 'source', 'remote'] as const) {
          const counts = new Map<string, number>();
          const totals = new Map<string, number>();
          for (const p of postings) if (keeps(f, p)) totals.set(keyOf(p, key), (totals.get(keyOf(p, key)) ?? 0) + 1);
          for (const r of skillRows) {
            const p = byKey.get(r.key) as P;
            if (r.skill !== skill || !keeps(f, p) || (f.category && r.category !== f.category) || (f.requirement && f.requirement !== 'any' && r.requirement !== f.requirement)) continue;
            counts.set(keyOf(p, key), (counts.get(keyOf(p, key)) ?? 0) + 1);
          }
          const expected = [...counts]
            .map(([k, count]) => ({ key: k, count, total: totals.get(k) as number }))
            .sort((a, b) => b.count - a.count || Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
          if (expected.length > 0) nonEmpty++;
          expect(await store.readBreakdown(skill, key, f, 1000), `${key} ${JSON.stringify(f)}`).toEqual(expected);
          expect(await store.readBreakdown(skill, key, f, 2), `${key} ${JSON.stringify(f)} top 2`).toEqual(expected.slice(0, 2));
        }
      }
      expect(nonEmpty).toBeGreaterThan(30);
    });

    it('stages raw postings, reads them back in ranges, and drops a stage with its jobs', async () => {
      const raw = (n: number): RawPosting => ({
        source: 'greenhouse:acme',
        externalId: `x${n}`,
        fetchedAt: T1,
        contentType: 'text/plain',
        body: `Posting ${n}: Python, SQL and "quotes" \\ backslashes, ünïcödé 😀`,
        hints: { title: `Engineer ${n}` },
        origin: `https://boards.example/acme/${n}`,
      });
      await store.stageRaw('fetch:acme', [raw(0), raw(1), raw(2)]);
      expect(await store.readStaged('fetch:acme', 1, 3)).toEqual([raw(1), raw(2)]);
      expect(await store.readStaged('fetch:acme', 0, 100)).toHaveLength(3);
      await store.stageRaw('fetch:acme', [raw(2)]);
      expect(await store.readStaged('fetch:acme', 0, 100)).toEqual([raw(2)]);
      await store.stageRaw('fetch:other', [raw(5)]);
      await store.recordJob('extract:fetch:acme:0', '["new"]', T1);
      await store.recordJob('extract:fetch:acme:0', '["unchanged"]', T2);
      await store.recordJob('extract:fetch:other:0', '[]', T1);
      expect(await store.jobResult('extract:fetch:acme:0')).toBe('["new"]');
      expect(await store.jobResult('nope')).toBeUndefined();
      await store.dropStaged('fetch:acme', 'extract:fetch:acme:');
      expect(await store.readStaged('fetch:acme', 0, 100)).toEqual([]);
      expect(await store.readStaged('fetch:other', 0, 100)).toEqual([raw(5)]);
      expect(await store.jobResult('extract:fetch:acme:0')).toBeUndefined();
      expect(await store.jobResult('extract:fetch:other:0')).toBe('[]');
      await store.dropStaged('fetch:other');
      expect(await store.jobResult('extract:fetch:other:0')).toBe('[]');
    });

    it('stores and counts a job delivered twice once, returning the statuses recorded the first time', async () => {
      const batch = corpus.slice(0, 10);
      const first = await store.savePostings(batch, T1, 'extract:s:0');
      expect(first).toEqual(batch.map(() => 'new'));
      const daily = await rowsOf(store, 'SELECT * FROM daily_totals ORDER BY day');
      expect(await store.savePostings(batch, T2, 'extract:s:0')).toEqual(first);
      expect(await rowsOf(store, 'SELECT * FROM daily_totals ORDER BY day')).toEqual(daily);
      expect((await exportLines(store)).map((l) => JSON.parse(l).lastSeen)).toEqual(batch.map(() => T1));
      expect(await store.jobResult('extract:s:0')).toBe(JSON.stringify(first));
      expect(await store.savePostings(batch, T2, 'extract:s:1')).toEqual(batch.map(() => 'unchanged'));
      expect((await store.stats()).postings).toBe(10);
      await expectExactAggregates(store);
    });
  });
}

// ---- PostgreSQL only ----

pgSuite('PostgreSQL store: several writers at once', () => {
  it('opens together on a new schema (migrations applied once) and saves overlapping batches concurrently, each posting once and the aggregates exact', async () => {
    const schema = freshSchema();
    const [a, b] = await Promise.all([openPg(schema), openPg(schema)]);
    if (!a || !b) throw new Error('not opened');
    expect(await rowsOf(a, 'SELECT version FROM schema_migrations ORDER BY version')).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
    await Promise.all([a.upsertSkills(compiled.taxonomy), b.upsertSkills(compiled.taxonomy)]);
    const changedLater = corpus.slice(0, 60).map((p) => edited(p));
    await Promise.all([
      a.savePostings(corpus.slice(0, 80), T1),
      b.savePostings(corpus.slice(40, 120), T1),
      a.savePostings(corpus.slice(100, 160).reverse(), T1),
      b.savePostings(corpus.slice(60, 140), T1),
      a.savePostings(changedLater.slice(0, 30), T2),
      b.savePostings(changedLater.slice(20, 60), T2),
      b.savePostings([...corpus.slice(150, 200), ...corpus.slice(150, 160)], T2),
    ]);
    expect(await rowsOf(a, 'SELECT id FROM postings GROUP BY id HAVING COUNT(*) > 1')).toEqual([]);
    expect((await a.stats()).postings).toBe(200);
    await expectExactAggregates(a);

    // Re-extraction by one worker while another saves edits of the same postings.
    const stale = await a.readStalePostings(TAXONOMY, 'never', 0, 50);
    await Promise.all([
      a.replaceExtractions(stale.map((s, i) => ({ key: s.key, extraction: { ...at(i).extraction, skills: at(i).extraction.skills.slice(1) } }))),
      b.savePostings(corpus.slice(0, 50).map((p) => edited(p, '\n\nGo and Terraform.')), T3),
      a.touchPostings('file', corpus.slice(0, 100).map((p) => p.posting.externalId as string), T3),
    ]);
    await expectExactAggregates(a);

    // A taxonomy move while both save: the roll-ups end counted under the new skills.
    await Promise.all([
      b.savePostings(corpus.slice(60, 90).map((p) => edited(p, '\n\nKotlin and Spark.')), T3),
      a.upsertSkills(movedTaxonomy()),
      b.savePostings(corpus.slice(160, 200).map((p) => edited(p, '\n\nRust.')), T3),
      a.replaceExtractions(stale.slice(0, 20).map((s, i) => ({ key: s.key, extraction: at(i).extraction }))),
    ]);
    await expectExactAggregates(a);

    // The same job delivered to two workers at once: stored and counted once, the same statuses for both.
    const job = corpus.slice(200, 240);
    const [one, two] = await Promise.all([a.savePostings(job, T3, 'extract:x:1'), b.savePostings(job, T4, 'extract:x:1')]);
    expect(one).toEqual(job.map(() => 'new'));
    expect(two).toEqual(one);
    expect((await a.stats()).postings).toBe(240);
    await expectExactAggregates(b);
  });
});

pgSuite('PostgreSQL store: opening', () => {
  const shown = PG_URL.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');

  it('refuses to read a schema that is not a skillpulse store, naming the URL without its password', async () => {
    const error = await openPg(freshSchema(), true).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StopBeforeWorkError);
    expect((error as Error).message).toContain(`database ${shown}`);
    expect((error as Error).message).toContain('is not a skillpulse database (it is empty)');
    if (new URL(PG_URL).password) expect((error as Error).message).not.toContain(`:${new URL(PG_URL).password}@`);
  });

  it('reads a store opened read-only, and never writes through it', async () => {
    const schema = freshSchema();
    const writer = await openPg(schema);
    await writer.upsertSkills(compiled.taxonomy);
    await writer.savePostings(corpus.slice(0, 5), T1);
    const reader = await openPg(schema, true);
    expect((await reader.stats()).postings).toBe(5);
    expect(await reader.readSkillTotals()).toEqual(await writer.readSkillTotals());
    await expect(reader.savePostings(corpus.slice(5, 6), T1)).rejects.toThrow(/read-only/);
  });

  it('refuses a schema holding other tables, one newer than this skillpulse, a missing one that must exist, and a bad name', async () => {
    const foreign = freshSchema();
    schemas.push(foreign);
    await admin?.query(`CREATE SCHEMA ${foreign}; CREATE TABLE ${foreign}.customers (id int)`);
    await expect(openPg(foreign)).rejects.toThrow(/is not a skillpulse database \(it holds customers and no schema_migrations\): left as it is/);
    const newer = freshSchema();
    await openPg(newer);
    await admin?.query(`INSERT INTO ${newer}.schema_migrations VALUES (99, 'future', '2030-01-01')`);
    await expect(openPg(newer)).rejects.toThrow(/schema version 99, newer than this skillpulse knows/);
    const missing = freshSchema();
    schemas.push(missing);
    await expect(openStore(PG_URL, { schema: missing, mustExist: true })).rejects.toThrow(/holds no skillpulse store yet/);
    await expect(openStore(PG_URL, { schema: 'Bad-Name' })).rejects.toThrow(/schema "Bad-Name" is not a plain lower-case name/);
  });

  it('takes its schema from the schema parameter of the URL', async () => {
    const schema = freshSchema();
    schemas.push(schema);
    const url = new URL(PG_URL);
    url.searchParams.set('schema', schema);
    const store = await openStore(url.toString());
    await store.upsertSkills(compiled.taxonomy);
    await store.savePostings(corpus.slice(0, 3), T1);
    expect(store.location).not.toContain('secret');
    const inSchema = await admin?.query(`SELECT COUNT(*)::int AS n FROM ${schema}.postings`);
    expect(inSchema?.rows[0]).toEqual({ n: 3 });
    await store.close();
  });

  it('exports in pages of any size, the same lines', async () => {
    const store = (await openPg(freshSchema())) as PostgresStore;
    await store.savePostings(corpus.slice(0, 23), T1);
    const whole = await exportLines(store);
    const paged: string[] = [];
    expect(await exportPostings(store.db, (l) => paged.push(l), 5)).toBe(23);
    expect(paged).toEqual(whole);
  });
});

describe('PostgreSQL store: no server', () => {
  it('stops before any work when nothing listens, naming the URL without its password', async () => {
    const error = await openStore('postgres://someone:secret@127.0.0.1:1/skills').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StopBeforeWorkError);
    expect((error as Error).message).toBe('database postgres://someone:***@127.0.0.1:1/skills: cannot connect (ECONNREFUSED): is PostgreSQL running?');
  });
});

// ---- both stores, the same answers ----

pgSuite('SQLite and PostgreSQL stores answer alike', () => {
  it('gives deep-equal results for every read, filter and period on the same data, and the same export', async () => {
    const sqlite = await STORES[0]?.open();
    const postgres = await openPg(freshSchema());
    if (!sqlite) throw new Error('not opened');
    const special = [
      relisted(at(20), 'greenhouse:acme', '1', { company: 'Acme Corp', remote: true }),
      relisted(at(21), 'greenhouse', '2', { company: '100% Remote_Co', remote: false, location: 'Zürich' }),
      relisted(at(22), 'greenhousex:foo', '3', { company: 'ÉCOLE acme' }),
      relisted(at(20), 'file', 'repost', { company: 'Acme Corp', postedAt: '2027-01-01T00:00:00.000Z' }),
    ];
    for (const store of [sqlite, postgres]) {
      await store.upsertSkills(compiled.taxonomy);
      await store.savePostings(corpus.slice(0, 150), T1);
      await store.savePostings([...corpus.slice(100, 200), ...special], T2, 'job-1');
      await store.savePostings([...corpus.slice(200), ...corpus.slice(0, 20).map((p) => edited(p))], T3);
      await store.closeUnseenPostings('greenhouse', T3);
      await store.touchPostings('file', ['nope'], T4);
      await store.closeUnseenPostings('file', T4);
      const run = await store.startRun({ command: 'analyze', taxonomyVersion: TAXONOMY, extractorVersion: EXTRACTOR, startedAt: T1 });
      await store.finishRun(run, 'ok', { new: 1, changed: 0, unchanged: 0, failed: 0, mentions: 3, closed: 0, reextracted: 0 }, [], T2);
    }
    const skill = at(20).extraction.skills.find((s) => !s.negated)?.id as string;
    const category = at(0).extraction.skills[0]?.category as string;
    const filters: ReportFilters[] = [
      {},
      { since: '2025-09-01', until: '2026-03-31' },
      { source: 'greenhouse' },
      { source: 'GreenHouse' },
      { company: 'acme' },
      { company: 'école' },
      { company: '%' },
      { company: '_' },
      { location: 'zür' },
      { location: 'york' },
      { remote: true },
      { remote: false },
      { category },
      { skill },
      { requirement: 'required' },
      { requirement: 'preferred' },
      { requirement: 'any' },
      { unique: true },
      { unique: true, category, since: '2026-01-01' },
      { unique: true, location: 'zür' },
      { unique: true, company: 'acme', requirement: 'required' },
      // A focused co-occurrence under source or remote is counted from the skill's rows first, with the requirement and category on both rows.
      { source: 'greenhouse', requirement: 'required' },
      { remote: true, category },
    ];
    const bySorting = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();
    for (const [n, f] of filters.entries()) {
      // Every period kind with the first filters; then weeks, the period each dialect computes its own way.
      for (const kind of n < 3 ? PERIOD_KINDS : (['week'] as const)) {
        const [x, y] = await Promise.all([sqlite.readDemandRows(kind, f), postgres.readDemandRows(kind, f)]);
        expect(y.periodTotals, `${kind} ${JSON.stringify(f)}`).toEqual(x.periodTotals);
        expect(bySorting(y.skillCounts), `${kind} ${JSON.stringify(f)}`).toEqual(bySorting(x.skillCounts));
        expect(y.skills).toEqual(x.skills);
        const [gx, gy] = await Promise.all([sqlite.readGroupCounts(kind, f), postgres.readGroupCounts(kind, f)]);
        expect(bySorting(gy.category)).toEqual(bySorting(gx.category));
        expect(bySorting(gy.family)).toEqual(bySorting(gx.family));
      }
      const same = async <T>(read: (s: Store) => Promise<T>, sort = false) => {
        const [x, y] = await Promise.all([read(sqlite), read(postgres)]);
        if (sort) expect(bySorting(y as unknown[]), JSON.stringify(f)).toEqual(bySorting(x as unknown[]));
        else expect(y, JSON.stringify(f)).toEqual(x);
      };
      await same((s) => s.readRequirementSplit(f), true);
      for (const key of ['company', 'location', 'remote', 'source'] as const) await same((s) => s.readBreakdown(skill, key, f, 15));
      await same((s) => s.readSkillTotals(f));
      await same((s) => s.readPairs(f, undefined, 2, 50));
      await same((s) => s.readPairs(f, skill, 1, 20));
      await same((s) => s.readSalaries(f), true);
      await same((s) => s.readRecentTexts('2026-06-01', f, 40));
      await same((s) => s.readRecentCompanies('2026-06-01', f), true);
      await same((s) => s.readExamples(skill, f, 10));
    }
    // The newest texts under a company or location filter: through its index when it keeps few
    // postings (a large limit), backwards by date when it keeps many for the limit (a limit of 1);
    // either way the newest of every posting the filter keeps.
    for (const store of [sqlite, postgres]) {
      type Row = { key: number; day: string; text: string; company: string | null; location: string | null };
      const all = (await rowsOf<Row>(store, 'SELECT key, period_date AS day, text, company, location FROM postings')).sort(
        (a, b) => (a.day === b.day ? Number(b.key) - Number(a.key) : a.day < b.day ? 1 : -1),
      );
      for (const f of [{ company: 'acme' }, { location: 'zür' }, { location: 'york' }, { company: 'bramble', location: 'york' }] as ReportFilters[]) {
        const kept = all.filter(
          (p) =>
            p.day >= '2025-06-01' &&
            (!f.company || (p.company ?? '').toLowerCase().includes(f.company)) &&
            (!f.location || (p.location ?? '').toLowerCase().includes(f.location)),
        );
        expect(kept.length, JSON.stringify(f)).toBeGreaterThan(0);
        for (const limit of [1, 3, 1000]) {
          expect(await store.readRecentTexts('2025-06-01', f, limit), `${JSON.stringify(f)} ${limit}`).toEqual(kept.slice(0, limit).map((p) => p.text));
        }
      }
      // "york" keeps enough postings that a limit of 1 reads backwards by date (kept² >= limit × all), few enough that 1000 reads its index.
      const york = all.filter((p) => p.day >= '2025-06-01' && (p.location ?? '').toLowerCase().includes('york')).length;
      const since = all.filter((p) => p.day >= '2025-06-01').length;
      expect(york * york).toBeGreaterThanOrEqual(since);
      expect(york * york).toBeLessThan(1000 * since);
    }
    expect(await postgres.readSources()).toEqual(await sqlite.readSources());
    expect(await exportLines(postgres)).toEqual(await exportLines(sqlite));
    const { path: _p, sizeBytes: _s, ...pgStats } = await postgres.stats();
    const { path: _q, sizeBytes: _t, ...sqliteStats } = await sqlite.stats();
    expect(pgStats).toEqual(sqliteStats);
    expect(JSON.stringify(await postgres.listRuns(5))).toBe(JSON.stringify(await sqlite.listRuns(5)));
    expect(await postgres.readStalePostings(TAXONOMY, 'other', 0, 1000)).toEqual(await sqlite.readStalePostings(TAXONOMY, 'other', 0, 1000));
  });
});
