import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runCli } from '../helpers.js';

/** A temporary folder of its own (the serve tests keep a database across the tests of a file). */
export function scratchDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'skillpulse-serve-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A SQLite database with the demo corpus (275 postings, May 2025 to October 2026). */
export async function demoDatabase(dir: string): Promise<string> {
  const db = join(dir, 'demo.sqlite');
  const r = await runCli(['analyze', 'fixtures/demo', '--db', db, '--quiet']);
  expect(r.code, r.stderr).toBe(0);
  return db;
}

/** A SQLite database of our postings carrying script payloads, and a skill whose name is one. */
export async function xssDatabase(dir: string): Promise<string> {
  const db = join(dir, 'xss.sqlite');
  const r = await runCli(['analyze', 'fixtures/serve/xss-postings.jsonl', '--db', db, '--quiet', '--add-taxonomy', 'fixtures/serve/xss-taxonomy']);
  expect(r.code, r.stderr).toBe(0);
  return db;
}

/** The options every test server gets: taxonomy snapshots kept nowhere, the shipped taxonomy plus the payload skill. */
export const TEST_TAXONOMY = { addTaxonomy: ['fixtures/serve/xss-taxonomy'] };
