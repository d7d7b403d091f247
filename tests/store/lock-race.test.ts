import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';

/**
 * Issue 14, item 13: sixteen processes race for one lock, a stale one left by a killed run
 * included, and exactly one of them holds it every round. Real processes, since the lock is per
 * process: each runs src/store/lock.ts (transpiled here, so no build is needed) and answers the
 * lines `take` and `release` on standard input.
 */
const RACERS = 16;
const ROUNDS = 100;

const DRIVER = `
const m = { exports: {} };
new Function('require', 'module', 'exports', require('node:fs').readFileSync(process.env.LOCK_JS, 'utf8'))(require, m, m.exports);
let held;
const say = (x) => process.stdout.write(JSON.stringify(x) + '\\n');
require('node:readline').createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'take') {
    const r = m.exports.acquireLock(process.env.LOCK_PATH, 'racer');
    if (r.ok) held = r;
    say(r.ok ? { pid: process.pid, ok: true, tookOver: r.tookOver ? r.tookOver.pid : null } : { pid: process.pid, ok: false, holder: r.holder.pid });
  } else if (line === 'release') {
    if (held) held.release();
    held = undefined;
    say({ pid: process.pid, released: true });
  }
});
say({ pid: process.pid, ready: true });
`;

interface Racer {
  p: ChildProcessWithoutNullStreams;
  next(): Promise<Record<string, unknown>>;
}

function startRacer(env: Record<string, string>): Racer {
  const p = spawn(process.execPath, ['-e', DRIVER], { cwd: process.cwd(), env: { ...process.env, ...env } });
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let pending = '';
  p.stdout.on('data', (chunk: Buffer) => {
    pending += chunk;
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      const w = waiting.shift();
      if (w) w(line);
      else lines.push(line);
    }
  });
  let stderr = '';
  let exited = false;
  p.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  p.on('exit', () => {
    exited = true;
    for (const w of waiting.splice(0)) w('');
  });
  return {
    p,
    next: () =>
      new Promise((resolve, reject) => {
        const answer = (line: string) => (line ? resolve(JSON.parse(line)) : reject(new Error(`racer exited: ${stderr}`)));
        const line = lines.shift();
        if (line !== undefined || exited) return answer(line ?? '');
        waiting.push(answer);
      }),
  };
}

const racers: Racer[] = [];
afterAll(() => {
  for (const r of racers) r.p.kill();
});

describe('the database lock under a race', () => {
  it(`gives the lock to exactly one of ${RACERS} processes, every round, a stale lock included`, async () => {
    const dir = tempDir();
    const lockJs = join(dir, 'lock.cjs');
    const source = readFileSync('src/store/sqlite/lock.ts', 'utf8');
    writeFileSync(lockJs, ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText);
    const lockPath = join(dir, 'p.sqlite.lock');
    for (let k = 0; k < RACERS; k++) racers.push(startRacer({ LOCK_JS: lockJs, LOCK_PATH: lockPath }));
    await Promise.all(racers.map((r) => r.next()));
    for (let round = 0; round < ROUNDS; round++) {
      // Every other round starts from a lock left by a run that was killed (its process is gone).
      const stale = round % 2 === 1;
      if (stale) writeFileSync(lockPath, JSON.stringify({ pid: 999_999_9, host: (await import('node:os')).hostname(), startedAt: '2026-01-01T00:00:00Z', command: 'killed' }));
      for (const r of racers) r.p.stdin.write('take\n');
      const results = await Promise.all(racers.map((r) => r.next()));
      const holders = results.filter((x) => x.ok);
      expect(holders, `round ${round}${stale ? ' (stale lock)' : ''}`).toHaveLength(1);
      const winner = holders[0] as { pid: number; tookOver: number | null };
      expect(winner.tookOver, `round ${round}`).toBe(stale ? 999_999_9 : null);
      const winnerRacer = racers.find((r) => r.p.pid === winner.pid) as Racer;
      winnerRacer.p.stdin.write('release\n');
      await winnerRacer.next();
    }
  }, 60_000);
});
