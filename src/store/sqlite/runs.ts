import type { RunCounts, RunFailure, RunRow, RunStatus } from '../store.js';
import type { DB } from './db.js';


/** Records the start of a run; returns its id. */
export function startRun(db: DB, command: string, taxonomyVersion: string, extractorVersion: string, startedAt: string, configHash?: string): number {
  const r = db
    .prepare(`INSERT INTO runs (command, started_at, status, taxonomy_version, extractor_version, config_hash) VALUES (?, ?, 'running', ?, ?, ?)`)
    .run(command, startedAt, taxonomyVersion, extractorVersion, configHash ?? null);
  return Number(r.lastInsertRowid);
}

/** Records how a run ended, with its counts and failed inputs. */
export function finishRun(db: DB, id: number, status: RunStatus, counts: RunCounts, failures: RunFailure[], finishedAt: string): void {
  db.prepare(
    `UPDATE runs SET finished_at = ?, status = ?, new = ?, changed = ?, unchanged = ?, failed = ?, mentions = ?, closed = ?,
       reextracted = ?, failures = ? WHERE id = ?`,
  ).run(finishedAt, status, counts.new, counts.changed, counts.unchanged, counts.failed, counts.mentions, counts.closed, counts.reextracted, JSON.stringify(failures), id);
}

/** Runs still marked running while this process holds the lock (every writer holds it) were killed: recorded as interrupted. */
export function markDeadRunsInterrupted(db: DB, at: string): number {
  return db.prepare("UPDATE runs SET status = 'interrupted', finished_at = COALESCE(finished_at, ?) WHERE status = 'running'").run(at).changes;
}


/** The latest runs, newest first. */
export function listRuns(db: DB, last = 20): RunRow[] {
  return db.prepare('SELECT * FROM runs ORDER BY id DESC LIMIT ?').all(last) as RunRow[];
}
