import type { DbStats, StoredPosting, VersionCount } from '../store.js';
import { AGGREGATE_TABLES, recountSql } from '../sql.js';
import type { Conn, PgDb } from './db.js';

/** Postings extracted with another taxonomy or extractor version (and whose text is still stored), in key order after `afterKey`. */
export async function readStalePostings(db: PgDb, taxonomyVersion: string, extractorVersion: string, afterKey: number, limit: number): Promise<StoredPosting[]> {
  return db.all<StoredPosting>(
    `SELECT key, title, company, text FROM postings
     WHERE (taxonomy_version != ? OR extractor_version != ?) AND text != '' AND key > ? ORDER BY key LIMIT ?`,
    [taxonomyVersion, extractorVersion, afterKey, limit],
  );
}

export async function countStalePostings(db: PgDb, taxonomyVersion: string, extractorVersion: string): Promise<number> {
  const r = await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM postings WHERE (taxonomy_version != ? OR extractor_version != ?) AND text != ''", [taxonomyVersion, extractorVersion]);
  return r?.n ?? 0;
}

/** Clears the stored text of postings not seen since `before`: their skills, mentions and counts stay. */
export async function pruneText(db: PgDb, before: string): Promise<number> {
  return db.tx((c) => c.run("UPDATE postings SET text = '', sections = '[]' WHERE last_seen < ? AND text != ''", [before]));
}

async function readVersions(c: Conn): Promise<VersionCount[]> {
  return c.all<VersionCount>(
    `SELECT taxonomy_version AS "taxonomyVersion", extractor_version AS "extractorVersion", COUNT(*) AS postings,
       COUNT(*) FILTER (WHERE text = '') AS "withoutText" FROM postings GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`,
  );
}

/** What `db stats` shows; the size is that of the schema's tables with their indexes and TOAST. */
export async function readDbStats(db: PgDb, location: string): Promise<DbStats> {
  return db.snapshot(async (c) => {
    const one = async (sql: string) => ((await c.get<{ n: number | null }>(sql))?.n ?? 0) as number;
    const size = await c.get<{ n: number | null }>(
      `SELECT SUM(pg_total_relation_size(c.oid)) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind = 'r'`,
    );
    const last = await c.get<{ id: number; status: string; finishedAt: string | null }>('SELECT id, status, finished_at AS "finishedAt" FROM runs ORDER BY id DESC LIMIT 1');
    return {
      path: location,
      sizeBytes: size?.n ?? 0,
      postings: await one('SELECT COUNT(*) AS n FROM postings'),
      open: await one('SELECT COUNT(*) AS n FROM postings WHERE closed_at IS NULL'),
      closed: await one('SELECT COUNT(*) AS n FROM postings WHERE closed_at IS NOT NULL'),
      withoutText: await one("SELECT COUNT(*) AS n FROM postings WHERE text = ''"),
      medianDaysOpen: await medianDaysOpen(c),
      skillsMentioned: await one('SELECT COUNT(DISTINCT skill_id) AS n FROM posting_skills'),
      mentions: await one('SELECT COUNT(*) AS n FROM mentions'),
      runs: await one('SELECT COUNT(*) AS n FROM runs'),
      lastRun: last ?? null,
      schemaVersion: await one('SELECT MAX(version) AS n FROM schema_migrations'),
      versions: await readVersions(c),
    };
  });
}

/** Julian day 0 (noon, 24 November 4714 BC) before the Unix epoch, in milliseconds. */
const JULIAN_EPOCH_MS = 210_866_760_000_000;

/**
 * The median of days from first seen to closed, computed as SQLite's `julianday(a) - julianday(b)`
 * is: each time as a Julian day in whole milliseconds divided into days, then subtracted (the
 * same floating point, so the same rounding at the tenth). The session's time zone is UTC, which
 * is what SQLite takes for times without an offset.
 */
async function medianDaysOpen(c: Conn): Promise<number | null> {
  const rows = await c.rows<[number, number]>(
    `SELECT (extract(epoch FROM closed_at::timestamptz) * 1000)::bigint, (extract(epoch FROM first_seen::timestamptz) * 1000)::bigint
     FROM postings WHERE closed_at IS NOT NULL`,
  );
  const days = rows.map(([closed, first]) => (closed + JULIAN_EPOCH_MS) / 86_400_000 - (first + JULIAN_EPOCH_MS) / 86_400_000).sort((a, b) => a - b);
  if (days.length === 0) return null;
  const mid = days.length >> 1;
  const m = days.length % 2 ? (days[mid] as number) : ((days[mid - 1] as number) + (days[mid] as number)) / 2;
  return Math.round(m * 10) / 10;
}

/**
 * Counts the daily aggregates afresh. The tables are locked against writers first: a writer
 * waits, and its changes then apply to counts that did not include its uncommitted postings.
 */
export async function recountDaily(db: PgDb): Promise<void> {
  const sql = recountSql({ likeAnyCase: 'ILIKE', name: 'postgres' });
  await db.tx(async (c) => {
    await c.run(`LOCK TABLE facets, pair_skills, pair_slices, ${AGGREGATE_TABLES.join(', ')} IN EXCLUSIVE MODE`);
    await c.run(sql.facets);
    await c.run(sql.posting_skill_facets);
    await c.run(sql.pair_skills);
    await c.run(sql.pair_slices);
    for (const table of AGGREGATE_TABLES) {
      await c.run(`DELETE FROM ${table}`);
      await c.run(sql[table] as string);
    }
  });
}

const TABLES = ['postings', 'posting_skills', 'mentions', 'text_hashes', 'skills', 'runs', 'fetch_cache', 'facets', 'pair_skills', 'pair_slices', ...AGGREGATE_TABLES, 'staged_postings', 'job_results'];

/** Recounts the aggregates, then VACUUM ANALYZE on the store's tables (outside a transaction, as VACUUM must be). */
export async function vacuumDatabase(db: PgDb): Promise<void> {
  await recountDaily(db);
  await db.run(`VACUUM (ANALYZE) ${TABLES.join(', ')}`);
}

/** Every posting with its skills, one JSON line per call of `write`, in id order: read in pages by id, in one snapshot. */
export async function exportPostings(db: PgDb, write: (line: string) => void, pageSize = 500): Promise<number> {
  return db.snapshot(async (c) => {
    let n = 0;
    let after: string | null = null;
    for (;;) {
      const page: Record<string, unknown>[] = await c.all(
        `SELECT key, id, source, external_id AS "externalId", url, title, company, location, remote, posted_at AS "postedAt", salary,
           first_seen AS "firstSeen", last_seen AS "lastSeen", closed_at AS "closedAt", degree, min_years AS "minYears", seniority,
           taxonomy_version AS "taxonomyVersion", extractor_version AS "extractorVersion"
         FROM postings WHERE ?::text IS NULL OR id > ? ORDER BY id LIMIT ?`,
        [after, after, pageSize],
      );
      if (page.length === 0) return n;
      const skills = new Map<number, { id: string; requirement: string; years: number | null; negated: boolean; confidence: number }[]>();
      const rows = await c.all<{ key: number; id: string; requirement: string; years: number | null; negated: number; confidence: number }>(
        'SELECT posting_key AS key, skill_id AS id, requirement, years, negated, confidence FROM posting_skills WHERE posting_key = ANY(?::bigint[]) ORDER BY posting_key, skill_id',
        [page.map((p) => p.key)],
      );
      for (const { key, ...s } of rows) {
        let list = skills.get(key);
        if (!list) skills.set(key, (list = []));
        list.push({ ...s, negated: s.negated === 1 });
      }
      for (const p of page) {
        const { key, ...posting } = p;
        write(`${JSON.stringify({ ...posting, remote: p.remote === null ? null : p.remote === 1, skills: skills.get(key as number) ?? [] })}\n`);
        n++;
      }
      after = page[page.length - 1]?.id as string;
    }
  });
}
