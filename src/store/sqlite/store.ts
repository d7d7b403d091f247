import type { PeriodKind } from '../../periods.js';
import type { CacheEntry } from '../../sources/http.js';
import type { Extraction, RawPosting, Taxonomy } from '../../types.js';
import type { OpenStoreOptions } from '../open.js';
import type { AnalyzedPosting, BreakdownKey, PostingQuery, ReportFilters, RunCounts, RunFailure, RunStatus, Store } from '../store.js';
import { type DB, openDatabase } from './db.js';
import { readFetchCache, writeFetchCache } from './fetch-cache.js';
import {
  countStalePostings,
  exportPostings,
  pruneText,
  readDbStats,
  readStalePostings,
  recountDaily,
  replaceExtractions,
  vacuumDatabase,
} from './maintenance.js';
import { closeUnseenPostings, knownPostings, touchPostings, upsertPostings, upsertSkills } from './postings.js';
import * as q from './queries.js';
import { finishRun, listRuns, startRun } from './runs.js';
import { searchPostings } from './search.js';
import { dropStaged, jobResult, readStaged, recordJob, stageRaw } from './staging.js';

/**
 * The embedded store: one SQLite file (better-sqlite3, synchronous underneath). A writer holds
 * the file's lock while open, so one process writes at a time; readers never lock.
 */
export class SqliteStore implements Store {
  readonly dialect = 'sqlite';

  constructor(
    /** The better-sqlite3 connection; only code under src/store/sqlite (and its tests) touches it. */
    readonly db: DB,
    readonly location: string,
  ) {}

  async close(): Promise<void> {
    this.db.close();
  }

  async upsertSkills(taxonomy: Taxonomy) {
    upsertSkills(this.db, taxonomy);
  }
  async savePostings(batch: readonly AnalyzedPosting[], seenAt: string, job?: string) {
    return upsertPostings(this.db, batch, seenAt, job);
  }
  async stageRaw(stage: string, raws: readonly RawPosting[]) {
    stageRaw(this.db, stage, raws);
  }
  async readStaged(stage: string, from: number, to: number) {
    return readStaged(this.db, stage, from, to);
  }
  async dropStaged(stage: string, jobPrefix?: string) {
    dropStaged(this.db, stage, jobPrefix);
  }
  async jobResult(job: string) {
    return jobResult(this.db, job);
  }
  async recordJob(job: string, result: string, at: string) {
    recordJob(this.db, job, result, at);
  }
  async touchPostings(source: string, externalIds: readonly string[] | 'all-open', seenAt: string) {
    return touchPostings(this.db, source, externalIds, seenAt);
  }
  async closeUnseenPostings(source: string, seenAt: string) {
    return closeUnseenPostings(this.db, source, seenAt);
  }
  async knownPostings(source: string, externalIds: readonly string[]) {
    return knownPostings(this.db, source, externalIds);
  }
  async readFetchCache(url: string) {
    return readFetchCache(this.db, url);
  }
  async writeFetchCache(entries: readonly [string, CacheEntry][], at: string) {
    writeFetchCache(this.db, entries, at);
  }
  async startRun(run: { command: string; taxonomyVersion: string; extractorVersion: string; startedAt: string; configHash?: string }) {
    return startRun(this.db, run.command, run.taxonomyVersion, run.extractorVersion, run.startedAt, run.configHash);
  }
  async finishRun(id: number, status: RunStatus, counts: RunCounts, failures: RunFailure[], finishedAt: string) {
    finishRun(this.db, id, status, counts, failures, finishedAt);
  }
  async listRuns(last: number) {
    return listRuns(this.db, last);
  }
  async readStalePostings(taxonomyVersion: string, extractorVersion: string, afterKey: number, limit: number) {
    return readStalePostings(this.db, taxonomyVersion, extractorVersion, afterKey, limit);
  }
  async countStalePostings(taxonomyVersion: string, extractorVersion: string) {
    return countStalePostings(this.db, taxonomyVersion, extractorVersion);
  }
  async replaceExtractions(batch: readonly { key: number; extraction: Extraction }[]) {
    replaceExtractions(this.db, batch);
  }
  async pruneText(before: string) {
    return pruneText(this.db, before);
  }
  async stats() {
    return readDbStats(this.db, this.location);
  }
  async recountDaily() {
    recountDaily(this.db);
  }
  async vacuum() {
    vacuumDatabase(this.db);
  }
  async exportPostings(write: (line: string) => void) {
    return exportPostings(this.db, write);
  }
  async readDemandRows(kind: PeriodKind, f?: ReportFilters) {
    return q.readDemandRows(this.db, kind, f);
  }
  async readSources() {
    return q.readSources(this.db);
  }
  async readSkills() {
    return q.readSkills(this.db);
  }
  async readGroupCounts(kind: PeriodKind, f?: ReportFilters) {
    return q.readGroupCounts(this.db, kind, f);
  }
  async readRequirementSplit(f?: ReportFilters) {
    return q.readRequirementSplit(this.db, f);
  }
  async readBreakdown(skill: string, key: BreakdownKey, f?: ReportFilters, limit?: number) {
    return q.readBreakdown(this.db, skill, key, f, limit);
  }
  async readSkillTotals(f?: ReportFilters) {
    return q.readSkillTotals(this.db, f);
  }
  async readPairs(f?: ReportFilters, skill?: string, minSupport?: number, limit?: number) {
    return q.readPairs(this.db, f, skill, minSupport, limit);
  }
  async readSalaries(f?: ReportFilters) {
    return q.readSalaries(this.db, f);
  }
  async readRecentTexts(since: string, f?: ReportFilters, limit?: number) {
    return q.readRecentTexts(this.db, since, f, limit);
  }
  async readRecentCompanies(since: string, f?: ReportFilters) {
    return q.readRecentCompanies(this.db, since, f);
  }
  async readExamples(skill: string, f?: ReportFilters, limit?: number) {
    return q.readExamples(this.db, skill, f, limit);
  }
  async readYears(skill: string, f?: ReportFilters) {
    return q.readYears(this.db, skill, f);
  }
  async searchPostings(query: PostingQuery) {
    return searchPostings(this.db, query);
  }
}

/** Opens a SQLite file (or `:memory:`) as a Store; see openDatabase for locking and read-only opening. */
export async function openSqliteStore(path: string, options: OpenStoreOptions = {}): Promise<SqliteStore> {
  const db = openDatabase(path, {
    ...(options.mustExist && { mustExist: true }),
    ...(options.readonly && { readonly: true }),
    ...(options.command && { command: options.command }),
    ...(options.onRecover && { onRecover: options.onRecover }),
  });
  return new SqliteStore(db, path);
}
