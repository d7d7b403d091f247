import { statSync } from 'node:fs';
import type { Extraction } from '../../types.js';
import type { DbStats, StoredPosting, VersionCount } from '../store.js';
import type { DB } from './db.js';
import { AGGREGATE_TABLES, countedSkills, recountSql } from '../sql.js';
import { DailyCounts, facetOf, skillGroups, skillWriter, storedSkills } from './postings.js';


/** Postings extracted with another taxonomy or extractor version (and whose text is still stored), in batches. */
export function readStalePostings(db: DB, taxonomyVersion: string, extractorVersion: string, afterKey: number, limit: number): StoredPosting[] {
  return (
    db
      .prepare(
        `SELECT key, title, company, text FROM postings
         WHERE (taxonomy_version != ? OR extractor_version != ?) AND text != '' AND key > ? ORDER BY key LIMIT ?`,
      )
      .all(taxonomyVersion, extractorVersion, afterKey, limit) as StoredPosting[]
  );
}

/** How many postings with stored text another taxonomy or extractor version extracted. */
export function countStalePostings(db: DB, taxonomyVersion: string, extractorVersion: string): number {
  return db
    // The versions index finds the stale keys; only their rows are read for the text check.
    .prepare(
      "SELECT COUNT(*) FROM postings WHERE key IN (SELECT key FROM postings WHERE taxonomy_version != ? OR extractor_version != ?) AND text != ''",
    )
    .pluck()
    .get(taxonomyVersion, extractorVersion) as number;
}

/** How many postings each (taxonomy, extractor) version pair extracted. */
export function readVersions(db: DB): VersionCount[] {
  return db
    .prepare(
      `SELECT taxonomy_version AS taxonomyVersion, extractor_version AS extractorVersion, COUNT(*) AS postings,
         SUM(text = '') AS withoutText FROM postings GROUP BY 1, 2 ORDER BY 3 DESC`,
    )
    .all() as VersionCount[];
}

/** Replaces the skills and mentions of stored postings with a new extraction, in one transaction. */
export function replaceExtractions(db: DB, batch: readonly { key: number; extraction: Extraction }[]): void {
  const writeSkills = skillWriter(db);
  const skillsOf = storedSkills(db);
  const rowOf = db.prepare('SELECT period_date, source, company, location, remote FROM postings WHERE key = ?');
  const update = db.prepare('UPDATE postings SET taxonomy_version = ?, extractor_version = ?, degree = ?, min_years = ?, seniority = ? WHERE key = ?');
  db.transaction(() => {
    const counts = new DailyCounts(skillGroups(db));
    for (const { key, extraction: x } of batch) {
      const row = rowOf.get(key) as { period_date: string; source: string; company: string | null; location: string | null; remote: number | null };
      const facet = facetOf(row);
      counts.count(row.period_date, facet, skillsOf(key), -1);
      writeSkills(key, x, true, facet, row.period_date);
      counts.count(row.period_date, facet, countedSkills(x), 1);
      update.run(x.taxonomyVersion, x.extractorVersion, x.degree ?? null, x.minYears ?? null, x.seniority ?? null, key);
    }
    counts.apply(db);
  })();
}

/**
 * Clears the stored text of postings not seen since `before` (ISO date): their skills, mentions and
 * counts stay, but they can no longer be re-extracted.
 */
export function pruneText(db: DB, before: string): number {
  return db.prepare("UPDATE postings SET text = '', sections = '[]' WHERE last_seen < ? AND text != ''").run(before).changes;
}


export function readDbStats(db: DB, path: string): DbStats {
  const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  let sizeBytes = 0;
  for (const suffix of ['', '-wal']) {
    try {
      sizeBytes += statSync(`${path}${suffix}`).size;
    } catch {
      // no WAL file yet
    }
  }
  const last = db.prepare('SELECT id, status, finished_at AS finishedAt FROM runs ORDER BY id DESC LIMIT 1').get() as DbStats['lastRun'] | undefined;
  return {
    path,
    sizeBytes,
    postings: one('SELECT COUNT(*) AS n FROM postings'),
    open: one('SELECT COUNT(*) AS n FROM postings WHERE closed_at IS NULL'),
    closed: one('SELECT COUNT(*) AS n FROM postings WHERE closed_at IS NOT NULL'),
    withoutText: one("SELECT COUNT(*) AS n FROM postings WHERE text = ''"),
    medianDaysOpen: medianDaysOpen(db),
    skillsMentioned: one('SELECT COUNT(DISTINCT skill_id) AS n FROM posting_skills'),
    mentions: one('SELECT COUNT(*) AS n FROM mentions'),
    runs: one('SELECT COUNT(*) AS n FROM runs'),
    lastRun: last ?? null,
    schemaVersion: one('SELECT MAX(version) AS n FROM schema_migrations'),
    versions: readVersions(db),
  };
}

function medianDaysOpen(db: DB): number | null {
  const days = (db.prepare('SELECT julianday(closed_at) - julianday(first_seen) AS d FROM postings WHERE closed_at IS NOT NULL ORDER BY d').all() as { d: number }[]).map((r) => r.d);
  if (days.length === 0) return null;
  const mid = days.length >> 1;
  const m = days.length % 2 ? (days[mid] as number) : ((days[mid - 1] as number) + (days[mid] as number)) / 2;
  return Math.round(m * 10) / 10;
}

const SQLITE = { likeAnyCase: 'LIKE', name: 'sqlite' } as const;

/** Counts the daily aggregates afresh from the postings and their skills (after writes made by hand). */
export function recountDaily(db: DB): void {
  const sql = recountSql(SQLITE);
  db.transaction(() => {
    db.exec(sql.facets);
    db.exec(sql.posting_skill_facets);
    db.exec(sql.pair_skills);
    db.exec(sql.pair_slices);
    for (const table of AGGREGATE_TABLES) {
      db.exec(`DELETE FROM ${table}`);
      db.exec(sql[table] as string);
    }
  })();
}

/** Recounts the daily aggregates, compacts the database and refreshes the query planner's statistics. */
export function vacuumDatabase(db: DB): void {
  recountDaily(db);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('VACUUM');
  db.exec('ANALYZE');
}

/** Every posting with its skills, one JSON object per call of `write`, in id order (streamed, not loaded at once). */
export function exportPostings(db: DB, write: (line: string) => void): number {
  const skills = db.prepare('SELECT skill_id AS id, requirement, years, negated, confidence FROM posting_skills WHERE posting_key = ? ORDER BY skill_id');
  let n = 0;
  for (const p of db
    .prepare(
      `SELECT key, id, source, external_id AS externalId, url, title, company, location, remote, posted_at AS postedAt, salary,
         first_seen AS firstSeen, last_seen AS lastSeen, closed_at AS closedAt, degree, min_years AS minYears, seniority,
         taxonomy_version AS taxonomyVersion, extractor_version AS extractorVersion FROM postings ORDER BY id`,
    )
    .iterate() as Iterable<Record<string, unknown>>) {
    const { key, ...posting } = p;
    const s = (skills.all(key) as { id: string; requirement: string; years: number | null; negated: number; confidence: number }[]).map((k) => ({ ...k, negated: k.negated === 1 }));
    write(`${JSON.stringify({ ...posting, remote: p.remote === null ? null : p.remote === 1, skills: s })}\n`);
    n++;
  }
  return n;
}
