#!/usr/bin/env node
// Converts the Hacker News "Who is hiring?" monthly dumps (one gzipped JSON array per month,
// monthly/YYYY-MM.json.gz, items with full_html) into one JSONL file skillpulse analyze reads:
// { id, url, date: YYYY-MM-01, html, location, remote }.
//   node scripts/hn-to-jsonl.mjs <dir with monthly/> <out.jsonl>
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

if (process.argv.slice(2).some((a) => a === '--help' || a === '-h')) {
  console.log('usage: node scripts/hn-to-jsonl.mjs <hn-whoishiring dir> <out.jsonl>');
  process.exit(0);
}
const [dir, out] = process.argv.slice(2);
if (!dir || !out) {
  console.error('usage: node scripts/hn-to-jsonl.mjs <hn-whoishiring dir> <out.jsonl>');
  process.exit(2);
}
const monthly = join(dir, 'monthly');
const files = readdirSync(monthly).filter((f) => /^\d{4}-\d{2}\.json\.gz$/.test(f)).sort();
const stream = createWriteStream(out);
let n = 0;
for (const f of files) {
  const month = f.slice(0, 7);
  const items = JSON.parse(gunzipSync(readFileSync(join(monthly, f))).toString('utf8'));
  items.forEach((item, k) => {
    if (!item.full_html) return;
    const id = /id=(\d+)/.exec(item.url ?? '')?.[1] ?? `${month}-${k}`;
    stream.write(`${JSON.stringify({ id, url: item.url, date: `${month}-01`, html: item.full_html, location: item.location || undefined, remote: item.remote === true ? true : undefined })}\n`);
    n++;
  });
}
stream.end(() => console.error(`wrote ${n} posts from ${files.length} months to ${out}`));
