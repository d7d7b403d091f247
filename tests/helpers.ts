import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { CliIO } from '../src/cli/io.js';
import { main } from '../src/cli/main.js';
import { loadTaxonomy } from '../src/sources/taxonomy-files.js';
import { type OpenOptions, openDatabase } from '../src/store/sqlite/db.js';
import { SqliteStore } from '../src/store/sqlite/store.js';
import { type CompiledTaxonomy, compileTaxonomy } from '../src/taxonomy/compile.js';
import { parseTaxonomy } from '../src/taxonomy/parse.js';

let shipped: CompiledTaxonomy | undefined;
/** The shipped taxonomy, compiled once per test file. */
/** A SQLite store (in memory unless a path is given), opened synchronously; `.db` is its connection, for assertions in SQL. */
export function sqliteStore(path = ':memory:', options: OpenOptions = {}): SqliteStore {
  return new SqliteStore(openDatabase(path, options), path);
}

export function shippedTaxonomy(): CompiledTaxonomy {
  shipped ??= compileTaxonomy(loadTaxonomy());
  return shipped;
}

/** A compiled taxonomy from inline YAML files: `{ 'tools.yaml': '- {id: x, name: X}' }`. */
export function taxonomyFrom(files: Record<string, string>): CompiledTaxonomy {
  return compileTaxonomy(parseTaxonomy(Object.entries(files).map(([path, text]) => ({ path, text }))));
}

const dirs: string[] = [];
/** A fresh temporary directory, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'skillpulse-test-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/**
 * Removes the temporary directories made so far. tests/setup/unit.ts calls it after each test: the
 * unit project shares this module between files, so the afterEach above is registered only once.
 */
export function removeTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** What runCli's fake terminal is: standard output a terminal `columns` wide, standard error a terminal, a signal to abort with. */
export interface FakeTerminal {
  columns?: number;
  stderrTTY?: boolean;
  signal?: AbortSignal;
  /** Standard input as a promise of its own (one that never settles: a terminal nobody types into). */
  readStdin?: () => Promise<string>;
}

/** Runs the CLI in-process and captures its output; `terminal` makes its streams look like a terminal's. */
export async function runCli(argv: string[], stdin = '', env: Record<string, string> = {}, terminal: FakeTerminal = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (s: string) => (stdout += s), ...(terminal.columns !== undefined && { isTTY: true, columns: terminal.columns }) },
    stderr: { write: (s: string) => (stderr += s), ...(terminal.stderrTTY && { isTTY: true, columns: terminal.columns ?? 80 }) },
    readStdin: terminal.readStdin ?? (async () => stdin),
    env,
    ...(terminal.signal && { signal: terminal.signal }),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
