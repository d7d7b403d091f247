import type { Extraction, Posting, Taxonomy } from '../../types.js';
import { type CountedSkill, compareStrings, countedSkills, DailyDeltas, type Facet, facetKey, monthNumber, POSTING_COLUMNS, postingValues, recountSql, SkillGroups } from '../sql.js';
import type { AnalyzedPosting, SaveStatus } from '../store.js';
import { type Conn, LOCKS, type PgDb } from './db.js';

/*
 * Several workers write to one PostgreSQL store at once, and the daily aggregates must stay
 * exact. How:
 *
 * - Every transaction that writes postings or their skills first takes an advisory lock per
 *   posting id (pg_advisory_xact_lock, held to commit), all of them in key order. Two workers
 *   saving the same posting take turns; under READ COMMITTED the second then reads the posting
 *   as the first committed it, so what it adds to the aggregates (minus the day and skills
 *   counted before, plus the new ones) is measured against the real state: nothing is counted
 *   twice, and an insert never races another insert of the same id.
 * - The aggregate changes of a batch are summed in memory and added in one statement per table,
 *   `INSERT ... ON CONFLICT DO UPDATE SET postings = t.postings + excluded.postings`, rows in key
 *   order: increments of one row by several workers queue on its row lock and none is lost, and
 *   no two writers take row locks in opposite orders.
 * - With a job id, the job's lock is taken before anything else and job_results is read after
 *   it: a redelivered job waits for the first delivery to commit, then finds its statuses and
 *   writes nothing. The statuses are recorded in the same transaction as the postings.
 *
 * Rather than SERIALIZABLE: every batch of a day increments the same daily_totals row, so
 * serialization failures, and whole batches run again, would be the rule under load; the locks
 * make writers wait briefly instead. What is left (a deadlock with a touch or close that updates
 * the same postings rows in another order) rolls back and runs again (PgDb.tx).
 */

interface Existing {
  key: number;
  id: string;
  period_date: string;
  content_hash: string;
  taxonomy_version: string;
  extractor_version: string;
  source: string;
  company: string | null;
  location: string | null;
  remote: number | null;
}

const facetOf = (r: { source: string; company: string | null; location: string | null; remote: number | null }): Facet => ({
  source: r.source,
  company: r.company,
  location: r.location,
  remote: r.remote,
});

const postingFacet = (p: Posting): Facet => ({ source: p.source, company: p.company ?? null, location: p.location ?? null, remote: p.remote === undefined ? null : p.remote ? 1 : 0 });

const groupsCache = new WeakMap<PgDb, { version: string | undefined; groups: SkillGroups }>();

/**
 * The roll-up groups of the stored skills, for a writer's transaction. The skills lock is taken
 * shared: upsertSkills (which takes it alone, and recounts the groups under the new skills) waits
 * for the writers counting under the old skills, and writers that come after count under the new.
 */
async function lockSkillGroups(db: PgDb, c: Conn): Promise<SkillGroups> {
  await c.lockShared(LOCKS.skills, db.schema, 'skills');
  const version = (await c.get<{ v: string }>('SELECT taxonomy_version AS v FROM skills LIMIT 1'))?.v;
  const cached = groupsCache.get(db);
  if (cached && cached.version === version) return cached.groups;
  const groups = new SkillGroups(await c.all<{ id: string; category: string; parent: string | null }>('SELECT id, category, parent FROM skills'));
  groupsCache.set(db, { version, groups });
  return groups;
}

/** The posting columns a save writes, with their types for unnest. */
const COLUMNS: [name: string, type: string][] = POSTING_COLUMNS.map((n) => [n, n === 'remote' ? 'int' : n === 'min_years' ? 'float8' : 'text']);
const NAMES = COLUMNS.map(([n]) => n).join(', ');
const ARRAYS = COLUMNS.map(([, t]) => `?::${t}[]`).join(', ');

const INSERT_POSTINGS = `INSERT INTO postings (${NAMES}, id, period_date, first_seen, last_seen)
  SELECT ${NAMES}, id, period_date, ?::text, ?::text FROM unnest(${ARRAYS}, ?::text[], ?::text[]) AS u(${NAMES}, id, period_date)
  RETURNING key, id`;
const UPDATE_POSTINGS = `UPDATE postings AS p SET (${NAMES}, last_seen, closed_at, period_date)
  = (${COLUMNS.map(([n]) => `u.${n}`).join(', ')}, ?::text, NULL, u.period_date)
  FROM unnest(?::bigint[], ${ARRAYS}, ?::text[]) AS u(key, ${NAMES}, period_date) WHERE p.key = u.key`;

/** Rows to columns: the arrays unnest takes. */
function columns(rows: readonly unknown[][], width: number): unknown[][] {
  const out: unknown[][] = Array.from({ length: width }, () => []);
  for (const row of rows) for (let k = 0; k < width; k++) (out[k] as unknown[]).push(row[k]);
  return out;
}

/**
 * The batch's items in rounds in which no id comes twice: the first time each id appears, then
 * the second ... Each round is written set-wise after the one before, so a posting listed twice
 * is saved twice in order, as the SQLite store does one by one.
 */
function rounds(ids: readonly (string | number)[]): number[][] {
  const seen = new Map<string | number, number>();
  const out: number[][] = [];
  ids.forEach((id, i) => {
    const r = seen.get(id) ?? 0;
    seen.set(id, r + 1);
    (out[r] ??= []).push(i);
  });
  return out;
}

/** Records the taxonomy's skills (replacing those of another version). */
export async function upsertSkills(db: PgDb, taxonomy: Taxonomy): Promise<void> {
  const current = async (c: Conn) => (await c.get<{ v: string }>('SELECT taxonomy_version AS v FROM skills LIMIT 1'))?.v;
  if ((await current(db)) === taxonomy.version) return;
  await db.tx(async (c) => {
    // Workers starting together would each delete and insert: one does it, the others find it done.
    await c.lock(LOCKS.skills, db.schema, ['skills']);
    if ((await current(c)) === taxonomy.version) return;
    await c.run('DELETE FROM skills');
    const s = taxonomy.skills;
    await c.run('INSERT INTO skills (id, name, category, parent, taxonomy_version) SELECT u.*, ?::text FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) AS u', [
      taxonomy.version,
      s.map((k) => k.id),
      s.map((k) => k.name),
      s.map((k) => k.category),
      s.map((k) => k.parent ?? null),
    ]);
    // Categories and parents may have moved: the roll-ups are counted again under the new ones.
    await c.run('DELETE FROM daily_group_counts');
    await c.run(recountSql({ likeAnyCase: 'ILIKE', name: 'postgres' }).daily_group_counts as string);
  });
}

/** Upserts a batch of analyzed postings in one transaction (see the comment at the top for concurrent writers). */
export async function savePostings(db: PgDb, batch: readonly AnalyzedPosting[], seenAt: string, job?: string): Promise<SaveStatus[]> {
  return db.tx(async (c) => {
    if (job !== undefined) {
      await c.lock(LOCKS.job, db.schema, [job]);
      const done = await c.get<{ result: string }>('SELECT result FROM job_results WHERE job = ?', [job]);
      if (done) return JSON.parse(done.result) as SaveStatus[];
    }
    const groups = await lockSkillGroups(db, c);
    await c.lock(LOCKS.posting, db.schema, batch.map((a) => a.posting.id));
    const counts = new DailyDeltas(groups);
    const statuses: SaveStatus[] = [];
    // Every facet of the batch at once, before any skill row is written (see facetIds).
    const facetIdOf = await facetFinder(c, batch.map((a) => postingFacet(a.posting)));
    for (const round of rounds(batch.map((a) => a.posting.id))) await saveRound(c, batch, round, seenAt, counts, statuses, facetIdOf);
    await applyDeltas(c, counts);
    if (job !== undefined) await c.run('INSERT INTO job_results (job, result, stored_at) VALUES (?, ?, ?) ON CONFLICT (job) DO NOTHING', [job, JSON.stringify(statuses), seenAt]);
    // Test hook (never set in production): the process dies here, every write of the batch made and none committed.
    if (KILL_BEFORE_COMMIT) process.kill(process.pid, 'SIGKILL');
    return statuses;
  });
}

/** The fault tests' worker killed inside a write transaction (SKILLPULSE_TEST_KILL_BEFORE_COMMIT=1). */
const KILL_BEFORE_COMMIT = process.env.SKILLPULSE_TEST_KILL_BEFORE_COMMIT === '1';

async function saveRound(
  c: Conn,
  batch: readonly AnalyzedPosting[],
  round: number[],
  seenAt: string,
  counts: DailyDeltas,
  statuses: SaveStatus[],
  facetIdOf: (f: Facet) => number,
): Promise<void> {
  const item = (i: number) => batch[i] as AnalyzedPosting;
  const found = await c.all<Existing>('SELECT key, id, period_date, content_hash, taxonomy_version, extractor_version, source, company, location, remote FROM postings WHERE id = ANY(?::text[])', [
    round.map((i) => item(i).posting.id),
  ]);
  const existing = new Map(found.map((e) => [e.id, e]));
  const touched: number[] = [];
  const changed: { i: number; key: number; day: string; previous: Existing }[] = [];
  const added: { i: number; day: string }[] = [];
  for (const i of round) {
    const { posting: p, extraction: x } = item(i);
    const e = existing.get(p.id);
    if (e && e.content_hash === p.contentHash && e.taxonomy_version === x.taxonomyVersion && e.extractor_version === x.extractorVersion) {
      touched.push(e.key);
      statuses[i] = 'unchanged';
    } else if (e) {
      // A posting keeps the day it was first counted under unless it now states its date.
      const day = p.postedAt?.slice(0, 10) ?? e.period_date;
      changed.push({ i, key: e.key, day, previous: e });
      statuses[i] = 'changed';
    } else {
      const day = (p.postedAt ?? seenAt).slice(0, 10);
      added.push({ i, day });
      statuses[i] = 'new';
    }
  }
  if (touched.length > 0) await c.run('UPDATE postings SET last_seen = ?, closed_at = NULL WHERE key = ANY(?::bigint[])', [seenAt, touched]);

  const written: { key: number; i: number; day: string }[] = [];
  if (changed.length > 0) {
    // Their contributions as counted are taken away; the new ones are added below.
    const old = await clearSkills(c, changed.map((ch) => ch.key));
    for (const ch of changed) counts.count(ch.previous.period_date, facetOf(ch.previous), old.get(ch.key) ?? [], -1);
    const values = columns(changed.map((ch) => postingValues(item(ch.i).posting, item(ch.i).extraction)), COLUMNS.length);
    await c.run(UPDATE_POSTINGS, [seenAt, changed.map((ch) => ch.key), ...values, changed.map((ch) => ch.day)]);
    written.push(...changed);
  }
  if (added.length > 0) {
    const values = columns(added.map((a) => postingValues(item(a.i).posting, item(a.i).extraction)), COLUMNS.length);
    const ids = added.map((a) => item(a.i).posting.id);
    const keys = new Map((await c.all<{ key: number; id: string }>(INSERT_POSTINGS, [seenAt, seenAt, ...values, ids, added.map((a) => a.day)])).map((r) => [r.id, r.key]));
    for (const a of added) written.push({ key: keys.get(item(a.i).posting.id) as number, i: a.i, day: a.day });
  }
  if (written.length === 0) return;
  await c.run(
    'INSERT INTO text_hashes (posting_key, text_hash) SELECT * FROM unnest(?::bigint[], ?::text[]) ON CONFLICT (posting_key) DO UPDATE SET text_hash = excluded.text_hash',
    [written.map((w) => w.key), written.map((w) => item(w.i).posting.textHash)],
  );
  await writeSkills(c, written.map((w) => ({ key: w.key, extraction: item(w.i).extraction, facetId: facetIdOf(postingFacet(item(w.i).posting)), day: w.day })));
  for (const w of written) counts.count(w.day, postingFacet(item(w.i).posting), countedSkills(item(w.i).extraction), 1);
}

/** Deletes the skills and mentions of stored postings; returns the skills each was counted under. */
async function clearSkills(c: Conn, keys: readonly number[]): Promise<Map<number, CountedSkill[]>> {
  const old = new Map<number, CountedSkill[]>();
  for (const [key, id, requirement] of await c.rows<[number, string, string]>(
    'SELECT posting_key, skill_id, requirement FROM posting_skills WHERE posting_key = ANY(?::bigint[]) AND negated = 0',
    [keys],
  )) {
    let list = old.get(key);
    if (!list) old.set(key, (list = []));
    list.push({ id, requirement });
  }
  await c.run('DELETE FROM posting_skills WHERE posting_key = ANY(?::bigint[])', [keys]);
  await c.run('DELETE FROM mentions WHERE posting_key = ANY(?::bigint[])', [keys]);
  return old;
}

/** Inserts postings' skills and mentions (the caller counts them); each skill row carries its posting's facet and day. */
async function writeSkills(c: Conn, postings: readonly { key: number; extraction: Extraction; facetId: number; day: string }[]): Promise<void> {
  const skills: unknown[][] = [];
  const mentions: unknown[][] = [];
  for (const { key, extraction: x, facetId, day } of postings) {
    for (const s of x.skills) {
      skills.push([key, s.id, s.requirement, s.years ?? null, s.negated ? 1 : 0, s.confidence, s.mentions.length, facetId, day]);
      for (const m of s.mentions) mentions.push([key, s.id, m.start, m.end, m.text, m.section, m.sentenceStart, m.sentenceEnd]);
    }
  }
  if (skills.length > 0) {
    await c.run(
      `INSERT INTO posting_skills (posting_key, skill_id, requirement, years, negated, confidence, mention_count, facet_id, period_date)
       SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[], ?::float8[], ?::int[], ?::float8[], ?::int[], ?::bigint[], ?::text[])`,
      columns(skills, 9),
    );
  }
  if (mentions.length > 0) {
    // A second mention at the same offset of the same skill is dropped, as SQLite's INSERT OR IGNORE does.
    await c.run(
      `INSERT INTO mentions (posting_key, skill_id, start, "end", text, section, sentence_start, sentence_end)
       SELECT * FROM unnest(?::bigint[], ?::text[], ?::int[], ?::int[], ?::text[], ?::text[], ?::int[], ?::int[]) ON CONFLICT DO NOTHING`,
      columns(mentions, 8),
    );
  }
}

/** Adds a batch's changes to the aggregates, rows in key order (see the comment at the top). */
async function applyDeltas(c: Conn, counts: DailyDeltas): Promise<void> {
  const { days, skills, facets, facetDays, sourceDays, skillSources, groups, pairs, pairLevels } = counts.take();
  const add = async (table: string, keys: [name: string, type: string][], rows: unknown[][], sums = ['postings']) => {
    if (rows.length === 0) return;
    const names = keys.map(([n]) => n).join(', ');
    await c.run(
      `INSERT INTO ${table} AS t (${names}, ${sums.join(', ')}) SELECT * FROM unnest(${keys.map(([, t]) => `?::${t}[]`).join(', ')}, ${sums.map(() => '?::int[]').join(', ')})
       ON CONFLICT (${names}) DO UPDATE SET ${sums.map((n) => `${n} = t.${n} + excluded.${n}`).join(', ')}`,
      columns(rows, keys.length + sums.length),
    );
  };
  // Facets first: recountDaily locks the facets table before the aggregates, so no writer holds an aggregate while it waits for facets.
  const ids = await facetIds(c, facets);
  await add('daily_totals', [['day', 'text']], days);
  await add('daily_skill_counts', [['skill_id', 'text'], ['day', 'text']], skills);
  // Sorted again by the ids the facets have in the table: the order of its primary key.
  const byKey = (a: unknown[], b: unknown[]) => {
    for (let k = 0; k < a.length - 1; k++) if (a[k] !== b[k]) return (a[k] as string | number) < (b[k] as string | number) ? -1 : 1;
    return 0;
  };
  await add('daily_facet_counts', [['day', 'text'], ['facet_id', 'bigint']], facetDays.map(([d, f, n]) => [d, ids.get(f), n]).sort(byKey));
  await add('daily_source_counts', [['day', 'text'], ['source', 'text'], ['remote', 'int']], sourceDays);
  await add('daily_skill_sources', [['skill_id', 'text'], ['day', 'text'], ['source', 'text'], ['remote', 'int']], skillSources, ['postings', 'required', 'preferred']);
  await add('daily_group_counts', [['kind', 'text'], ['scope', 'text'], ['grp', 'text'], ['day', 'text'], ['source', 'text'], ['remote', 'int']], groups, ['postings', 'required', 'preferred']);
  // The pair tables hold numbers for months, skills and slices (see DailyDeltas in store/sql.ts).
  if (pairs.length === 0) return;
  const skill = await numbers(c, 'pair_skills', ['id'], ['text'], [...pairs.flatMap(([, a, b]) => [[a], [b]])]);
  const slice = await numbers(c, 'pair_slices', ['source', 'remote'], ['text', 'int'], pairs.map(([, , , s, r]) => [s, r]));
  const n = (of: Map<string, number>, ...key: (string | number)[]) => of.get(key.join('\t')) as number;
  await add(
    'month_pair_counts',
    [['month', 'int'], ['a', 'int'], ['b', 'int'], ['slice', 'int']],
    pairs.map(([m, a, b, s, r, k]) => [monthNumber(m), n(skill, a), n(skill, b), n(slice, s, r), k]),
  );
  await add(
    'month_pair_levels',
    [['level', 'text'], ['month', 'int'], ['a', 'int'], ['b', 'int'], ['slice', 'int']],
    pairLevels.map(([level, m, a, b, s, r, k]) => [level, monthNumber(m), n(skill, a), n(skill, b), n(slice, s, r), k]),
  );
}

/**
 * The numbers of some keys (repeats allowed) in a numbering table, by the key's columns joined by
 * tabs; new keys are inserted first, in key order, so that two writers never wait on each other in
 * a circle (as facets).
 */
async function numbers(c: Conn, table: string, names: string[], types: string[], keys: (string | number)[][]): Promise<Map<string, number>> {
  const byKey = new Map(keys.map((k) => [k.join('\t'), k]));
  const sorted = [...byKey.keys()].sort(compareStrings).map((k) => byKey.get(k) as (string | number)[]);
  const cols = names.map((_, i) => sorted.map((k) => k[i]));
  const arrays = types.map((t) => `?::${t}[]`).join(', ');
  await c.run(`INSERT INTO ${table} (${names.join(', ')}) SELECT * FROM unnest(${arrays}) ON CONFLICT DO NOTHING`, cols);
  const rows = await c.rows<unknown[]>(
    `SELECT ${names.map((name) => `t.${name}`).join(', ')}, t.n FROM ${table} t JOIN unnest(${arrays}) AS u(${names.join(', ')}) ON ${names.map((name) => `t.${name} = u.${name}`).join(' AND ')}`,
    cols,
  );
  return new Map(rows.map((r) => [r.slice(0, -1).join('\t'), r[r.length - 1] as number]));
}

/**
 * The ids of some facets (repeats allowed), as a lookup by value. They are inserted when new in
 * key order, as applyDeltas inserts them: two writers adding the same two never wait on each
 * other in a circle.
 */
async function facetFinder(c: Conn, facets: readonly Facet[]): Promise<(f: Facet) => number> {
  const byKey = new Map(facets.map((f) => [facetKey(f), f]));
  const sorted = [...byKey.keys()].sort(compareStrings).map((k) => byKey.get(k) as Facet);
  const ids = await facetIds(c, sorted);
  const idByKey = new Map(sorted.map((f) => [facetKey(f), ids.get(f) as number]));
  return (f) => {
    const id = idByKey.get(facetKey(f));
    if (id === undefined) throw new Error(`facet ${facetKey(f)} was not looked up`);
    return id;
  };
}

/** The ids of facets, inserted when new (another writer may insert the same facet at once: ON CONFLICT takes its row). */
async function facetIds(c: Conn, facets: readonly Facet[]): Promise<Map<Facet, number>> {
  const ids = new Map<Facet, number>();
  if (facets.length === 0) return ids;
  const cols = [facets.map((f) => f.source), facets.map((f) => f.company), facets.map((f) => f.location), facets.map((f) => f.remote)];
  await c.run('INSERT INTO facets (source, company, location, remote) SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::int[]) ON CONFLICT DO NOTHING', cols);
  const rows = await c.rows<[number, number]>(
    `SELECT u.n, f.id FROM unnest(?::text[], ?::text[], ?::text[], ?::int[]) WITH ORDINALITY AS u(source, company, location, remote, n)
     JOIN facets f ON f.source = u.source AND f.company IS NOT DISTINCT FROM u.company AND f.location IS NOT DISTINCT FROM u.location AND f.remote IS NOT DISTINCT FROM u.remote`,
    cols,
  );
  for (const [n, id] of rows) ids.set(facets[n - 1] as Facet, id);
  return ids;
}

/** Replaces the skills and mentions of stored postings with a new extraction, in one transaction, under the postings' locks. */
export async function replaceExtractions(db: PgDb, batch: readonly { key: number; extraction: Extraction }[]): Promise<void> {
  if (batch.length === 0) return;
  await db.tx(async (c) => {
    const groups = await lockSkillGroups(db, c);
    const ids = await c.rows<[string]>('SELECT id FROM postings WHERE key = ANY(?::bigint[])', [[...new Set(batch.map((b) => b.key))]]);
    await c.lock(LOCKS.posting, db.schema, ids.map((r) => r[0]));
    const counts = new DailyDeltas(groups);
    // Only skills change here: the postings' rows are read once, and their facets' ids.
    const rows = new Map(
      (await c.all<Existing>('SELECT key, period_date, source, company, location, remote FROM postings WHERE key = ANY(?::bigint[])', [[...new Set(batch.map((b) => b.key))]])).map((r) => [
        Number(r.key),
        r,
      ]),
    );
    const facetIdOf = await facetFinder(c, [...rows.values()].map(facetOf));
    for (const round of rounds(batch.map((b) => b.key))) {
      const items = round.map((i) => batch[i] as { key: number; extraction: Extraction });
      const keys = items.map((b) => b.key);
      const old = await clearSkills(c, keys);
      await writeSkills(
        c,
        items.map((b) => {
          const row = rows.get(b.key) as Existing;
          return { ...b, facetId: facetIdOf(facetOf(row)), day: row.period_date };
        }),
      );
      for (const b of items) {
        const row = rows.get(b.key) as Existing;
        counts.count(row.period_date, facetOf(row), old.get(b.key) ?? [], -1);
        counts.count(row.period_date, facetOf(row), countedSkills(b.extraction), 1);
      }
      const x = items.map((b) => b.extraction);
      await c.run(
        `UPDATE postings AS p SET taxonomy_version = u.tv, extractor_version = u.ev, degree = u.degree, min_years = u.min_years, seniority = u.seniority
         FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::float8[], ?::text[]) AS u(key, tv, ev, degree, min_years, seniority) WHERE p.key = u.key`,
        [keys, x.map((e) => e.taxonomyVersion), x.map((e) => e.extractorVersion), x.map((e) => e.degree ?? null), x.map((e) => e.minYears ?? null), x.map((e) => e.seniority ?? null)],
      );
    }
    await applyDeltas(c, counts);
  });
}

/** Marks postings of a source as seen; with ids, each id counts the postings it matched (as SQLite's one update per id does). */
export async function touchPostings(db: PgDb, source: string, externalIds: readonly string[] | 'all-open', seenAt: string): Promise<number> {
  if (externalIds === 'all-open') return db.tx((c) => c.run('UPDATE postings SET last_seen = ? WHERE source = ? AND closed_at IS NULL', [seenAt, source]));
  if (externalIds.length === 0) return 0;
  return db.tx(async (c) => {
    const r = await c.get<{ n: number }>(
      `WITH touched AS (UPDATE postings SET last_seen = ?, closed_at = NULL WHERE source = ? AND external_id = ANY(?::text[]) RETURNING external_id)
       SELECT COUNT(*) AS n FROM touched JOIN unnest(?::text[]) AS x(id) ON x.id = touched.external_id`,
      [seenAt, source, externalIds, externalIds],
    );
    return r?.n ?? 0;
  });
}

/** Closes the open postings of a source that its latest complete listing no longer holds. */
export async function closeUnseenPostings(db: PgDb, source: string, seenAt: string): Promise<number> {
  return db.tx((c) => c.run('UPDATE postings SET closed_at = ? WHERE source = ? AND closed_at IS NULL AND last_seen < ?', [seenAt, source, seenAt]));
}

/** Of these external ids of a source, the ones stored. */
export async function knownPostings(db: PgDb, source: string, externalIds: readonly string[]): Promise<Set<string>> {
  if (externalIds.length === 0) return new Set();
  const rows = await db.rows<[string]>('SELECT DISTINCT external_id FROM postings WHERE source = ? AND external_id = ANY(?::text[])', [source, externalIds]);
  return new Set(rows.map((r) => r[0]));
}
