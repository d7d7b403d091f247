#!/usr/bin/env node
// Checks that a change left extraction as it was: normalizes and extracts every record of the
// given JSONL files with two built checkouts and counts the postings whose normalized text or
// extraction differ (the extractor version itself is left out), showing the first few.
//   node scripts/compare-builds.mjs [--ignore field,...] <old checkout> <new checkout> <file.jsonl>...
// --ignore leaves posting fields out of the comparison (after a deliberate change of identity:
// --ignore id,externalId,textHash). Both checkouts must be built (npm run build); a git worktree
// of the old commit does.
import { readFileSync } from 'node:fs';
import { loadCheckout } from './checkout.mjs';

if (process.argv.slice(2).some((a) => a === '--help' || a === '-h')) {
  console.log('usage: node scripts/compare-builds.mjs [--ignore field,...] <old checkout> <new checkout> <file.jsonl>...');
  process.exit(0);
}
const args = process.argv.slice(2);
const ignored = new Set(args[0] === '--ignore' ? (args.splice(0, 2)[1] ?? '').split(',') : []);
const [oldDir, newDir, ...files] = args;
if (!oldDir || !newDir || files.length === 0) {
  console.error('usage: node scripts/compare-builds.mjs [--ignore field,...] <old checkout> <new checkout> <file.jsonl>...');
  process.exit(2);
}
const builds = [await loadCheckout(oldDir), await loadCheckout(newDir)];
let compared = 0;
let differ = 0;
for (const file of files) {
  for (const [k, line] of readFileSync(file, 'utf8').split('\n').entries()) {
    if (!line) continue;
    const meta = { source: 'file', file, index: k + 1, origin: `${file}:${k + 1}`, fetchedAt: '2026-01-01T00:00:00Z' };
    const [a, b] = builds.map(({ lib, recordToRaw, compiled }) => {
      const raw = recordToRaw(JSON.parse(line), meta);
      if (!raw.ok) return `failed: ${raw.error}`;
      const posting = lib.normalizePosting(raw.value);
      const { extractorVersion, ...extraction } = lib.extractPosting(posting, compiled);
      return JSON.stringify([Object.fromEntries(Object.entries(posting).filter(([k]) => !ignored.has(k))), extraction]);
    });
    compared++;
    if (a === b) continue;
    if (++differ <= 3) {
      let i = 0;
      while (a[i] === b[i]) i++;
      console.log(`differs: ${meta.origin}\n  old: ${a.slice(Math.max(0, i - 80), i + 80)}\n  new: ${b.slice(Math.max(0, i - 80), i + 80)}`);
    }
  }
}
console.log(`${compared} postings compared, ${differ} differ`);
process.exit(differ === 0 ? 0 : 1);
