import type { DB } from './db.js';

export type RunStatus = 'running' | 'ok' | 'partial' | 'failed' | 'interrupted';

export interface RunCounts {
  new: number;
  changed: number;
  unchanged: number;
  failed: number;
  mentions: number;
}

export interface RunFailure {
  input: string;
  reason: string;
}

/** Records the start of a run; returns its id. */
export function startRun(db: DB, command: string, taxonomyVersion: string, extractorVersion: string, startedAt: string): number {
  const r = db
    .prepare(`INSERT INTO runs (command, started_at, status, taxonomy_version, extractor_version) VALUES (?, ?, 'running', ?, ?)`)
    .run(command, startedAt, taxonomyVersion, extractorVersion);
  return Number(r.lastInsertRowid);
}

/** Records how a run ended, with its counts and failed inputs. */
export function finishRun(db: DB, id: number, status: RunStatus, counts: RunCounts, failures: RunFailure[], finishedAt: string): void {
  db.prepare(
    `UPDATE runs SET finished_at = ?, status = ?, new = ?, changed = ?, unchanged = ?, failed = ?, mentions = ?, failures = ?
     WHERE id = ?`,
  ).run(finishedAt, status, counts.new, counts.changed, counts.unchanged, counts.failed, counts.mentions, JSON.stringify(failures), id);
}
