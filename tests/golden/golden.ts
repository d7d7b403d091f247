import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/** tests/golden: the expected outputs, one file each, compared byte for byte. */
export const GOLDEN_DIR = fileURLToPath(new URL('.', import.meta.url));

/** `UPDATE_GOLDEN=1 npx vitest run ...` rewrites the golden files from the current output; review the diff. */
export const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === '1';

/** Compares `actual` with the golden file `name` (a path below tests/golden) exactly, or writes it when UPDATE_GOLDEN=1. */
export function expectGolden(name: string, actual: string): void {
  const path = join(GOLDEN_DIR, name);
  if (UPDATE_GOLDEN) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  expect(existsSync(path), `tests/golden/${name} is missing (UPDATE_GOLDEN=1 writes it)`).toBe(true);
  expect(actual, `tests/golden/${name} (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(path, 'utf8'));
}

/** The golden files below `folder`, as names for expectGolden: to find files no test writes any more. */
export function goldenFilesIn(folder: string): string[] {
  const dir = join(GOLDEN_DIR, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(GOLDEN_DIR, join(e.parentPath, e.name)).split(/[\\/]/).join('/'))
    .sort();
}
