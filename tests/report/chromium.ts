/**
 * Where the browser tests find Chromium, and what they do without it (issue 15, item 13): on a
 * developer's machine they are skipped, saying so and how to enable them; in CI (`CI` set) a missing
 * Chromium fails them, so a green CI always means the pages were opened in a browser.
 */
export type BrowserPlan = { run: true; path: string } | { run: false; fail: boolean; message: string };

/** Debian's package (`apt-get install -y chromium`), and Ubuntu's older name for it. */
export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** Decides from the environment and the file system (`exists`) whether the browser tests run. */
export function planBrowserTests(env: Record<string, string | undefined>, exists: (path: string) => boolean): BrowserPlan {
  const chosen = env.CHROMIUM_PATH;
  const path = chosen || CHROMIUM_CANDIDATES.find(exists) || (CHROMIUM_CANDIDATES[0] as string);
  if (exists(path)) return { run: true, path };
  const where = chosen ? `at ${path} (CHROMIUM_PATH)` : `at ${CHROMIUM_CANDIDATES.join(' or ')}`;
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  const how = 'install it with `apt-get install -y chromium`, or set CHROMIUM_PATH to a Chromium or Chrome binary';
  return ci
    ? { run: false, fail: true, message: `Chromium not found ${where}: in CI (CI=${env.CI}) the browser tests of the HTML report must run; ${how}.` }
    : { run: false, fail: false, message: `SKIPPED: the browser tests of the HTML report, Chromium not found ${where}. To run them, ${how}.` };
}
