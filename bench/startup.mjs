#!/usr/bin/env node
// Start-up time of the CLI as ratios to a bare `node -e 0`, measured in one run, interleaved, the
// median of --runs runs each: `skillpulse --help`, and `skillpulse extract <one posting>` with the
// compiled taxonomy snapshot in place (every start after the first) and without one (the first
// start after a taxonomy change). Used by bench.mjs; also runs on its own: node bench/startup.mjs [--runs N]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'dist', 'cli', 'bin.js');
const posting = join(root, 'fixtures', 'postings', 'ml-engineer.md');

function wall(args, env) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median wall times (ms) and their ratios to `node -e 0`. */
export function measureStartup(runs = 9) {
  const cache = mkdtempSync(join(tmpdir(), 'skillpulse-startup-'));
  try {
    const cases = {
      node: [['-e', '0'], {}],
      help: [[bin, '--help'], {}],
      extract: [[bin, 'extract', posting], { SKILLPULSE_CACHE_DIR: cache }],
      extractCold: [[bin, 'extract', posting], { SKILLPULSE_CACHE_DIR: '' }],
    };
    wall(...cases.extract); // writes the snapshot the warm runs read
    const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
    for (let i = 0; i < runs; i++) for (const [k, c] of Object.entries(cases)) times[k].push(wall(...c));
    const ms = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Math.round(median(v))]));
    const ratio = (k) => Number((ms[k] / ms.node).toFixed(1));
    return { runs, ms, ratios: { help: ratio('help'), extract: ratio('extract'), extractCold: ratio('extractCold') } };
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '9' } } });
  const s = measureStartup(Number(values.runs));
  console.log(`start-up, median of ${s.runs}: node -e 0 ${s.ms.node} ms; --help ${s.ms.help} ms (${s.ratios.help}x); extract one posting ${s.ms.extract} ms (${s.ratios.extract}x), without the taxonomy snapshot ${s.ms.extractCold} ms (${s.ratios.extractCold}x)`);
}
