// A built checkout's extraction, for the scripts and benchmarks that set two builds side by side
// (scripts/compare-builds.mjs, bench/ab.mjs): its library, its record reader and its own taxonomy
// compiled. The checkout must be built (npm run build).
import { resolve } from 'node:path';

export async function loadCheckout(dir) {
  const lib = await import(resolve(dir, 'dist/index.js'));
  const { recordToRaw } = await import(resolve(dir, 'dist/normalize/records.js'));
  return { lib, recordToRaw, compiled: lib.compileTaxonomy(lib.loadTaxonomy()) };
}
