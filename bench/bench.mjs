#!/usr/bin/env node
// skillpulse benchmark: npm run bench -- [--size N] [--naive-size N] [--report-size N] [--report-store postgres://...] [--variants shipped,trie,naive] [--no-hn] [--startup-runs N] [--out file.json]
// Measures, in one run, postings/s, MB/s, peak memory and per-stage time for (a) the pipeline as
// shipped, (b) the naive design (compromise tags every posting in full), (c) a bare trie pass with
// no qualifiers (the floor), on a seeded generated corpus and, when present, on the Hacker News
// corpus in ../shared/data; then times the summary report on a generated database of --report-size
// postings (SQLite, and PostgreSQL too with --report-store <url>); first of all, the CLI's start-up time as ratios to `node -e 0` (startup.mjs).
// A benchmark, not a test: it asserts nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeCorpus } from './corpus.mjs';
import { measureStartup } from './startup.mjs';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '100000' },
    'naive-size': { type: 'string', default: '300' },
    'stage-size': { type: 'string', default: '5000' },
    'report-size': { type: 'string', default: '1000000' },
    'report-store': { type: 'string' },
    variants: { type: 'string', default: 'shipped,trie,naive' },
    'no-hn': { type: 'boolean', default: false },
    'startup-runs': { type: 'string', default: '9' },
    out: { type: 'string' },
  },
});
const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..');
const work = mkdtempSync(join(tmpdir(), 'skillpulse-bench-'));
const size = Number(values.size);
const wanted = new Set(values.variants.split(','));
for (const v of wanted) if (!['shipped', 'trie', 'naive'].includes(v)) throw new Error(`--variants: unknown variant ${v} (shipped, trie, naive)`);

function variant(name, corpus, limit) {
  const db = join(work, `${name}-${Math.random().toString(36).slice(2)}.sqlite`);
  const r = spawnSync(process.execPath, [join(here, 'variant.mjs'), name, corpus, db, ...(limit ? [String(limit)] : [])], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${name} failed: ${r.stderr}`);
  rmSync(db, { force: true });
  rmSync(`${db}-wal`, { force: true });
  rmSync(`${db}-shm`, { force: true });
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

function rates(r, bytesPerPosting) {
  const secs = r.ms / 1000;
  return {
    postings: r.postings,
    seconds: Number(secs.toFixed(2)),
    postingsPerSec: Math.round(r.postings / secs),
    mbPerSec: Number(((r.postings * bytesPerPosting) / 1e6 / secs).toFixed(2)),
    peakRssMb: r.peakRssMb,
    ...(r.stages && { stagesMsPerPosting: Object.fromEntries(Object.entries(r.stages).map(([k, v]) => [k, Number((v / r.postings).toFixed(4))])) }),
  };
}

function corpusRun(name, path, postings) {
  const bytes = statSync(path).size;
  const perPosting = bytes / postings;
  console.error(`bench: ${name}: ${postings} postings, ${(bytes / 1e6).toFixed(1)} MB`);
  const shipped = wanted.has('shipped') ? rates(variant('shipped', path), perPosting) : undefined;
  if (shipped) console.error(`bench:   shipped ${shipped.postingsPerSec}/s, peak ${shipped.peakRssMb} MB`);
  const stages = wanted.has('shipped') ? rates(variant('stages', path, Math.min(postings, Number(values['stage-size']))), perPosting) : undefined;
  const floor = wanted.has('shipped') ? rates(variant('floor', path), perPosting) : undefined;
  if (floor) console.error(`bench:   floor ${floor.postingsPerSec}/s (read, parse, strip tags, one scan; one thread)`);
  const trie = wanted.has('trie') ? rates(variant('trie', path), perPosting) : undefined;
  if (trie) console.error(`bench:   trie ${trie.postingsPerSec}/s`);
  const naive = wanted.has('naive') ? rates(variant('naive', path, Number(values['naive-size'])), perPosting) : undefined;
  if (naive) console.error(`bench:   naive ${naive.postingsPerSec}/s (on ${naive.postings} postings)`);
  const ratio = (a, b) => (a && b ? Number((a.postingsPerSec / b.postingsPerSec).toFixed(2)) : null);
  return {
    corpus: name,
    postings,
    mb: Number((bytes / 1e6).toFixed(1)),
    shipped: shipped ?? null,
    stages: stages?.stagesMsPerPosting ?? null,
    naive: naive ?? null,
    trie: trie ?? null,
    floor: floor ?? null,
    ratios: { shippedOverNaive: ratio(shipped, naive), trieOverShipped: ratio(trie, shipped), shippedOverFloor: ratio(floor, shipped) },
  };
}

// Start-up first, while nothing else of the bench has warmed or loaded the machine.
const startup = Number(values['startup-runs']) > 0 ? measureStartup(Number(values['startup-runs'])) : null;
if (startup) console.error(`bench: start-up --help ${startup.ratios.help}x, extract ${startup.ratios.extract}x of node -e 0`);

const results = [];
const generated = join(work, 'generated.jsonl');
await writeCorpus(generated, size, 42);
results.push(corpusRun(`generated (seed 42)`, generated, size));

const hnDir = join(root, '..', 'shared', 'data', 'hn-whoishiring-2013-2018');
if (!values['no-hn'] && existsSync(hnDir)) {
  const hn = join(work, 'hn.jsonl');
  execFileSync(process.execPath, [join(root, 'scripts', 'hn-to-jsonl.mjs'), hnDir, hn], { stdio: ['ignore', 'ignore', 'inherit'] });
  const count = Number(execFileSync('wc', ['-l', hn], { encoding: 'utf8' }).trim().split(/\s+/)[0]);
  results.push(corpusRun('hn-whoishiring-2013-2018', hn, count));
} else if (!values['no-hn']) {
  console.error(`bench: ${hnDir} not found; the Hacker News corpus is skipped`);
}

const reports = [];
if (Number(values['report-size']) > 0) {
  for (const target of [join(work, 'report.sqlite'), ...(values['report-store'] ? [values['report-store']] : [])]) {
    const r = spawnSync(process.execPath, [join(here, 'report.mjs'), target, values['report-size']], { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] });
    if (r.status !== 0) throw new Error('report bench failed');
    reports.push(JSON.parse(r.stdout.trim().split('\n').pop()));
  }
}

const machine = { cpus: cpus().length, parallelism: availableParallelism(), model: cpus()[0]?.model ?? '?', memGb: Math.round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform}-${process.arch}` };
const out = { machine, date: new Date().toISOString(), startup, corpora: results, reports, ...results[0] };
rmSync(work, { recursive: true, force: true });

const pad = (s, n) => String(s).padStart(n);
console.log(`skillpulse bench on ${machine.cpus} x ${machine.model}, ${machine.memGb} GiB, Node ${machine.node}`);
if (startup) {
  const s = startup;
  console.log(`\nstart-up, median of ${s.runs}: node -e 0 ${s.ms.node} ms; --help ${s.ms.help} ms (${s.ratios.help}x); extract one posting ${s.ms.extract} ms (${s.ratios.extract}x), without the taxonomy snapshot ${s.ms.extractCold} ms (${s.ratios.extractCold}x)`);
}
for (const r of results) {
  console.log(`\n${r.corpus}: ${r.postings} postings, ${r.mb} MB`);
  console.log(`${'variant'.padEnd(10)}${pad('postings', 10)}${pad('seconds', 10)}${pad('postings/s', 12)}${pad('MB/s', 8)}${pad('peak MB', 9)}`);
  for (const [name, v] of [['shipped', r.shipped], ['naive', r.naive], ['trie', r.trie], ['floor', r.floor]]) {
    if (!v) continue;
    console.log(`${name.padEnd(10)}${pad(v.postings, 10)}${pad(v.seconds, 10)}${pad(v.postingsPerSec, 12)}${pad(v.mbPerSec, 8)}${pad(v.peakRssMb, 9)}`);
  }
  if (r.stages) console.log(`stages, ms per posting on one thread: ${Object.entries(r.stages).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  if (r.ratios.shippedOverNaive) console.log(`shipped / naive: ${r.ratios.shippedOverNaive}x`);
  if (r.ratios.trieOverShipped) console.log(`trie / shipped: ${r.ratios.trieOverShipped}x`);
  if (r.ratios.shippedOverFloor) console.log(`shipped takes ${r.ratios.shippedOverFloor}x the floor's time (issue 17's goal: at most 10x)`);
}
for (const report of reports) {
  console.log(`\nreports on ${report.postings} postings in ${report.store} (${report.skillRows} skill rows; database built in ${report.buildSeconds} s):`);
  console.log(`summary ${report.summaryMs} ms (median of ${report.runs}); once each: ${Object.entries(report.kindsMs).map(([k, v]) => `${k} ${v} ms`).join(', ')}`);
}
if (values.out) {
  writeFileSync(values.out, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`\nwrote ${values.out}`);
}
