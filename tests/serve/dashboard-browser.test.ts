import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/serve/server.js';
import { planBrowserTests } from '../report/chromium.js';
import { demoDatabase, scratchDir, TEST_TAXONOMY, xssDatabase } from './helpers.js';

// Issue 18: the live dashboard clicked through in headless Chromium (Debian's, or CHROMIUM_PATH):
// skipped without it on a developer's machine, saying so; failed without it in CI.
const plan = planBrowserTests(process.env, existsSync);
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** Screenshots for people to look at (git-ignored). */
const SHOTS = join(fileURLToPath(new URL('../..', import.meta.url)), 'test-artifacts', 'serve');

if (!plan.run) {
  if (!plan.fail) process.stderr.write(`\n${plan.message.replace('the HTML report', 'the serve dashboard')}\n\n`);
  describe('the dashboard in a real browser', () => {
    if (plan.fail)
      it('needs Chromium in CI', () => {
        throw new Error(plan.message);
      });
    else it.skip(plan.message, () => {});
  });
} else {
  describe('the dashboard in a real browser', () => {
    const scratch = scratchDir();
    let browser: Browser;
    let demo: RunningServer;
    let xss: RunningServer;

    beforeAll(async () => {
      rmSync(SHOTS, { recursive: true, force: true });
      mkdirSync(SHOTS, { recursive: true });
      const [demoDb, xssDb] = await Promise.all([demoDatabase(scratch.dir), xssDatabase(scratch.dir)]);
      demo = await startServer({ db: demoDb, port: 0, warm: false });
      xss = await startServer({ db: xssDb, port: 0, warm: false, ...TEST_TAXONOMY });
      browser = await chromium.launch({ executablePath: plan.path, args: ARGS, headless: true });
      process.stdout.write(`dashboard screenshots: ${SHOTS}\n`);
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await demo?.close();
      await xss?.close();
      scratch.remove();
    });

    /** A page at a width, recording console errors (a CSP violation among them) and dialogs. */
    async function open(url: string, width: number): Promise<{ page: Page; problems: string[] }> {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('dialog', (d) => {
        problems.push(`dialog: ${d.message()}`);
        void d.dismiss();
      });
      await page.goto(url);
      await page.waitForSelector('#report h2');
      return { page, problems };
    }

    async function show(page: Page, fields: { kind?: string; skills?: string; period?: string }): Promise<void> {
      if (fields.kind) await page.selectOption('select[name=kind]', fields.kind);
      if (fields.period) await page.selectOption('select[name=period]', fields.period);
      if (fields.skills !== undefined) await page.fill('input[name=skills]', fields.skills);
      const done = page.waitForResponse((r) => r.url().includes('/api/v1/views/'));
      await page.click('button[type=submit]');
      await done;
      // (Polled from here: a predicate run in the page would be an eval, which the page's CSP refuses.)
      await expect.poll(() => page.locator('#status').textContent(), { timeout: 20_000 }).not.toBe('Loading…');
    }

    it('shows script payloads of postings and skill names as text, and runs none', async () => {
      const { page, problems } = await open(`${xss.url}/`, 1280);
      await show(page, { kind: 'summary', skills: 'pwnlang, python' });
      // The skill's name is markup: it is a table cell's text and a chart label's, never an element.
      const cells = await page.locator('#report td').allTextContents();
      expect(cells).toContain(`<img src=x onerror="window.__pwned='skill'">Pwnlang`);
      // The legend cuts a long name to fit and keeps the whole of it as the label's tooltip.
      expect(await page.locator('svg.wide text.legend > title').allTextContents()).toContain(`<img src=x onerror="window.__pwned='skill'">Pwnlang`);
      // Read the postings behind a point of the payload skill.
      await page.locator('svg.wide circle.target[data-skill=pwnlang]').last().click();
      await page.waitForSelector('#postings-list li');
      const titles = await page.locator('#postings-list h3').allTextContents();
      expect(titles.join('\n')).toContain('ML Engineer <iframe src="javascript:window.__pwned=\'iframe\'"></iframe>');
      const meta = await page.locator('#postings-list .meta').allTextContents();
      expect(meta.join('\n')).toContain('Acme & "Sons"');
      await show(page, { kind: 'skill', skills: 'pwnlang' });
      await page.locator('svg.wide circle.target').first().click();
      await page.waitForSelector('#postings-list li');
      await page.screenshot({ path: join(SHOTS, 'xss-1280.png'), fullPage: true });
      // (A string: the tests' TypeScript has no DOM types.)
      const counts = await page.evaluate(`({
        pwned: window.__pwned ?? null,
        img: document.querySelectorAll('img').length,
        iframe: document.querySelectorAll('iframe').length,
        scripts: [...document.querySelectorAll('script')].map((s) => s.getAttribute('src')),
        links: [...document.querySelectorAll('a')].map((a) => a.getAttribute('href')),
      })`);
      expect(counts).toEqual({ pwned: null, img: 0, iframe: 0, scripts: ['/static/dashboard.js'], links: ['/api/v1/openapi.json'] });
      expect(problems).toEqual([]);
      await page.close();
    });

    it.each([1280, 390])('is clicked through at %i px: charts, trends, a point to its postings, a skill, co-occurrence', async (width) => {
      const { page, problems } = await open(`${demo.url}/`, width);
      const layout = width < 720 ? 'narrow' : 'wide';
      const noSideScroll = async () => expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      // The summary: the top skills' shares with their interval bands.
      expect(await page.locator(`svg.series.${layout}`).count()).toBeGreaterThanOrEqual(2);
      expect(await page.locator(`svg.series.${layout} polygon.band`).count()).toBeGreaterThanOrEqual(6);
      await noSideScroll();
      await page.screenshot({ path: join(SHOTS, `summary-${width}.png`), fullPage: true });

      await show(page, { kind: 'trends', period: 'quarter' });
      expect(await page.locator('#report figcaption').allTextContents()).toEqual(expect.arrayContaining(['Categories (a posting counts once per category)']));
      expect(await page.locator(`svg.bars.${layout} rect.bar`).count()).toBeGreaterThan(5);
      await noSideScroll();
      await page.screenshot({ path: join(SHOTS, `trends-${width}.png`), fullPage: true });
      // The charts alone, at the scale a reader sees them.
      await page.locator('#report figure').nth(1).screenshot({ path: join(SHOTS, `trends-slopes-${width}.png`) });

      // Chosen skills, then a point: the postings and the sentences behind it.
      await show(page, { kind: 'summary', period: 'month', skills: 'python, kubernetes, sql' });
      expect(await page.locator(`svg.series.${layout} text.legend`).allTextContents()).toEqual(['Python', 'Kubernetes', 'SQL']);
      const point = page.locator(`svg.series.${layout} circle.target[data-skill=kubernetes][data-period="2026-03"]`).first();
      await point.click();
      await page.waitForSelector('#postings-list li');
      expect(await page.locator('#postings-title').textContent()).toMatch(/^Kubernetes in 2026-03: \d+ postings?$/);
      const marks = await page.locator('#postings-list mark').allTextContents();
      expect(marks.length).toBeGreaterThan(0);
      for (const m of marks) expect(m.toLowerCase()).toMatch(/kubernetes|k8s/);
      await noSideScroll();
      await page.screenshot({ path: join(SHOTS, `postings-${width}.png`), fullPage: true });

      await show(page, { kind: 'skill', skills: 'k8s' });
      expect(await page.locator('#report h2').first().textContent()).toBe('Kubernetes (devops)');
      await noSideScroll();
      await page.screenshot({ path: join(SHOTS, `skill-${width}.png`), fullPage: true });

      // The view is in the address: reloading it shows the same view.
      expect(new URL(page.url()).search).toBe('?kind=skill&period=month&skills=k8s');
      await page.reload();
      await page.waitForSelector('#report h2');
      expect(await page.locator('#report h2').first().textContent()).toBe('Kubernetes (devops)');
      expect(await page.inputValue('input[name=skills]')).toBe('k8s');

      await show(page, { kind: 'cooccurrence', skills: 'python' });
      expect(await page.locator('#report h2').first().textContent()).toBe('Skills named with Python');
      expect(await page.locator('#report tbody tr').count()).toBeGreaterThan(3);
      await page.screenshot({ path: join(SHOTS, `cooccurrence-${width}.png`), fullPage: true });
      expect(problems).toEqual([]);
      await page.close();
    });
  });
}
