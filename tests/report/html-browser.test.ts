import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_KINDS } from '../../src/pipeline/report.js';
import { runCli, tempDir } from '../helpers.js';
import { planBrowserTests } from './chromium.js';

// Chromium: Debian's (apt-get install -y chromium; .ci/run installs it) or CHROMIUM_PATH. Without
// it these tests are skipped, saying so, except in CI, where they fail (issue 15, item 13).
const plan = planBrowserTests(process.env, existsSync);
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Screenshots of every report kind with charts, kept for people to look at (git-ignored). */
const ARTIFACTS = join(fileURLToPath(new URL('../..', import.meta.url)), 'test-artifacts', 'screenshots');
/** The two widths the page is read at: a laptop, and a phone. Tall enough for every chart of a page. */
const VIEWPORTS = [
  { width: 1280, height: 3400 },
  { width: 390, height: 5200 },
];

function chromium(path: string, args: string[], userDataDir: string): string {
  return execFileSync(path, [...FLAGS, `--user-data-dir=${userDataDir}`, ...args], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Width and height from a PNG's header. */
function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(file);
  expect(b.subarray(1, 4).toString()).toBe('PNG');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

if (!plan.run) {
  // Said on stderr as well as in the test's name, so that nobody reads the run as "the browser tests passed".
  if (!plan.fail) process.stderr.write(`\n${plan.message}\n\n`);
  describe('the HTML report in a real browser', () => {
    if (plan.fail)
      it('needs Chromium in CI', () => {
        throw new Error(plan.message);
      });
    else it.skip(plan.message, () => {});
  });
} else {
  const browser = plan.path;
  describe('the HTML report in a real browser', () => {
    it('renders its SVG charts from a file URL, shows markup in titles as text', async () => {
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

      const dom = chromium(browser, ['--dump-dom', pathToFileURL(html).href], join(dir, 'profile'));
      expect((dom.match(/<svg[^>]*class="chart/g) ?? []).length).toBeGreaterThanOrEqual(1);
      expect(dom).toMatch(/<polyline class="line"/);
      expect(dom).toMatch(/<polygon class="band"/);
      // The title's markup is text in a table cell, not elements.
      expect(dom).toContain('&lt;b&gt;Lead&lt;/b&gt; &lt;img src=x onerror="document.title=1"&gt; Engineer');
      expect(dom).not.toMatch(/<img/);
      expect(dom).toContain('<title>Python (language)</title>');
    });

    describe('every report kind with charts, on the demo corpus by month, at 1280 and 390 px', () => {
      // Its own folder: tempDir()'s are removed after each test, and these pages serve several.
      let dir: string;
      const pages: { kind: string; file: string }[] = [];
      beforeAll(async () => {
        dir = mkdtempSync(join(tmpdir(), 'skillpulse-browser-'));
        const db = join(dir, 'demo.sqlite');
        rmSync(ARTIFACTS, { recursive: true, force: true });
        mkdirSync(ARTIFACTS, { recursive: true });
        const a = await runCli(['analyze', 'fixtures/demo', '--db', db]);
        expect(a.code, a.stderr).toBe(0);
        for (const kind of REPORT_KINDS) {
          const file = join(ARTIFACTS, `${kind}.html`);
          const r = await runCli(['report', '--db', db, '--kind', kind, ...(kind === 'skill' ? ['kubernetes'] : []), '--period', 'month', '--top', '20', '--format', 'html', '--out', file]);
          expect(r.code, r.stderr).toBe(0);
          if (readFileSync(file, 'utf8').includes('<figure>')) pages.push({ kind, file });
          else rmSync(file);
        }
        process.stdout.write(`HTML reports and their screenshots: ${ARTIFACTS}\n`);
      }, 120_000);
      afterAll(() => rmSync(dir, { recursive: true, force: true }));

      it('are summary, trends and skill', () => {
        expect(pages.map((p) => p.kind)).toEqual(['summary', 'trends', 'skill']);
      });

      it.for(['summary', 'trends', 'skill'])('%s: drawn by the browser, and screenshotted at both widths', (kind) => {
        const page = pages.find((p) => p.kind === kind);
        expect(page, `${kind} has charts`).toBeDefined();
        const url = pathToFileURL(page?.file as string).href;
        const dom = chromium(browser, ['--dump-dom', url], join(dir, `dom-${kind}`));
        const wide = (dom.match(/<svg class="chart [a-z]+ wide"/g) ?? []).length;
        expect(wide).toBeGreaterThanOrEqual(1);
        expect((dom.match(/<svg class="chart [a-z]+ narrow"/g) ?? []).length).toBe(wide);
        for (const { width, height } of VIEWPORTS) {
          const shot = join(ARTIFACTS, `${kind}-${width}.png`);
          chromium(browser, [`--screenshot=${shot}`, `--window-size=${width},${height}`, url], join(dir, `shot-${kind}-${width}`));
          expect(pngSize(shot)).toEqual({ width, height });
          expect(statSync(shot).size).toBeGreaterThan(20_000);
        }
      });
    });
  });
}
