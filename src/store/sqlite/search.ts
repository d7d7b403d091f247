import { EVIDENCE_PER_POSTING, MAX_SEARCH_WORDS, type PostingHit, type PostingPage, type PostingQuery } from '../store.js';
import type { DB } from './db.js';
import { likeLiteral } from './queries.js';

/** WHERE clauses on postings `p` for a search (see Store.searchPostings for the contract). */
function searchWhere(q: PostingQuery): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (q.since) clauses.push('p.period_date >= ?') && params.push(q.since);
  if (q.until) clauses.push('p.period_date <= ?') && params.push(q.until);
  if (q.source) clauses.push("(p.source = ? OR p.source LIKE ? || ':%' ESCAPE '\\')") && params.push(q.source, likeLiteral(q.source));
  if (q.company) clauses.push("p.company LIKE '%' || ? || '%' ESCAPE '\\'") && params.push(likeLiteral(q.company));
  if (q.skill) clauses.push('EXISTS (SELECT 1 FROM posting_skills ps WHERE ps.posting_key = p.key AND ps.skill_id = ? AND ps.negated = 0)') && params.push(q.skill);
  // SQLite's LIKE ignores the case of ASCII letters only; PostgreSQL's ILIKE folds more.
  for (const word of (q.text ?? '').split(/\s+/).filter(Boolean).slice(0, MAX_SEARCH_WORDS)) {
    clauses.push("(p.title LIKE '%' || ? || '%' ESCAPE '\\' OR p.text LIKE '%' || ? || '%' ESCAPE '\\')");
    params.push(likeLiteral(word), likeLiteral(word));
  }
  return { where: clauses.length ? clauses.join(' AND ') : '1', params };
}

interface Row {
  key: number;
  id: string;
  date: string;
  title: string | null;
  company: string | null;
  location: string | null;
  remote: number | null;
  source: string;
  origin: string;
  url: string | null;
}

/** One page of the postings matching a search, newest first, with their skills and evidence sentences. */
export function searchPostings(db: DB, q: PostingQuery): PostingPage {
  const w = searchWhere(q);
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM postings p WHERE ${w.where}`).get(...w.params) as { n: number }).n;
  const rows = db
    .prepare(
      `SELECT p.key, p.id, p.period_date AS date, p.title, p.company, p.location, p.remote, p.source, p.origin, p.url
       FROM postings p WHERE ${w.where} ORDER BY p.period_date DESC, p.key DESC LIMIT ? OFFSET ?`,
    )
    .all(...w.params, q.limit, q.offset) as Row[];
  if (rows.length === 0) return { total, items: [] };
  const keys = rows.map((r) => r.key);
  const inKeys = `(${keys.map(() => '?').join(',')})`;
  const skills = db
    .prepare(`SELECT posting_key AS key, skill_id AS id, requirement, years, negated FROM posting_skills WHERE posting_key IN ${inKeys} ORDER BY posting_key, skill_id`)
    .all(...keys) as { key: number; id: string; requirement: PostingHit['skills'][number]['requirement']; years: number | null; negated: number }[];
  const mentions = db
    .prepare(
      `SELECT key, skill_id AS skillId, start, end, text, section, sentence_start AS s0, sentence_end AS s1 FROM (
         SELECT m.posting_key AS key, m.*, ROW_NUMBER() OVER (PARTITION BY m.posting_key ORDER BY m.start, m.skill_id) AS n
         FROM mentions m WHERE m.posting_key IN ${inKeys} ${q.skill ? 'AND m.skill_id = ?' : ''}
       ) WHERE n <= ? ORDER BY key, start, skillId`,
    )
    .all(...keys, ...(q.skill ? [q.skill] : []), EVIDENCE_PER_POSTING) as { key: number; skillId: string; start: number; end: number; text: string; section: string; s0: number; s1: number }[];
  // Sentences are cut in JavaScript: the offsets count UTF-16 units, SQLite's substr counts characters.
  const withEvidence = [...new Set(mentions.map((m) => m.key))];
  const texts = new Map(
    withEvidence.length
      ? (db.prepare(`SELECT key, text FROM postings WHERE key IN (${withEvidence.map(() => '?').join(',')})`).all(...withEvidence) as { key: number; text: string }[]).map((r) => [r.key, r.text])
      : [],
  );
  const items = rows.map(({ key, remote, ...r }): PostingHit => ({
    ...r,
    remote: remote === null ? null : remote === 1,
    skills: skills.filter((s) => s.key === key).map((s) => ({ id: s.id, requirement: s.requirement, years: s.years, negated: s.negated === 1 })),
    evidence: mentions
      .filter((m) => m.key === key)
      .map((m) => ({ skillId: m.skillId, start: m.start, end: m.end, text: m.text, section: m.section, sentence: (texts.get(key) ?? '').slice(m.s0, m.s1) })),
  }));
  return { total, items };
}
