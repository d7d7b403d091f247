import type { Extraction, Taxonomy } from '../../types.js';
import type { AnalyzedPosting, SaveStatus } from '../store.js';
import { DailyDeltas, POSTING_COLUMNS, postingValues } from '../sql.js';
import type { DB } from './db.js';
import { jobResult, recordJob } from './staging.js';


/** Records the taxonomy's skills (replacing those of another version), so SQL users can join names. */
export function upsertSkills(db: DB, taxonomy: Taxonomy): void {
  const current = db.prepare('SELECT taxonomy_version AS v FROM skills LIMIT 1').get() as { v: string } | undefined;
  if (current?.v === taxonomy.version) return;
  const insert = db.prepare('INSERT INTO skills (id, name, category, parent, taxonomy_version) VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => {
    db.exec('DELETE FROM skills');
    for (const s of taxonomy.skills) insert.run(s.id, s.name, s.category, s.parent ?? null, taxonomy.version);
  })();
}

/** The daily aggregates' changes of a batch (see DailyDeltas), written by the one SQLite writer. */
export class DailyCounts extends DailyDeltas {
  /** Writes the sums (inside the caller's transaction) and starts over. */
  apply(db: DB): void {
    const day = db.prepare('INSERT INTO daily_totals (day, postings) VALUES (?, ?) ON CONFLICT (day) DO UPDATE SET postings = postings + excluded.postings');
    const skill = db.prepare(
      'INSERT INTO daily_skill_counts (skill_id, day, postings) VALUES (?, ?, ?) ON CONFLICT (skill_id, day) DO UPDATE SET postings = postings + excluded.postings',
    );
    const { days, skills } = this.take();
    for (const [d, n] of days) day.run(d, n);
    for (const [s, d, n] of skills) skill.run(s, d, n);
  }
}

/**
 * Writes one posting's skills and mentions, replacing those stored before (`previousDay`: the
 * day they were counted under), and records the changes to the daily counts.
 */
export function skillWriter(db: DB, counts: DailyCounts): (key: number, extraction: Extraction, day: string, previousDay?: string) => void {
  const counted = db.prepare('SELECT skill_id FROM posting_skills WHERE posting_key = ? AND negated = 0').pluck();
  const clearSkills = db.prepare('DELETE FROM posting_skills WHERE posting_key = ?');
  const clearMentions = db.prepare('DELETE FROM mentions WHERE posting_key = ?');
  const insertSkill = db.prepare(`INSERT INTO posting_skills (posting_key, skill_id, requirement, years, negated, confidence, mention_count)
    VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const insertMention = db.prepare(`INSERT OR IGNORE INTO mentions (posting_key, skill_id, start, end, text, section, sentence_start, sentence_end)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  return (key, x, day, previousDay) => {
    if (previousDay !== undefined) {
      for (const id of counted.all(key) as string[]) counts.skill(id, previousDay, -1);
      clearSkills.run(key);
      clearMentions.run(key);
    }
    for (const s of x.skills) {
      insertSkill.run(key, s.id, s.requirement, s.years ?? null, s.negated ? 1 : 0, s.confidence, s.mentions.length);
      if (!s.negated) counts.skill(s.id, day, 1);
      for (const m of s.mentions) insertMention.run(key, s.id, m.start, m.end, m.text, m.section, m.sentenceStart, m.sentenceEnd);
    }
  };
}

const COLUMNS = POSTING_COLUMNS.join(', ');

/**
 * Upserts a batch of analyzed postings in one transaction. A posting whose content and versions
 * are unchanged is only marked as seen; an edited or re-extracted one has its skills replaced.
 */
export function upsertPostings(db: DB, batch: readonly AnalyzedPosting[], seenAt: string, job?: string): SaveStatus[] {
  const find = db.prepare('SELECT key, period_date, content_hash, taxonomy_version, extractor_version FROM postings WHERE id = ?');
  const touch = db.prepare('UPDATE postings SET last_seen = ?, closed_at = NULL WHERE key = ?');
  const insert = db.prepare(`INSERT INTO postings (${COLUMNS}, id, first_seen, last_seen, period_date)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const update = db.prepare(`UPDATE postings SET (${COLUMNS}, last_seen, closed_at, period_date)
    = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?) WHERE key = ?`);
  const hashText = db.prepare('INSERT INTO text_hashes (posting_key, text_hash) VALUES (?, ?) ON CONFLICT (posting_key) DO UPDATE SET text_hash = excluded.text_hash');
  const counts = new DailyCounts();
  const writeSkills = skillWriter(db, counts);

  return db.transaction(() => {
    const done = job === undefined ? undefined : jobResult(db, job);
    if (done !== undefined) return JSON.parse(done) as SaveStatus[];
    const statuses = batch.map(({ posting: p, extraction: x }): SaveStatus => {
      const existing = find.get(p.id) as { key: number; period_date: string; content_hash: string; taxonomy_version: string; extractor_version: string } | undefined;
      if (
        existing &&
        existing.content_hash === p.contentHash &&
        existing.taxonomy_version === x.taxonomyVersion &&
        existing.extractor_version === x.extractorVersion
      ) {
        touch.run(seenAt, existing.key);
        return 'unchanged';
      }
      const values = postingValues(p, x);
      if (existing) {
        // A posting keeps the day it was first counted under unless it now states its date.
        const day = p.postedAt?.slice(0, 10) ?? existing.period_date;
        update.run(...values, seenAt, day, existing.key);
        hashText.run(existing.key, p.textHash);
        counts.posting(existing.period_date, -1);
        counts.posting(day, 1);
        writeSkills(existing.key, x, day, existing.period_date);
        return 'changed';
      }
      const day = (p.postedAt ?? seenAt).slice(0, 10);
      const key = Number(insert.run(...values, p.id, seenAt, seenAt, day).lastInsertRowid);
      hashText.run(key, p.textHash);
      counts.posting(day, 1);
      writeSkills(key, x, day);
      return 'new';
    });
    counts.apply(db);
    if (job !== undefined) recordJob(db, job, JSON.stringify(statuses), seenAt);
    return statuses;
  })();
}

/** Marks postings of a source as seen (a 304 listing, or comments known and not fetched again). */
export function touchPostings(db: DB, source: string, externalIds: readonly string[] | 'all-open', seenAt: string): number {
  if (externalIds === 'all-open') {
    return db.prepare('UPDATE postings SET last_seen = ? WHERE source = ? AND closed_at IS NULL').run(seenAt, source).changes;
  }
  const touch = db.prepare('UPDATE postings SET last_seen = ?, closed_at = NULL WHERE source = ? AND external_id = ?');
  return db.transaction(() => externalIds.reduce((n, id) => n + touch.run(seenAt, source, id).changes, 0))();
}

/** Closes the open postings of a source that its latest complete listing no longer holds. */
export function closeUnseenPostings(db: DB, source: string, seenAt: string): number {
  return db.prepare('UPDATE postings SET closed_at = ? WHERE source = ? AND closed_at IS NULL AND last_seen < ?').run(seenAt, source, seenAt).changes;
}

/** Of these external ids of a source, the ones stored. */
export function knownPostings(db: DB, source: string, externalIds: readonly string[]): Set<string> {
  const has = db.prepare('SELECT 1 FROM postings WHERE source = ? AND external_id = ?').pluck();
  return new Set(externalIds.filter((id) => has.get(source, id) !== undefined));
}
