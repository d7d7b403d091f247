#!/usr/bin/env node
// Two built checkouts' extraction (or normalization) timed against each other in one process:
//   node bench/ab.mjs <old checkout> <new checkout> <corpus.jsonl> [extract|normalize] [passes]
// Both builds take turns on every chunk of 250 postings (which goes first alternates), so a
// change of load on a shared machine falls on both alike: compare the ratio, not the times.
// Prints per pass the total milliseconds of each and new/old, then the spread of the chunk
// ratios. The postings are read and normalized once, by the old build. A benchmark: it asserts nothing.
import { readFileSync } from 'node:fs';
import { loadCheckout } from '../scripts/checkout.mjs';

const [oldDir, newDir, corpus, mode = 'extract', passes = '1'] = process.argv.slice(2);
if (!oldDir || !newDir || !corpus || !['extract', 'normalize'].includes(mode)) {
  console.error('usage: node bench/ab.mjs <old checkout> <new checkout> <corpus.jsonl> [extract|normalize] [passes]');
  process.exit(2);
}
const builds = [await loadCheckout(oldDir), await loadCheckout(newDir)];
const [first] = builds;
const lines = readFileSync(corpus, 'utf8').split('\n').filter(Boolean);
const raws = lines.map((line, k) => {
  const r = first.recordToRaw(JSON.parse(line), { source: 'file', file: corpus, index: k + 1, origin: `${corpus}:${k + 1}`, fetchedAt: '2026-01-01T00:00:00Z' });
  if (!r.ok) throw new Error(r.error);
  return r.value;
});
const postings = raws.map((r) => first.lib.normalizePosting(r));
const CHUNK = 250;
const ratios = [];
for (let pass = 0; pass < Number(passes); pass++) {
  const total = [0, 0];
  for (let i = 0, c = 0; i < postings.length; i += CHUNK, c++) {
    const took = [0, 0];
    for (const b of c % 2 === 0 ? [0, 1] : [1, 0]) {
      const { lib, compiled } = builds[b];
      const end = Math.min(i + CHUNK, postings.length);
      const t0 = performance.now();
      if (mode === 'normalize') for (let k = i; k < end; k++) lib.normalizePosting(raws[k]);
      else for (let k = i; k < end; k++) lib.extractPosting(postings[k], compiled);
      took[b] = performance.now() - t0;
    }
    total[0] += took[0];
    total[1] += took[1];
    ratios.push(took[1] / took[0]);
  }
  console.log(`pass ${pass + 1}: old ${Math.round(total[0])} ms, new ${Math.round(total[1])} ms, new/old ${(total[1] / total[0]).toFixed(3)}`);
}
ratios.sort((a, b) => a - b);
const at = (p) => ratios[Math.floor(p * (ratios.length - 1))]?.toFixed(3);
console.log(`chunks new/old: p10 ${at(0.1)}, median ${at(0.5)}, p90 ${at(0.9)}`);
