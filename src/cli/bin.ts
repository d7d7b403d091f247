#!/usr/bin/env node
import { text } from 'node:stream/consumers';
import { main } from './main.js';

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
