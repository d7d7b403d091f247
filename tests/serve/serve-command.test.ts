import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDatabase, scratchDir } from './helpers.js';

// Issue 18: `skillpulse serve` and `skillpulse mcp` as processes: they start, answer, and stop
// cleanly on a signal or when their input ends.

const scratch = scratchDir();
let db: string;
beforeAll(async () => {
  db = await demoDatabase(scratch.dir);
}, 60_000);
afterAll(() => scratch.remove());

function start(args: string[]): { child: ChildProcess; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['dist/cli/bin.js', ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, SKILLPULSE_CACHE_DIR: '' } });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stderr: () => stderr, exited };
}

async function until<T>(f: () => T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('skillpulse serve', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('serves the dashboard and the API, and stops cleanly on %s', async (signal) => {
    const s = start(['serve', '--db', db, '--port', '0']);
    const url = await until(() => /(http:\/\/127\.0\.0\.1:\d+)\/ \(dashboard\)/.exec(s.stderr())?.[1]);
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<title>skillpulse<\/title>/);
    expect((await fetch(`${url}/api/v1/reports/summary`)).status).toBe(200);
    s.child.kill(signal);
    expect(await s.exited).toBe(0);
    expect(s.stderr()).toMatch(new RegExp(`skillpulse serve: stopped \\(${signal}\\)\\n$`));
    await expect(fetch(`${url}/api/v1/health`)).rejects.toThrow();
  });

  it('refuses a database that does not exist, naming it', async () => {
    const s = start(['serve', '--db', `${scratch.dir}/missing.sqlite`, '--port', '0']);
    expect(await s.exited).toBe(2);
    expect(s.stderr()).toMatch(/missing\.sqlite/);
  });
});

describe('skillpulse mcp', () => {
  it('ends when its input ends', async () => {
    const s = start(['mcp', '--db', db]);
    await until(() => (s.stderr().includes('serving tools') ? true : undefined));
    s.child.stdin?.end();
    expect(await s.exited).toBe(0);
  });
});
