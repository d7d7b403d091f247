// Builds a store of N synthetic postings (about 6 skills each) straight through SQL, then times
// every report kind on it.
//   node bench/report.mjs <file.sqlite | postgres://...> <N> [--schema <name>] [--keep]
// A SQLite file is made anew; on PostgreSQL the schema (default bench_report) is dropped and made
// anew, and dropped again afterwards unless --keep. The same seed gives the same postings on both.
import { existsSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { buildReport, compileTaxonomy, isPostgresUrl, loadTaxonomy, openStore } from './lib.mjs';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { schema: { type: 'string', default: 'bench_report' }, keep: { type: 'boolean', default: false } } });
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
      batch.push({ id, day, skills: [...chosen] });
    }
    yield batch;
  }
}

const t0 = performance.now();
let rows = 0;
let store;
let pgClient;
if (onPostgres) {
  pgClient = new pg.Client({ connectionString: target });
  await pgClient.connect();
  await pgClient.query(`DROP SCHEMA IF EXISTS ${values.schema} CASCADE`);
  store = await openStore(target, { schema: values.schema });
  await pgClient.query(`SET search_path = ${values.schema}`);
  await store.upsertSkills(compiled.taxonomy);
  await pgClient.query("INSERT INTO runs (command, started_at, status, taxonomy_version, extractor_version) VALUES ('bench', '2026-01-01', 'ok', $1, 'bench')", [compiled.taxonomy.version]);
  for (const batch of batches(20000)) {
    const keys = await pgClient.query(
      `INSERT INTO postings (id, source, origin, text, sections, content_hash, first_seen, last_seen, period_date, taxonomy_version, extractor_version)
       SELECT id, 'bench', 'bench', '', '[]', id, day, day, day, $3, 'bench' FROM unnest($1::text[], $2::text[]) AS t(id, day) RETURNING key, id`,
      [batch.map((p) => p.id), batch.map((p) => p.day), compiled.taxonomy.version],
    );
    const keyOf = new Map(keys.rows.map((r) => [r.id, r.key]));
    const postingKeys = [];
    const skillIds = [];
    for (const p of batch) for (const s of p.skills) postingKeys.push(keyOf.get(p.id)) && skillIds.push(s);
    await pgClient.query(
      `INSERT INTO posting_skills (posting_key, skill_id, requirement, negated, confidence, mention_count)
       SELECT k, s, 'required', 0, 0.9, 1 FROM unnest($1::bigint[], $2::text[]) AS t(k, s)`,
      [postingKeys, skillIds],
    );
    rows += skillIds.length;
  }
  await store.recountDaily();
  await pgClient.query('ANALYZE');
} else {
  for (const s of ['', '-wal', '-shm']) if (existsSync(`${target}${s}`)) rmSync(`${target}${s}`);
  store = await openStore(target);
  const db = store.db;
  await store.upsertSkills(compiled.taxonomy);
  db.prepare("INSERT INTO runs (command, started_at, status, taxonomy_version, extractor_version) VALUES ('bench', '2026-01-01', 'ok', ?, 'bench')").run(compiled.taxonomy.version);
  const insertPosting = db.prepare(`INSERT INTO postings (id, source, origin, text, sections, content_hash, first_seen, last_seen, period_date, taxonomy_version, extractor_version)
    VALUES (?, 'bench', 'bench', '', '[]', ?, ?, ?, ?, ?, 'bench')`);
  const insertPs = db.prepare("INSERT INTO posting_skills (posting_key, skill_id, requirement, negated, confidence, mention_count) VALUES (?, ?, 'required', 0, 0.9, 1)");
  for (const batch of batches(20000)) {
    db.transaction(() => {
      for (const p of batch) {
        const key = insertPosting.run(p.id, p.id, p.day, p.day, p.day, compiled.taxonomy.version).lastInsertRowid;
        for (const s of p.skills) insertPs.run(key, s);
        rows += p.skills.length;
      }
    })();
  }
  await store.recountDaily();
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
const summaryMs = await time({ kind: 'summary' }, 5);
// The other kinds read every skill row at least once: timed once each.
const totals = (await store.readSkillTotals({})).totals;
const topSkill = [...totals].sort((a, b) => b[1] - a[1])[0][0];
const kindsMs = {
  trends: await time({ kind: 'trends' }, 1),
  [`skill ${topSkill}`]: await time({ kind: 'skill', skill: topSkill }, 1),
  cooccurrence: await time({ kind: 'cooccurrence' }, 1),
  emerging: await time({ kind: 'emerging', period: 'quarter' }, 1),
  salary: await time({ kind: 'salary' }, 1),
};
await store.close();
if (pgClient) {
  if (!values.keep) await pgClient.query(`DROP SCHEMA ${values.schema} CASCADE`);
  await pgClient.end();
}
console.log(JSON.stringify({ store: onPostgres ? 'postgres' : 'sqlite', postings: n, skillRows: rows, buildSeconds, runs: 5, summaryMs, kindsMs }));
