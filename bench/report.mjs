// Builds a database of N synthetic postings (about 6 skills each) straight through SQL, then times
// every report kind on it.   node bench/report.mjs <db> <N>
import { existsSync, rmSync } from 'node:fs';
import { buildReport, compileTaxonomy, loadTaxonomy, openSqliteStore, recountDaily } from './lib.mjs';

const [path, nArg] = process.argv.slice(2);
const n = Number(nArg);
for (const s of ['', '-wal', '-shm']) if (existsSync(`${path}${s}`)) rmSync(`${path}${s}`);
const compiled = compileTaxonomy(loadTaxonomy());
const store = await openSqliteStore(path);
const db = store.db;
const t0 = performance.now();
const skills = compiled.skills.slice(0, 300).map((s) => s.id);
db.prepare("INSERT INTO runs (command, started_at, status, taxonomy_version, extractor_version) VALUES ('bench', '2026-01-01', 'ok', ?, 'bench')").run(compiled.taxonomy.version);
const insertSkill = db.prepare('INSERT INTO skills (id, name, category, parent, taxonomy_version) VALUES (?, ?, ?, ?, ?)');
db.transaction(() => {
  for (const s of compiled.skills) insertSkill.run(s.id, s.name, s.category, s.parent ?? null, compiled.taxonomy.version);
})();
const insertPosting = db.prepare(`INSERT INTO postings (id, source, origin, text, sections, content_hash, first_seen, last_seen, period_date, taxonomy_version, extractor_version)
  VALUES (?, 'bench', 'bench', '', '[]', ?, ?, ?, ?, ?, 'bench')`);
const insertPs = db.prepare("INSERT INTO posting_skills (posting_key, skill_id, requirement, negated, confidence, mention_count) VALUES (?, ?, 'required', 0, 0.9, 1)");
let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
let rows = 0;
const batch = 20000;
for (let start = 0; start < n; start += batch) {
  db.transaction(() => {
    for (let k = start; k < Math.min(n, start + batch); k++) {
      const id = `p${String(k).padStart(8, '0')}`;
      const day = new Date(Date.UTC(2023, 0, 1) + Math.floor(rand() * 1000) * 86_400_000).toISOString().slice(0, 10);
      const key = insertPosting.run(id, id, day, day, day, compiled.taxonomy.version).lastInsertRowid;
      const chosen = new Set();
      // Skewed picks, as real demand is: a few skills in most postings, a long tail.
      while (chosen.size < 6) chosen.add(skills[Math.floor(rand() ** 2.5 * skills.length)]);
      for (const s of chosen) insertPs.run(key, s);
      rows += chosen.size;
    }
  })();
}
recountDaily(db);
db.exec('ANALYZE');
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
const topSkill = db.prepare('SELECT skill_id FROM daily_skill_counts GROUP BY 1 ORDER BY SUM(postings) DESC LIMIT 1').pluck().get();
const kindsMs = {
  trends: await time({ kind: 'trends' }, 1),
  [`skill ${topSkill}`]: await time({ kind: 'skill', skill: topSkill }, 1),
  cooccurrence: await time({ kind: 'cooccurrence' }, 1),
  emerging: await time({ kind: 'emerging', period: 'quarter' }, 1),
  salary: await time({ kind: 'salary' }, 1),
};
await store.close();
console.log(JSON.stringify({ postings: n, skillRows: rows, buildSeconds, runs: 5, summaryMs, kindsMs }));
