#!/usr/bin/env node
// The slowest postings we know how to write: each shape at the largest size allowed
// (SKILLPULSE_MAX_POSTING_CHARS, 500,000 characters) and at half of it, normalized and extracted
// on one thread. Linear work takes about twice as long for twice the text; anything near 4x is
// quadratic somewhere. Needs `npm run build`.
//   node bench/worst-case.mjs [--chars N]
import { parseArgs } from 'node:util';
import { compileTaxonomy, extractPosting, loadTaxonomy, normalizePosting } from '../dist/index.js';

const { values } = parseArgs({ options: { chars: { type: 'string', default: '490000' }, help: { type: 'boolean' } } });
if (values.help) {
  console.log('usage: node bench/worst-case.mjs [--chars N]   (default 490000: just under the posting size limit)');
  process.exit(0);
}
const N = Number(values.chars);
const compiled = compileTaxonomy(loadTaxonomy());
const repeat = (unit, n) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
const SHAPES = {
  'skill list, commas': (n) => repeat('Python, SQL, machine learning and Kubernetes ', n),
  'plain words': (n) => repeat('lorem ipsum dolor sit amet consectetur ', n),
  'requirement sentences': (n) => repeat('5+ years of experience with Python required. ', n),
  bullets: (n) => repeat('\n• Python\n- Java: preferred\n', n),
  'run-on, no sentence ends': (n) => repeat('experience with python java aws docker required preferred nice to have ', n),
  'one heading per skill': (n) => repeat('Requirements:\nPython\n', n),
  'HTML, inline tags': (n) => `<p>${repeat('<b>Python</b> <i>SQL</i> ', n)}</p>`,
  'glued form fields': (n) => repeat('Job Family:Data Science Clearance Required:Secret Skills:Python, SQL ', n),
  'openings with dashes, brackets': (n) => repeat('Senior Engineer - Machine Learning Software Engineer (Backend, Frontend) • Bonus: Go ', n),
  'rules and titles': (n) => repeat('About us\n\n=====\n\nData Engineer\n- Python\nPlatform Engineer\n', n),
};

function time(body, contentType) {
  const start = performance.now();
  const posting = normalizePosting({ source: 'file', origin: 'bench', fetchedAt: '2026-01-01T00:00:00Z', contentType, body, hints: {} });
  extractPosting(posting, compiled);
  return performance.now() - start;
}

console.log(`shape                        ms at ${N.toLocaleString('en-US')}  ms at half  ratio`);
for (const [name, make] of Object.entries(SHAPES)) {
  const type = name.startsWith('HTML') ? 'text/html' : 'text/plain';
  time(make(1000), type); // warm up
  const full = time(make(N), type);
  const half = time(make(N / 2), type);
  console.log(`${name.padEnd(28)} ${full.toFixed(0).padStart(12)} ${half.toFixed(0).padStart(11)} ${(full / half).toFixed(1).padStart(6)}`);
}
