import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Issue 15, items 4 and 5, under a real pseudo-terminal: util-linux `script` gives the built CLI a
// terminal 80 columns wide, so the width and the progress line come from the TTY itself, not COLUMNS.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'dist', 'cli', 'bin.js');
const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Runs the CLI in an 80-column pseudo-terminal; what the terminal shows (stdout and stderr together). */
function inTerminal(args: string[]): Promise<string> {
  const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
  const command = `stty cols 80 rows 24; ${[process.execPath, BIN, ...args].map(quote).join(' ')}`;
  const { COLUMNS: _, ...env } = process.env;
  return new Promise((resolve, reject) => {
    execFile('script', ['-qec', command, '/dev/null'], { cwd: ROOT, env: { ...env, NO_COLOR: '1' } }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'skillpulse-tty-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasScript)('in a terminal 80 columns wide', () => {
  it('analyze draws a progress line; the report fits the terminal', async () => {
    const db = join(dir, 'demo.sqlite');
    const analyzed = await inTerminal(['analyze', 'fixtures/demo', '--db', db]);
    expect(analyzed).toContain('\r\u001b[Kskillpulse: ');
    expect(analyzed).toContain('\r\u001b[Kskillpulse: analyzed into ');
    expect(analyzed).toContain(': 275 new, ');
    const report = await inTerminal(['report', '--db', db]);
    const lines = report.replace(/\r/g, '').trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(25);
    for (const l of lines) expect([...l].length, l).toBeLessThanOrEqual(80);
    expect(report).toContain('(left out to fit 80 columns: Category, 2025-05; --format md or csv has them all)');
  });
});
