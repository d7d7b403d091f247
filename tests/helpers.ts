import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { CliIO } from '../src/cli/io.js';
import { main } from '../src/cli/main.js';
import { loadTaxonomy } from '../src/sources/taxonomy-files.js';
import { type CompiledTaxonomy, compileTaxonomy } from '../src/taxonomy/compile.js';
import { parseTaxonomy } from '../src/taxonomy/parse.js';

let shipped: CompiledTaxonomy | undefined;
/** The shipped taxonomy, compiled once per test file. */
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

/** Runs the CLI in-process and captures its output. */
export async function runCli(argv: string[], stdin = '', env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    readStdin: async () => stdin,
    env,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
