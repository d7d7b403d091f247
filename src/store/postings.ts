import type { Extraction, Posting, Taxonomy } from '../types.js';
import type { DB } from './db.js';

export type SaveStatus = 'new' | 'changed' | 'unchanged';

export interface AnalyzedPosting {
  posting: Posting;
  extraction: Extraction;
}

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

/**
 * Upserts a batch of analyzed postings in one transaction. A posting whose content and versions
 * are unchanged is only marked as seen; an edited or re-extracted one has its skills replaced.
 */
export function upsertPostings(db: DB, batch: readonly AnalyzedPosting[], seenAt: string): SaveStatus[] {
  const find = db.prepare('SELECT content_hash, taxonomy_version, extractor_version FROM postings WHERE id = ?');
  const touch = db.prepare('UPDATE postings SET last_seen = ?, closed_at = NULL WHERE id = ?');
  const upsert = db.prepare(`
    INSERT INTO postings (id, source, external_id, url, origin, title, company, location, remote, posted_at, salary,
      text, sections, content_hash, first_seen, last_seen, period_date, degree, min_years, seniority,
      taxonomy_version, extractor_version)
    VALUES (@id, @source, @external_id, @url, @origin, @title, @company, @location, @remote, @posted_at, @salary,
      @text, @sections, @content_hash, @seen, @seen, @period_date, @degree, @min_years, @seniority,
      @taxonomy_version, @extractor_version)
    ON CONFLICT (id) DO UPDATE SET
      source = excluded.source, external_id = excluded.external_id, url = excluded.url, origin = excluded.origin,
      title = excluded.title, company = excluded.company, location = excluded.location, remote = excluded.remote,
      posted_at = excluded.posted_at, salary = excluded.salary, text = excluded.text, sections = excluded.sections,
      content_hash = excluded.content_hash, last_seen = excluded.last_seen, closed_at = NULL,
      period_date = COALESCE(substr(excluded.posted_at, 1, 10), postings.period_date),
      degree = excluded.degree, min_years = excluded.min_years, seniority = excluded.seniority,
      taxonomy_version = excluded.taxonomy_version, extractor_version = excluded.extractor_version`);
  const clearSkills = db.prepare('DELETE FROM posting_skills WHERE posting_id = ?');
  const clearMentions = db.prepare('DELETE FROM mentions WHERE posting_id = ?');
  const insertSkill = db.prepare(`INSERT INTO posting_skills (posting_id, skill_id, requirement, years, negated, confidence, mention_count)
    VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const insertMention = db.prepare(`INSERT OR IGNORE INTO mentions (posting_id, skill_id, start, end, text, section, sentence_start, sentence_end)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);

  return db.transaction(() =>
    batch.map(({ posting: p, extraction: x }): SaveStatus => {
      const existing = find.get(p.id) as { content_hash: string; taxonomy_version: string; extractor_version: string } | undefined;
      if (
        existing &&
        existing.content_hash === p.contentHash &&
        existing.taxonomy_version === x.taxonomyVersion &&
        existing.extractor_version === x.extractorVersion
      ) {
        touch.run(seenAt, p.id);
        return 'unchanged';
      }
      upsert.run({
        id: p.id,
        source: p.source,
        external_id: p.externalId ?? null,
        url: p.url ?? null,
        origin: p.origin,
        title: p.title ?? null,
        company: p.company ?? null,
        location: p.location ?? null,
        remote: p.remote === undefined ? null : p.remote ? 1 : 0,
        posted_at: p.postedAt ?? null,
        salary: p.salary ?? null,
        text: p.text,
        sections: JSON.stringify(p.sections),
        content_hash: p.contentHash,
        seen: seenAt,
        period_date: (p.postedAt ?? seenAt).slice(0, 10),
        degree: x.degree ?? null,
        min_years: x.minYears ?? null,
        seniority: x.seniority ?? null,
        taxonomy_version: x.taxonomyVersion,
        extractor_version: x.extractorVersion,
      });
      if (existing) {
        clearSkills.run(p.id);
        clearMentions.run(p.id);
      }
      for (const s of x.skills) {
        insertSkill.run(p.id, s.id, s.requirement, s.years ?? null, s.negated ? 1 : 0, s.confidence, s.mentions.length);
        for (const m of s.mentions) {
          insertMention.run(p.id, s.id, m.start, m.end, m.text, m.section, m.sentenceStart, m.sentenceEnd);
        }
      }
      return existing ? 'changed' : 'new';
    }),
  )();
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

/** Whether a posting of this source and external id is stored. */
export function hasPosting(db: DB, source: string, externalId: string): boolean {
  return db.prepare('SELECT 1 FROM postings WHERE source = ? AND external_id = ?').get(source, externalId) !== undefined;
}
