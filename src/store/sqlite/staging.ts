import type { RawPosting } from '../../types.js';
import type { DB } from './db.js';

/** Stages raw postings under `stage`, numbered from 0, replacing what the stage held. */
export function stageRaw(db: DB, stage: string, raws: readonly RawPosting[]): void {
  const insert = db.prepare('INSERT INTO staged_postings (stage, seq, raw) VALUES (?, ?, ?)');
  db.transaction(() => {
    db.prepare('DELETE FROM staged_postings WHERE stage = ?').run(stage);
    raws.forEach((raw, seq) => {
      insert.run(stage, seq, JSON.stringify(raw));
    });
  })();
}

/** Staged postings `from` (inclusive) to `to` (exclusive), in order. */
export function readStaged(db: DB, stage: string, from: number, to: number): RawPosting[] {
  const rows = db.prepare('SELECT raw FROM staged_postings WHERE stage = ? AND seq >= ? AND seq < ? ORDER BY seq').pluck().all(stage, from, to) as string[];
  return rows.map((r) => JSON.parse(r) as RawPosting);
}

/** Drops a stage, and the recorded results of jobs whose id starts with `jobPrefix`. */
export function dropStaged(db: DB, stage: string, jobPrefix?: string): void {
  db.transaction(() => {
    db.prepare('DELETE FROM staged_postings WHERE stage = ?').run(stage);
    if (jobPrefix) db.prepare('DELETE FROM job_results WHERE substr(job, 1, ?) = ?').run(jobPrefix.length, jobPrefix);
  })();
}

export function jobResult(db: DB, job: string): string | undefined {
  return db.prepare('SELECT result FROM job_results WHERE job = ?').pluck().get(job) as string | undefined;
}

/** Records a job's result; a job recorded already keeps its first result. */
export function recordJob(db: DB, job: string, result: string, at: string): void {
  db.prepare('INSERT INTO job_results (job, result, stored_at) VALUES (?, ?, ?) ON CONFLICT (job) DO NOTHING').run(job, result, at);
}
