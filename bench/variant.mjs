// One benchmark variant in its own process, so its peak memory is its own:
//   node bench/variant.mjs <shipped|stages|naive|trie> <corpus.jsonl> <new.sqlite> [limit]
//   node bench/variant.mjs floor <corpus.jsonl> [- limit]     (the floor writes no database)
// Prints one JSON line: { postings, bytes, ms, peakRssMb, stages? }.
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setFlagsFromString } from 'node:v8';
import nlp from 'compromise';
import { extractPosting, loadCompiledTaxonomy, normalizePosting, openSqliteStore, readPostingFiles, recordRawFromLine } from './lib.mjs';
import { analyzeItems, findCandidates, tokenize, upsertPostings } from './lib.mjs';

const [variant, corpus, dbPath, limitArg] = process.argv.slice(2);
// As the CLI sets it (src/cli/bin.ts): heaps grow to 1.5 times what survives a full collection.
setFlagsFromString('--heap-growing-percent=50');
const limit = limitArg ? Number(limitArg) : Number.POSITIVE_INFINITY;
// The compiled taxonomy's snapshot, as the CLI keeps one: the main thread makes it (or finds it)
// before the clock starts, and the workers load it, as they do under `skillpulse analyze`.
const cacheDir = join(tmpdir(), 'skillpulse-bench-cache');
const compiled = loadCompiledTaxonomy({ cacheDir });
// The floor stores nothing: it opens no database (and leaves no file behind).
const store = variant === 'floor' ? undefined : await openSqliteStore(dbPath);
const db = store?.db;
const now = () => performance.now();

async function shipped() {
  const t0 = now();
  // As `skillpulse analyze` runs it: worker threads for large batches (cores - 1), which load the
  // taxonomy's snapshot.
  const s = await analyzeItems(readPostingFiles([corpus]), store, compiled, { command: 'bench', parallel: { cacheDir } });
  return { postings: s.new + s.changed + s.unchanged, ms: now() - t0 };
}

/** The shipped stages one after another on one thread, timed apart. Lines are streamed, as shipped. */
async function staged(extract) {
  const stages = { read: 0, normalize: 0, extract: 0, store: 0 };
  let n = 0;
  let k = 0;
  let batch = [];
  const flush = () => {
    const t = now();
    upsertPostings(db, batch, new Date().toISOString());
    stages.store += now() - t;
    batch = [];
  };
  const t0 = now();
  const lines = createInterface({ input: createReadStream(corpus), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    k++;
    if (n >= limit) break;
    if (!line) continue;
    let t = now();
    const raw = recordRawFromLine(line, corpus, k);
    stages.read += now() - t;
    t = now();
    const posting = normalizePosting(raw);
    stages.normalize += now() - t;
    t = now();
    const extraction = extract(posting);
    stages.extract += now() - t;
    batch.push({ posting, extraction });
    n++;
    if (batch.length >= 500) flush();
  }
  flush();
  return { postings: n, ms: now() - t0, stages };
}

/**
 * The floor of ingest (issue 17): what any tool must do with the corpus, and nothing more, on one
 * thread: read each line, parse its JSON, strip the tags of its body with one regular expression
 * (no entities, no structure), and scan the text once (a character loop whose sum is printed, so
 * that it is not optimized away).
 */
async function floor() {
  let n = 0;
  let sum = 0;
  const t0 = now();
  const lines = createInterface({ input: createReadStream(corpus), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (n >= limit) break;
    if (!line) continue;
    const r = JSON.parse(line);
    const body = String(r.html ?? r.description_html ?? r.text ?? r.description ?? r.content ?? r.body ?? '');
    const text = body.replace(/<[^>]*>/g, ' ');
    for (let i = 0; i < text.length; i++) sum = (sum + text.charCodeAt(i)) | 0;
    n++;
  }
  return { postings: n, ms: now() - t0, checksum: sum };
}

/** Candidates from the trie, no disambiguation, no qualifiers. */
function trieOnly(posting) {
  const tokens = tokenize(posting.text);
  const bySkill = new Map();
  for (const c of findCandidates(posting.text, tokens, compiled)) {
    const s = compiled.skills[c.skill];
    const m = { start: c.start, end: c.end, text: posting.text.slice(c.start, c.end), section: 'other', sentenceStart: c.start, sentenceEnd: c.end };
    const hit = bySkill.get(s.id);
    if (hit) hit.mentions.push(m);
    else bySkill.set(s.id, { id: s.id, name: s.name, category: s.category, requirement: 'unspecified', negated: false, confidence: 0.5, mentions: [m] });
  }
  return { skills: [...bySkill.values()], taxonomyVersion: compiled.taxonomy.version, extractorVersion: 'trie' };
}

/** The naive design: compromise tags every posting in full, then the same extraction. */
function naive(posting) {
  nlp(posting.text).json();
  return extractPosting(posting, compiled);
}

const run = { shipped, floor, stages: () => staged((p) => extractPosting(p, compiled)), naive: () => staged(naive), trie: () => staged(trieOnly) }[variant];
if (!run) throw new Error(`unknown variant ${variant}`);
const result = await run();
db?.close();
console.log(JSON.stringify({ ...result, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
