// Builds a store of N synthetic postings (about 6 skills each) straight through SQL, then times
// every report kind on it, unfiltered and under each filter the CLI offers (and a few together).
//   node bench/report.mjs <file.sqlite | postgres://...> <N> [--schema <name>] [--keep] [--reuse] [--no-filters] [--only <kind,...>]
// A SQLite file is made anew; on PostgreSQL the schema (default bench_report) is dropped and made
// anew, and dropped again afterwards unless --keep. With --reuse, a store left by an earlier run
// (--keep on PostgreSQL) is timed as it is (opening it applies any new migration). The same seed
// gives the same postings on both. Source, company, location, remote and each skill's requirement
// follow from the posting's number, so that every filter keeps some postings.
import { existsSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { buildReport, compileTaxonomy, isPostgresUrl, loadTaxonomy, openStore } from './lib.mjs';

const { positionals, values } = parseArgs({ allowPositionals: true, options: {
    schema: { type: 'string', default: 'bench_report' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
    'no-filters': { type: 'boolean', default: false },
    only: { type: 'string' },
  },
 });
const [target, nArg] = positionals;
const n = Number(nArg);
const onPostgres = isPostgresUrl(target);
const compiled = compileTaxonomy(loadTaxonomy());
const skills = compiled.skills.slice(0, 300).map((s) => s.id);

/** The synthetic postings, in batches: id, day, and six skills with skewed picks (a few in most postings, a long tail). */
function* batches(size) {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let start = 0; start < n; start += size) {
    const batch = [];
    for (let k = start; k < Math.min(n, start + size); k++) {
      const id = `p${String(k).padStart(8, '0')}`;
      const day = new Date(Date.UTC(2023, 0, 1) + Math.floor(rand() * 1000) * 86_400_000).toISOString().slice(0, 10);
      const chosen = new Set();
      while (chosen.size < 6) chosen.add(skills[Math.floor(rand() ** 2.5 * skills.length)]);
      batch.push({ id, day, skills: [...chosen], ...facetOf(k) });
    }
    yield batch;
  }
}

const SOURCES = ['greenhouse:acme', 'greenhouse:globex', 'lever:initech', 'hn'];
const REQUIREMENTS = ['required', 'preferred', 'unspecified'];
/** A posting's source, company (2,000 of them), location (50), remote (yes, no, not stated), from its number. */
function facetOf(k) {
  return { source: SOURCES[k % 4], company: `Company ${k % 2000}`, location: `City ${(k * 7) % 50}`, remote: [1, 0, null][k % 3] };
}
/** How posting k asks for its j-th skill. */
const requirementOf = (k, j) => REQUIREMENTS[(k + j) % 3];

const t0 = performance.now();
let rows = 0;
let store;
let pgClient;
const reused = values.reuse && (onPostgres ? await schemaExists() : existsSync(target));
async function schemaExists() {
  const c = new pg.Client({ connectionString: target });
  await c.connect();
  const found = (await c.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [values.schema])).rowCount > 0;
  await c.end();
  return found;
}
if (reused) {
  store = await openStore(target, onPostgres ? { schema: values.schema } : {});
  if (onPostgres) {
    pgClient = new pg.Client({ connectionString: target });
    await pgClient.connect();
  }
} else if (onPostgres) {
  pgClient = new pg.Client({ connectionString: target });
  await pgClient.connect();
  await pgClient.query(`DROP SCHEMA IF EXISTS ${values.schema} CASCADE`);
  store = await openStore(target, { schema: values.schema });
  await pgClient.query(`SET search_path = ${values.schema}`);
  await store.upsertSkills(compiled.taxonomy);
  await pgClient.query("INSERT INTO runs (command, started_at, status, taxonomy_version, extractor_version) VALUES ('bench', '2026-01-01', 'ok', $1, 'bench')", [compiled.taxonomy.version]);
  for (const batch of batches(20000)) {
    const keys = await pgClient.query(
      `INSERT INTO postings (id, source, company, location, remote, origin, text, sections, content_hash, first_seen, last_seen, period_date, taxonomy_version, extractor_version)
       SELECT id, source, company, location, remote, 'bench', '', '[]', id, day, day, day, $3, 'bench'
       FROM unnest($1::text[], $2::text[], $4::text[], $5::text[], $6::text[], $7::int[]) AS t(id, day, source, company, location, remote) RETURNING key, id`,
      [
        batch.map((p) => p.id),
        batch.map((p) => p.day),
        compiled.taxonomy.version,
        batch.map((p) => p.source),
        batch.map((p) => p.company),
        batch.map((p) => p.location),
        batch.map((p) => p.remote),
      ],
    );
    const keyOf = new Map(keys.rows.map((r) => [r.id, r.key]));
    const postingKeys = [];
    const skillIds = [];
    const requirements = [];
    for (const p of batch) {
      const k = Number(p.id.slice(1));
      p.skills.forEach((s, j) => {
        postingKeys.push(keyOf.get(p.id));
        skillIds.push(s);
        requirements.push(requirementOf(k, j));
      });
    }
    await pgClient.query(
      `INSERT INTO posting_skills (posting_key, skill_id, requirement, negated, confidence, mention_count)
       SELECT k, s, r, 0, 0.9, 1 FROM unnest($1::bigint[], $2::text[], $3::text[]) AS t(k, s, r)`,
      [postingKeys, skillIds, requirements],
    );
    rows += skillIds.length;
  }
  await store.recountDaily();
  // The recount gave every skill row its facet by UPDATE: vacuumed, the covering indexes are read
  // without visiting the table (as in a store its writers filled, or after \`db vacuum\`).
  await pgClient.query('VACUUM (ANALYZE) posting_skills, postings');
  await pgClient.query('ANALYZE');
} else {
  for (const s of ['', '-wal', '-shm']) if (existsSync(`${target}${s}`)) rmSync(`${target}${s}`);
  store = await openStore(target);
  const db = store.db;
  await store.upsertSkills(compiled.taxonomy);
  db.prepare("INSERT INTO runs (command, started_at, status, taxonomy_version, extractor_version) VALUES ('bench', '2026-01-01', 'ok', ?, 'bench')").run(compiled.taxonomy.version);
  const insertPosting = db.prepare(`INSERT INTO postings (id, source, company, location, remote, origin, text, sections, content_hash, first_seen, last_seen, period_date, taxonomy_version, extractor_version)
    VALUES (?, ?, ?, ?, ?, 'bench', '', '[]', ?, ?, ?, ?, ?, 'bench')`);
  const insertPs = db.prepare('INSERT INTO posting_skills (posting_key, skill_id, requirement, negated, confidence, mention_count) VALUES (?, ?, ?, 0, 0.9, 1)');
  for (const batch of batches(20000)) {
    db.transaction(() => {
      for (const p of batch) {
        const key = insertPosting.run(p.id, p.source, p.company, p.location, p.remote, p.id, p.day, p.day, p.day, compiled.taxonomy.version).lastInsertRowid;
        const k = Number(p.id.slice(1));
        p.skills.forEach((s, j) => {
          insertPs.run(key, s, requirementOf(k, j));
        });
        rows += p.skills.length;
      }
    })();
  }
  // The recount sorts tens of millions of pairs: in memory, not through temporary files (hours on a loaded disk).
  db.pragma('temp_store = MEMORY');
  db.pragma('cache_size = -1000000');
  await store.recountDaily();
  db.pragma('cache_size = -2000');
  db.exec('ANALYZE');
}
const buildSeconds = Number(((performance.now() - t0) / 1000).toFixed(1));

const time = async (request, times) => {
  const runs = [];
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    await buildReport(store, { period: 'month', filters: {}, top: 25, ...request }, () => compiled);
    runs.push(performance.now() - t);
  }
  runs.sort((a, b) => a - b);
  return Math.round(runs[runs.length >> 1]);
};
const only = values.only ? new Set(values.only.split(',')) : undefined;
const summaryMs = !only || only.has('summary') ? await time({ kind: 'summary' }, 5) : undefined;
// The other kinds read every skill row at least once: timed once each.
const totals = (await store.readSkillTotals({})).totals;
const topSkill = [...totals].sort((a, b) => b[1] - a[1])[0][0];
const kinds = {
  summary: { kind: 'summary' },
  trends: { kind: 'trends' },
  [`skill ${topSkill}`]: { kind: 'skill', skill: topSkill },
  cooccurrence: { kind: 'cooccurrence' },
  emerging: { kind: 'emerging', period: 'quarter' },
  salary: { kind: 'salary' },
};
const chosen = Object.entries(kinds).filter(([name]) => !only || only.has(name.split(' ')[0]));
const kindsMs = {};
for (const [name, request] of chosen) if (name !== 'summary') kindsMs[name] = await time(request, 1);
// Every filter of the CLI alone, and some together (dates that cut months, with a category, a source or a requirement).
const category = (await store.readSkills()).find((s) => s.id === topSkill).category;
const FILTERS = {
  'since+until': { since: '2024-03-15', until: '2025-02-10' },
  source: { source: 'greenhouse' },
  'source (one)': { source: 'hn' },
  company: { company: 'Company 42' },
  location: { location: 'City 7' },
  'remote yes': { remote: true },
  'remote no': { remote: false },
  category: { category },
  skill: { skill: topSkill },
  'requirement required': { requirement: 'required' },
  'requirement preferred': { requirement: 'preferred' },
  unique: { unique: true },
  'since+until+category': { since: '2024-03-15', until: '2025-02-10', category },
  'source+requirement': { source: 'greenhouse', requirement: 'required' },
  'source+remote+since': { source: 'greenhouse', remote: true, since: '2024-03-15' },
  'requirement+category+until': { requirement: 'preferred', category, until: '2025-02-10' },
  'company+requirement': { company: 'Company 42', requirement: 'required' },
};
const filteredMs = {};
if (!values['no-filters']) {
  for (const [fname, filters] of Object.entries(FILTERS)) {
    filteredMs[fname] = {};
    for (const [name, request] of chosen) filteredMs[fname][name.split(' ')[0]] = await time({ ...request, filters }, 1);
    console.error(`${fname}: ${JSON.stringify(filteredMs[fname])}`);
  }
}
await store.close();
if (pgClient) {
  if (!values.keep && !values.reuse) await pgClient.query(`DROP SCHEMA ${values.schema} CASCADE`);
  await pgClient.end();
}
console.log(JSON.stringify({ store: onPostgres ? 'postgres' : 'sqlite', postings: n, skillRows: rows, buildSeconds, reused, runs: 5, summaryMs, kindsMs, filteredMs }));
