// What the benchmark uses of skillpulse: the built library (npm run build) and its internals.
export * from '../dist/index.js';
export { findCandidates } from '../dist/extract/match.js';
export { tokenize } from '../dist/taxonomy/tokens.js';
export { openSqliteStore } from '../dist/store/sqlite/store.js';
export { upsertPostings } from '../dist/store/sqlite/postings.js';
export { recountDaily } from '../dist/store/sqlite/maintenance.js';
import { recordToRaw } from '../dist/normalize/records.js';

/** One JSONL line -> RawPosting, as the file source reads it. */
export function recordRawFromLine(line, file, index) {
  const r = recordToRaw(JSON.parse(line), { source: 'file', file, index, origin: `${file}:${index}`, fetchedAt: new Date().toISOString() });
  if (!r.ok) throw new Error(r.error);
  return r.value;
}
