import { describe, expect, it } from 'vitest';
import { planBrowserTests } from './chromium.js';

// Issue 15, item 13: `npm ci && npm test` passes where Chromium is not installed, saying the browser
// tests were skipped and how to enable them; in CI a missing Chromium is a failure, never a skip.

const none = () => false;
const only = (path: string) => (p: string) => p === path;

describe('planBrowserTests', () => {
  it('runs with Debian chromium when it is there', () => {
    expect(planBrowserTests({}, only('/usr/bin/chromium'))).toEqual({ run: true, path: '/usr/bin/chromium' });
  });

  it('finds Ubuntu chromium-browser too', () => {
    expect(planBrowserTests({}, only('/usr/bin/chromium-browser'))).toEqual({ run: true, path: '/usr/bin/chromium-browser' });
  });

  it('runs with CHROMIUM_PATH, and only with it, when set', () => {
    expect(planBrowserTests({ CHROMIUM_PATH: '/opt/chrome/chrome' }, only('/opt/chrome/chrome'))).toEqual({ run: true, path: '/opt/chrome/chrome' });
    expect(planBrowserTests({ CHROMIUM_PATH: '/nope/chromium' }, only('/usr/bin/chromium'))).toMatchObject({ run: false });
  });

  it.each([{}, { CI: '' }, { CI: 'false' }, { CI: '0' }])('skips without Chromium outside CI (%j), saying how to enable the tests', (env) => {
    const plan = planBrowserTests(env, none);
    expect(plan).toMatchObject({ run: false, fail: false });
    if (plan.run) return;
    expect(plan.message).toMatch(/^SKIPPED: the browser tests of the HTML report, Chromium not found at \/usr\/bin\/chromium or \/usr\/bin\/chromium-browser\./);
    expect(plan.message).toContain('apt-get install -y chromium');
    expect(plan.message).toContain('CHROMIUM_PATH');
  });

  it.each([{ CI: 'true' }, { CI: '1' }, { CI: 'true', CHROMIUM_PATH: '/nope/chromium' }])('fails without Chromium in CI (%j)', (env) => {
    const plan = planBrowserTests(env, none);
    expect(plan).toMatchObject({ run: false, fail: true });
    if (plan.run) return;
    expect(plan.message).toContain('must run');
    expect(plan.message).toContain('apt-get install -y chromium');
  });

  it('names the CHROMIUM_PATH it did not find', () => {
    const plan = planBrowserTests({ CHROMIUM_PATH: '/nope/chromium' }, none);
    expect(plan.run ? '' : plan.message).toContain('Chromium not found at /nope/chromium (CHROMIUM_PATH)');
  });
});
