import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers.js';

// Debian's Chromium (apt-get install chromium; .ci/run installs it).
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

function chromium(args: string[], userDataDir: string): string {
  return execFileSync(CHROMIUM, [...FLAGS, `--user-data-dir=${userDataDir}`, ...args], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('the HTML report in a real browser', () => {
  it('renders its SVG charts from a file URL, shows markup in titles as text, and screenshots', async () => {
    expect(existsSync(CHROMIUM), `Chromium at ${CHROMIUM} (apt-get install -y chromium)`).toBe(true);
    const dir = tempDir();
    const rows = [
      { id: 'a', date: '2026-01-10', title: '<b>Lead</b> <img src=x onerror="document.title=1"> Engineer', company: 'Acme & Sons', text: 'Requirements: Python and Kubernetes' },
      { id: 'b', date: '2026-02-10', title: 'Data Engineer', company: 'Beta', text: 'Requirements: Python and SQL' },
      { id: 'c', date: '2026-03-10', title: 'ML Engineer', company: 'Gamma', text: 'Requirements: Python, PyTorch and Kubernetes' },
    ];
    writeFileSync(join(dir, 'p.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n'));
    const db = join(dir, 'r.sqlite');
    expect((await runCli(['analyze', join(dir, 'p.jsonl'), '--db', db])).code).toBe(0);
    const html = join(dir, 'python.html');
    const r = await runCli(['report', '--db', db, '--kind', 'skill', 'python', '--format', 'html', '--out', html]);
    expect(r.code, r.stderr).toBe(0);
    const source = readFileSync(html, 'utf8');
    expect(source).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);

    const dom = chromium(['--dump-dom', pathToFileURL(html).href], join(dir, 'profile'));
    expect((dom.match(/<svg[^>]*class="chart/g) ?? []).length).toBeGreaterThanOrEqual(1);
    expect(dom).toMatch(/<polyline class="line"/);
    expect(dom).toMatch(/<polygon class="band"/);
    // The title's markup is text in a table cell, not elements.
    expect(dom).toContain('&lt;b&gt;Lead&lt;/b&gt; &lt;img src=x onerror="document.title=1"&gt; Engineer');
    expect(dom).not.toMatch(/<img/);
    expect(dom).toContain('<title>Python (language)</title>');

    const shot = join(dir, 'report.png');
    chromium([`--screenshot=${shot}`, '--window-size=1000,1400', pathToFileURL(html).href], join(dir, 'profile2'));
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
  });
});
