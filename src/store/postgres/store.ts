import type { PeriodKind } from '../../periods.js';
import type { CacheEntry } from '../../sources/http.js';
import type { Extraction, RawPosting, Taxonomy } from '../../types.js';
import { type OpenStoreOptions, redactUrl } from '../open.js';
import type { AnalyzedPosting, BreakdownKey, PostingQuery, ReportFilters, RunCounts, RunFailure, RunRow, RunStatus, Store } from '../store.js';
import { connectPostgres, type PgDb, takeUrlParam } from './db.js';
import { countStalePostings, exportPostings, pruneText, readDbStats, readStalePostings, recountDaily, vacuumDatabase } from './maintenance.js';
import { closeUnseenPostings, knownPostings, replaceExtractions, savePostings, touchPostings, upsertSkills } from './postings.js';
import * as q from './queries.js';
import { searchPostings } from './search.js';

/**
 * The shared store: one PostgreSQL schema that any number of worker processes write at once
 * (see postings.ts for how the daily aggregates stay exact) and readers query. Unlike the SQLite
 * store there is no writer's lock, so opening never marks other processes' runs as interrupted.
 */
export class PostgresStore implements Store {
  readonly dialect = 'postgres';

  constructor(
    /** The pool; only code under src/store/postgres (and its tests) touches it. */
    readonly db: PgDb,
    readonly location: string,
  ) {}

  async close(): Promise<void> {
    await this.db.pool.end();
  }

  upsertSkills(taxonomy: Taxonomy) {
    return upsertSkills(this.db, taxonomy);
  }
  savePostings(batch: readonly AnalyzedPosting[], seenAt: string, job?: string) {
    return savePostings(this.db, batch, seenAt, job);
  }
  touchPostings(source: string, externalIds: readonly string[] | 'all-open', seenAt: string) {
    return touchPostings(this.db, source, externalIds, seenAt);
  }
  closeUnseenPostings(source: string, seenAt: string) {
    return closeUnseenPostings(this.db, source, seenAt);
  }
  knownPostings(source: string, externalIds: readonly string[]) {
    return knownPostings(this.db, source, externalIds);
  }

  async stageRaw(stage: string, raws: readonly RawPosting[]): Promise<void> {
    await this.db.tx(async (c) => {
      await c.run('DELETE FROM staged_postings WHERE stage = ?', [stage]);
      if (raws.length === 0) return;
      await c.run('INSERT INTO staged_postings (stage, seq, raw) SELECT ?::text, seq - 1, raw FROM unnest(?::text[]) WITH ORDINALITY AS u(raw, seq)', [
        stage,
        raws.map((r) => JSON.stringify(r)),
      ]);
    });
  }
  async readStaged(stage: string, from: number, to: number): Promise<RawPosting[]> {
    const rows = await this.db.rows<[string]>('SELECT raw FROM staged_postings WHERE stage = ? AND seq >= ? AND seq < ? ORDER BY seq', [stage, from, to]);
    return rows.map((r) => JSON.parse(r[0]) as RawPosting);
  }
  async dropStaged(stage: string, jobPrefix?: string): Promise<void> {
    await this.db.tx(async (c) => {
      await c.run('DELETE FROM staged_postings WHERE stage = ?', [stage]);
      if (jobPrefix) await c.run('DELETE FROM job_results WHERE substr(job, 1, ?) = ?', [jobPrefix.length, jobPrefix]);
    });
  }
  async jobResult(job: string): Promise<string | undefined> {
    return (await this.db.get<{ result: string }>('SELECT result FROM job_results WHERE job = ?', [job]))?.result;
  }
  async recordJob(job: string, result: string, at: string): Promise<void> {
    await this.db.run('INSERT INTO job_results (job, result, stored_at) VALUES (?, ?, ?) ON CONFLICT (job) DO NOTHING', [job, result, at]);
  }

  async readFetchCache(url: string): Promise<CacheEntry | undefined> {
    const row = await this.db.get<{ etag: string | null; last_modified: string | null }>('SELECT etag, last_modified FROM fetch_cache WHERE url = ?', [url]);
    if (!row) return undefined;
    const entry: CacheEntry = {};
    if (row.etag) entry.etag = row.etag;
    if (row.last_modified) entry.lastModified = row.last_modified;
    return entry;
  }
  async writeFetchCache(entries: readonly [url: string, entry: CacheEntry][], at: string): Promise<void> {
    // The last entry of a URL wins, as in SQLite's one upsert after another (one statement may not update a row twice).
    const last = [...new Map(entries)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (last.length === 0) return;
    await this.db.tx((c) =>
      c.run(
        `INSERT INTO fetch_cache (url, etag, last_modified, updated_at) SELECT u.*, ?::text FROM unnest(?::text[], ?::text[], ?::text[]) AS u
         ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, updated_at = excluded.updated_at`,
        [at, last.map(([u]) => u), last.map(([, e]) => e.etag ?? null), last.map(([, e]) => e.lastModified ?? null)],
      ),
    );
  }

  async startRun(run: { command: string; taxonomyVersion: string; extractorVersion: string; startedAt: string; configHash?: string }): Promise<number> {
    const r = await this.db.get<{ id: number }>(
      `INSERT INTO runs (command, started_at, status, taxonomy_version, extractor_version, config_hash) VALUES (?, ?, 'running', ?, ?, ?) RETURNING id`,
      [run.command, run.startedAt, run.taxonomyVersion, run.extractorVersion, run.configHash ?? null],
    );
    return r?.id as number;
  }
  async finishRun(id: number, status: RunStatus, counts: RunCounts, failures: RunFailure[], finishedAt: string): Promise<void> {
    await this.db.run(
      `UPDATE runs SET finished_at = ?, status = ?, new = ?, changed = ?, unchanged = ?, failed = ?, mentions = ?, closed = ?,
         reextracted = ?, failures = ? WHERE id = ?`,
      [finishedAt, status, counts.new, counts.changed, counts.unchanged, counts.failed, counts.mentions, counts.closed, counts.reextracted, JSON.stringify(failures), id],
    );
  }
  listRuns(last: number): Promise<RunRow[]> {
    return this.db.all<RunRow>('SELECT * FROM runs ORDER BY id DESC LIMIT ?', [last]);
  }

  readStalePostings(taxonomyVersion: string, extractorVersion: string, afterKey: number, limit: number) {
    return readStalePostings(this.db, taxonomyVersion, extractorVersion, afterKey, limit);
  }
  countStalePostings(taxonomyVersion: string, extractorVersion: string) {
    return countStalePostings(this.db, taxonomyVersion, extractorVersion);
  }
  replaceExtractions(batch: readonly { key: number; extraction: Extraction }[]) {
    return replaceExtractions(this.db, batch);
  }
  pruneText(before: string) {
    return pruneText(this.db, before);
  }
  stats() {
    return readDbStats(this.db, this.location);
  }
  recountDaily() {
    return recountDaily(this.db);
  }
  vacuum() {
    return vacuumDatabase(this.db);
  }
  exportPostings(write: (line: string) => void) {
    return exportPostings(this.db, write);
  }

  readDemandRows(kind: PeriodKind, f?: ReportFilters) {
    return q.readDemandRows(this.db, kind, f);
  }
  readSources() {
    return q.readSources(this.db);
  }
  readSkills() {
    return q.readSkills(this.db);
  }
  readGroupCounts(kind: PeriodKind, f?: ReportFilters) {
    return q.readGroupCounts(this.db, kind, f);
  }
  readRequirementSplit(f?: ReportFilters) {
    return q.readRequirementSplit(this.db, f);
  }
  readBreakdown(skill: string, key: BreakdownKey, f?: ReportFilters, limit?: number) {
    return q.readBreakdown(this.db, skill, key, f, limit);
  }
  readSkillTotals(f?: ReportFilters) {
    return q.readSkillTotals(this.db, f);
  }
  readPairs(f?: ReportFilters, skill?: string, minSupport?: number, limit?: number) {
    return q.readPairs(this.db, f, skill, minSupport, limit);
  }
  readSalaries(f?: ReportFilters) {
    return q.readSalaries(this.db, f);
  }
  readRecentTexts(since: string, f?: ReportFilters, limit?: number) {
    return q.readRecentTexts(this.db, since, f, limit);
  }
  readRecentCompanies(since: string, f?: ReportFilters) {
    return q.readRecentCompanies(this.db, since, f);
  }
  readYears(skill: string, f?: ReportFilters) {
    return q.readYears(this.db, skill, f);
  }
  searchPostings(query: PostingQuery) {
    return searchPostings(this.db, query);
  }
  readExamples(skill: string, f?: ReportFilters, limit?: number) {
    return q.readExamples(this.db, skill, f, limit);
  }
}

/**
 * Opens a PostgreSQL database as a Store, in `options.schema`, else the URL's `schema` parameter,
 * else `public`. A writer
 * creates the schema and applies pending migrations (workers starting together take turns); a
 * reader only reads; with `mustExist` a writer refuses a schema that holds no store. Problems
 * connecting stop before any work, naming the URL without its password. `command` and
 * `onRecover` are SQLite's: there is no writer's lock here, and runs are never taken over.
 */
export async function openPostgresStore(url: string, options: OpenStoreOptions = {}): Promise<PostgresStore> {
  const location = redactUrl(url);
  const fromUrl = takeUrlParam(url, 'schema');
  const db = await connectPostgres(fromUrl.url, {
    schema: options.schema ?? fromUrl.value ?? 'public',
    readonly: options.readonly === true,
    ...(options.mustExist && { mustExist: true }),
    location,
  });
  return new PostgresStore(db, location);
}
