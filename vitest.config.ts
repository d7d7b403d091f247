import { defineConfig } from 'vitest/config';

/**
 * Test files of the `slow` project, each with why (issue 13). Every other test file is `unit`: pure
 * modules and the CLI run in-process on small inputs, safe to share one module graph. A new test
 * file that spawns a process, starts a server, opens a browser or runs the worker pool goes here.
 */
const SLOW = [
  'tests/golden/**/*.test.ts', // spawns dist/cli/bin.js for every report kind and format
  'tests/ops/run.test.ts', // spawns dist/cli/bin.js, kills it (SIGTERM, SIGKILL), loopback server
  'tests/pipeline/analyze.test.ts', // the extraction worker pool on 1,800 and 2,600 postings
  'tests/pipeline/reextract.test.ts', // the worker pool on 1,500 postings
  'tests/pipeline/pool.test.ts', // worker threads from dist/, killed on purpose; a process-wide listener
  'tests/pipeline/fetch.test.ts', // loopback HTTP servers
  'tests/sources/adapters.test.ts', // loopback HTTP servers
  'tests/sources/http.test.ts', // loopback HTTP servers, real timeouts
  'tests/sources/ssrf.test.ts', // loopback HTTP servers, a socket guard patched in
  'tests/report/html-browser.test.ts', // headless Chromium
  'tests/cli/tty.test.ts', // dist/cli/bin.js under a pseudo-terminal (util-linux script)
  'tests/package.test.ts', // imports the package by name from the built dist/ in a child process
  'tests/store/search.test.ts', // searchPostings and readYears on SQLite and a PostgreSQL server (tests/services.ts)
  'tests/store/contract.test.ts', // the Store contract on SQLite and a PostgreSQL server (tests/services.ts): a schema per test, ~6 s
  'tests/serve/**/*.test.ts', // loopback HTTP servers, extraction worker threads from dist/, headless Chromium, spawned serve and mcp
  'tests/queue/**/*.test.ts', // Redis (and PostgreSQL): worker processes from dist/, killed on purpose; a Redis server of its own
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/**/*.test.ts'],
          exclude: SLOW,
          // One module graph per worker: the shipped taxonomy is compiled once, not once per file.
          pool: 'threads',
          isolate: false,
          // Hooks registered at the top of a shared module run for the first file only without isolation.
          setupFiles: ['tests/setup/unit.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'slow',
          include: SLOW,
          // Tests here spawn dist/cli/bin.js: built from src/ first, never an old build.
          globalSetup: ['tests/setup/build-dist.ts'],
        },
      },
    ],
  },
});
