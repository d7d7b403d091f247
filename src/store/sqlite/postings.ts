import type { Extraction, Taxonomy } from '../../types.js';
import type Database from 'better-sqlite3';
import type { AnalyzedPosting, SaveStatus } from '../store.js';
import { type CountedSkill, countedSkills, DailyDeltas, type Facet, facetKey, monthNumber, POSTING_COLUMNS, postingValues, recountSql, SkillGroups } from '../sql.js';
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
    // Categories and parents may have moved: the roll-ups are counted again under the new ones.
    db.exec('DELETE FROM daily_group_counts');
    db.exec(recountSql({ likeAnyCase: 'LIKE', name: 'sqlite' }).daily_group_counts as string);
  })();
  groupsCache.delete(db);
}

const groupsCache = new WeakMap<DB, { version: string | undefined; groups: SkillGroups }>();

/** The roll-up groups of the stored skills (see SkillGroups), read again when the skills' version changes. */
export function skillGroups(db: DB): SkillGroups {
  const version = db.prepare('SELECT taxonomy_version FROM skills LIMIT 1').pluck().get() as string | undefined;
  const cached = groupsCache.get(db);
  if (cached && cached.version === version) return cached.groups;
  const groups = new SkillGroups(db.prepare('SELECT id, category, parent FROM skills').all() as { id: string; category: string; parent: string | null }[]);
  groupsCache.set(db, { version, groups });
  return groups;
}

/** A stored posting's facet, from its row. */
export function facetOf(row: { source: string; company: string | null; location: string | null; remote: number | null }): Facet {
  return { source: row.source, company: row.company, location: row.location, remote: row.remote };
}

type Statement = Database.Statement<unknown[]>;

/** The statements of a connection, by their SQL: the writer's are prepared once, not once per batch. */
const statements = new WeakMap<DB, Map<string, Statement>>();

function prepared(db: DB, sql: string): Statement {
  let forDb = statements.get(db);
  if (!forDb) statements.set(db, (forDb = new Map()));
  let stmt = forDb.get(sql);
  if (!stmt) forDb.set(sql, (stmt = db.prepare(sql)));
  return stmt;
}

/** The statement that adds one row's counts to an aggregate table (ON CONFLICT adds them to the row there). */
function upsertStatement(db: DB, table: string, keys: readonly string[], counts: readonly string[]): Statement {
  const columns = [...keys, ...counts];
  return prepared(
    db,
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
     ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${counts.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`,
  );
}

/** The aggregates' changes of a batch (see DailyDeltas), written by the one SQLite writer. */
export class DailyCounts extends DailyDeltas {
  /** Writes the sums (inside the caller's transaction) and starts over. */
  apply(db: DB): void {
    // In key order: the rows land in the tables' b-trees one after another, not on pages at random.
    const { days, skills, facets, facetDays, sourceDays, skillSources, groups, pairs, pairLevels } = this.take(true);
    const write = (table: string, keys: string[], rows: unknown[][], counts = ['postings']) => {
      if (rows.length === 0) return;
      const stmt = upsertStatement(db, table, keys, counts);
      for (const r of rows) stmt.run(...r);
    };
    write('daily_totals', ['day'], days);
    write('daily_skill_counts', ['skill_id', 'day'], skills);
    const idOf = facetFinder(db);
    const ids = new Map(facets.map((f) => [f, idOf(f)]));
    write('daily_facet_counts', ['day', 'facet_id'], facetDays.map(([d, f, n]) => [d, ids.get(f), n]));
    write('daily_source_counts', ['day', 'source', 'remote'], sourceDays);
    write('daily_skill_sources', ['skill_id', 'day', 'source', 'remote'], skillSources, ['postings', 'required', 'preferred']);
    write('daily_group_counts', ['kind', 'scope', 'grp', 'day', 'source', 'remote'], groups, ['postings', 'required', 'preferred']);
    // The pair tables hold numbers for months, skills and slices (see DailyDeltas in store/sql.ts).
    const skill = numberer(db, 'SELECT n FROM pair_skills WHERE id = ?', 'INSERT INTO pair_skills (id) VALUES (?)');
    const sliceOf = numberer(db, 'SELECT n FROM pair_slices WHERE source = ? AND remote = ?', 'INSERT INTO pair_slices (source, remote) VALUES (?, ?)');
    // Rows come grouped by slice: the last one is asked again and again.
    let last: [string, number, number] | undefined;
    const slice = (source: string, remote: number) => {
      if (last?.[0] !== source || last[1] !== remote) last = [source, remote, sliceOf(source, remote)];
      return last[2];
    };
    write('month_pair_counts', ['month', 'a', 'b', 'slice'], pairs.map(([m, a, b, s, r, n]) => [monthNumber(m), skill(a), skill(b), slice(s, r), n]));
    write(
      'month_pair_levels',
      ['level', 'month', 'a', 'b', 'slice'],
      pairLevels.map(([level, m, a, b, s, r, n]) => [level, monthNumber(m), skill(a), skill(b), slice(s, r), n]),
    );
  }
}

/**
 * The number of a key (a skill id, or a source and remote value) in a numbering table, added when
 * new; remembered for one call of the caller (inside its transaction: a number a rolled-back
 * transaction gave is never kept).
 */
function numberer(db: DB, findSql: string, addSql: string): (first: string, ...rest: number[]) => number {
  const find = prepared(db, findSql).pluck();
  const add = prepared(db, addSql);
  const known = new Map<string, number>();
  return (first, ...rest) => {
    const k = rest.length === 0 ? first : [first, ...rest].join('\t');
    let n = known.get(k);
    if (n === undefined) known.set(k, (n = (find.get(first, ...rest) as number | undefined) ?? Number(add.run(first, ...rest).lastInsertRowid)));
    return n;
  };
}

/** The id of a facet, added to the facets table when new (inside the caller's transaction). */
function facetFinder(db: DB): (f: Facet) => number {
  const find = prepared(db, 'SELECT id FROM facets WHERE source = ? AND company IS ? AND location IS ? AND remote IS ?').pluck();
  const add = prepared(db, 'INSERT INTO facets (source, company, location, remote) VALUES (?, ?, ?, ?)');
  return (f) => {
    const values = [f.source, f.company, f.location, f.remote];
    return (find.get(...values) as number | undefined) ?? Number(add.run(...values).lastInsertRowid);
  };
}

/** The skills a stored posting is counted under. */
export function storedSkills(db: DB): (key: number) => CountedSkill[] {
  const counted = prepared(db, 'SELECT skill_id AS id, requirement FROM posting_skills WHERE posting_key = ? AND negated = 0');
  return (key) => counted.all(key) as CountedSkill[];
}

/**
 * Writes one posting's skills and mentions, replacing those stored before (`replace`); the caller
 * counts them. Each skill row carries the posting's facet and day (`facet`, `day`).
 */
export function skillWriter(db: DB): (key: number, extraction: Extraction, replace: boolean, facet: Facet, day: string) => void {
  const clearSkills = prepared(db, 'DELETE FROM posting_skills WHERE posting_key = ?');
  const clearMentions = prepared(db, 'DELETE FROM mentions WHERE posting_key = ?');
  const insertSkill = prepared(db, `INSERT INTO posting_skills (posting_key, skill_id, requirement, years, negated, confidence, mention_count, facet_id, period_date)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  // Most postings of a batch share a few facets: each is looked up once a call of the writer.
  const idOf = facetFinder(db);
  const ids = new Map<string, number>();
  const insertMention = prepared(db, `INSERT OR IGNORE INTO mentions (posting_key, skill_id, start, end, text, section, sentence_start, sentence_end)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  return (key, x, replace, facet, day) => {
    if (replace) {
      clearSkills.run(key);
      clearMentions.run(key);
    }
    if (x.skills.length === 0) return;
    const fk = facetKey(facet);
    let facetId = ids.get(fk);
    if (facetId === undefined) ids.set(fk, (facetId = idOf(facet)));
    for (const s of x.skills) {
      insertSkill.run(key, s.id, s.requirement, s.years ?? null, s.negated ? 1 : 0, s.confidence, s.mentions.length, facetId, day);
      for (const m of s.mentions) insertMention.run(key, s.id, m.start, m.end, m.text, m.section, m.sentenceStart, m.sentenceEnd);
    }
  };
}

/** The facet of the values a posting is written with (source, external id, url, origin, title, company, location, remote, ...). */
function rowFacet(values: unknown[]): Facet {
  return { source: values[0] as string, company: values[5] as string | null, location: values[6] as string | null, remote: values[7] as number | null };
}

const COLUMNS = POSTING_COLUMNS.join(', ');

/**
 * Upserts a batch of analyzed postings in one transaction. A posting whose content and versions
 * are unchanged is only marked as seen; an edited or re-extracted one has its skills replaced.
 */
export function upsertPostings(db: DB, batch: readonly AnalyzedPosting[], seenAt: string, job?: string): SaveStatus[] {
  const find = prepared(db, 'SELECT key, period_date, content_hash, taxonomy_version, extractor_version, source, company, location, remote FROM postings WHERE id = ?');
  const touch = prepared(db, 'UPDATE postings SET last_seen = ?, closed_at = NULL WHERE key = ?');
  const insert = prepared(db, `INSERT INTO postings (${COLUMNS}, id, first_seen, last_seen, period_date)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const update = prepared(db, `UPDATE postings SET (${COLUMNS}, last_seen, closed_at, period_date)
    = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?) WHERE key = ?`);
  const hashText = prepared(db, 'INSERT INTO text_hashes (posting_key, text_hash) VALUES (?, ?) ON CONFLICT (posting_key) DO UPDATE SET text_hash = excluded.text_hash');
  const writeSkills = skillWriter(db);
  const skillsOf = storedSkills(db);

  return db.transaction(() => {
    const counts = new DailyCounts(skillGroups(db));
    const done = job === undefined ? undefined : jobResult(db, job);
    if (done !== undefined) return JSON.parse(done) as SaveStatus[];
    const statuses = batch.map(({ posting: p, extraction: x }): SaveStatus => {
      const existing = find.get(p.id) as
        | { key: number; period_date: string; content_hash: string; taxonomy_version: string; extractor_version: string; source: string; company: string | null; location: string | null; remote: number | null }
        | undefined;
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
        // Its contribution as counted is taken away, and the new one added.
        counts.count(existing.period_date, facetOf(existing), skillsOf(existing.key), -1);
        update.run(...values, seenAt, day, existing.key);
        hashText.run(existing.key, p.textHash);
        const facet = rowFacet(values);
        writeSkills(existing.key, x, true, facet, day);
        counts.count(day, facet, countedSkills(x), 1);
        return 'changed';
      }
      const day = (p.postedAt ?? seenAt).slice(0, 10);
      const key = Number(insert.run(...values, p.id, seenAt, seenAt, day).lastInsertRowid);
      hashText.run(key, p.textHash);
      const facet = rowFacet(values);
      writeSkills(key, x, false, facet, day);
      counts.count(day, facet, countedSkills(x), 1);
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
