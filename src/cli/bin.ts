#!/usr/bin/env node
import { text } from 'node:stream/consumers';
import { setFlagsFromString } from 'node:v8';
import { main } from './main.js';

// V8 lets each heap grow to up to four times what survived its last full collection. An ingest
// keeps little (a batch or two of postings, the taxonomy) but allocates a great deal, so the heaps
// kept growing with the corpus: a million postings peaked at 1.26 GB. At one and a half times they
// stay level, for about 5% of ingest speed (README, Speed). Worker threads share the flag.
setFlagsFromString('--heap-growing-percent=50');

// Output piped into `head` and closed early is no error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

// The first SIGINT or SIGTERM asks the command to stop at the next batch boundary; a second one
// ends the process at once (the database stays consistent either way).
const controller = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (controller.signal.aborted) process.exit(sig === 'SIGINT' ? 130 : 143);
    controller.abort(sig);
  });
}

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  readStdin: () => text(process.stdin),
  env: process.env,
  signal: controller.signal,
});
