import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/errors.js';
import { parseConfig } from '../../src/pipeline/config.js';
import { cacheFor, type FetchOptions, fetchSources } from '../../src/pipeline/fetch.js';
import { runBatch } from '../../src/pipeline/run.js';
import { HttpClient } from '../../src/sources/http.js';
import type { SqliteStore } from '../../src/store/sqlite/store.js';
import { runCli, shippedTaxonomy, tempDir, sqliteStore } from '../helpers.js';
import { type Handler, serve, startServer } from '../server.js';

const json = (name: string) => JSON.parse(readFileSync(`fixtures/boards/${name}`, 'utf8'));

async function fetchOnce(db: SqliteStore, specs: string[], env: Record<string, string>, now: string, options: Partial<FetchOptions> = {}) {
  const cache = cacheFor(db);
  const http = new HttpClient({ userAgent: 'test', robots: false, minIntervalMs: 0, sleep: async () => undefined, maxAttempts: 2, cache });
  try {
    return await fetchSources(specs, db, shippedTaxonomy(), http, cache, { command: 'test', env, now: () => new Date(now), ...options });
  } finally {
    await http.close();
  }
}

const HN_THREAD: Record<string, Handler> = {
  '/item/9000.json': serve(json('hn-thread-9000.json')),
  '/item/9001.json': serve(json('hn-item-9001.json')),
  '/item/9002.json': serve(json('hn-item-9002.json')),
  '/item/9003.json': serve(json('hn-item-9003.json')),
};

/** Lever postings p<from>..p<from + n - 1>. */
const leverPage = (from: number, n: number) => Array.from({ length: n }, (_, k) => ({ id: `p${from + k}`, text: 'Role', description: '<p>Go and Kubernetes</p>', lists: [], createdAt: 1777000000000 }));

describe('fetchSources', () => {
  it('stores new postings, fetches nothing new on a 304, and closes what a board stops listing', async () => {
    let board = json('greenhouse-acme.json');
    let etag = '"v1"';
    const s = await startServer({
      '/acme/jobs': (req, res) => {
        if (req.headers['if-none-match'] === etag) return res.writeHead(304, { etag }).end();
        res.writeHead(200, { 'content-type': 'application/json', etag }).end(JSON.stringify(board));
      },
    });
    const env = { SKILLPULSE_GREENHOUSE_BASE_URL: s.url };
    const db = sqliteStore(':memory:');
    const first = await fetchOnce(db, ['greenhouse:acme'], env, '2026-06-01T00:00:00Z');
    expect(first.sources).toEqual([{ source: 'greenhouse:acme', new: 2, changed: 0, unchanged: 0, closed: 0, failed: 0, notModified: false }]);
    expect(db.db.prepare("SELECT skill_id FROM posting_skills ps JOIN postings p ON p.key = ps.posting_key WHERE p.external_id = '101' ORDER BY skill_id").all().map((r) => (r as { skill_id: string }).skill_id)).toEqual(
      expect.arrayContaining(['python', 'pytorch', 'machine-learning']),
    );

    const second = await fetchOnce(db, ['greenhouse:acme'], env, '2026-06-02T00:00:00Z');
    expect(second.sources[0]).toMatchObject({ new: 0, changed: 0, unchanged: 2, closed: 0, notModified: true });
    expect(s.requests.map((r) => r.headers['if-none-match'])).toEqual([undefined, '"v1"']);
    expect(db.db.prepare('SELECT DISTINCT last_seen FROM postings').all()).toEqual([{ last_seen: '2026-06-02T00:00:00.000Z' }]);

    // The board drops job 102 and edits 101.
    board = { jobs: [{ ...board.jobs[0], content: board.jobs[0].content.replace('ROS', 'ROS 2 and Rust') }] };
    etag = '"v2"';
    const third = await fetchOnce(db, ['greenhouse:acme'], env, '2026-06-03T00:00:00Z');
    expect(third.sources[0]).toMatchObject({ new: 0, changed: 1, unchanged: 0, closed: 1 });
    expect(db.db.prepare('SELECT external_id, closed_at FROM postings ORDER BY external_id').all()).toEqual([
      { external_id: '101', closed_at: null },
      { external_id: '102', closed_at: '2026-06-03T00:00:00.000Z' },
    ]);
    expect(db.db.prepare('SELECT first_seen FROM postings WHERE external_id = ?').get('101')).toEqual({ first_seen: '2026-06-01T00:00:00.000Z' });
    expect((await db.stats()).medianDaysOpen).toBe(2);
  });

  it('keeps going when one source fails, and lands the others', async () => {
    const s = await startServer({ '/acme': serve(json('ashby-acme.json')), '/broken/jobs': serve('{"jobs": [') });
    const db = sqliteStore(':memory:');
    const run = await fetchOnce(db, ['greenhouse:broken', 'ashby:acme', 'monster:x'], { SKILLPULSE_GREENHOUSE_BASE_URL: s.url, SKILLPULSE_ASHBY_BASE_URL: s.url }, '2026-06-01T00:00:00Z');
    expect(run.status).toBe('partial');
    expect(run.sources.map((x) => [x.source, x.new, x.failed, x.error ?? ''])).toEqual([
      ['greenhouse:broken', 0, 1, expect.stringMatching(/malformed JSON/)],
      ['ashby:acme', 1, 0, ''],
      ['monster:x', 0, 1, expect.stringMatching(/unknown source/)],
    ]);
    expect(db.db.prepare('SELECT COUNT(*) AS n FROM postings').get()).toEqual({ n: 1 });
    expect(db.db.prepare('SELECT COUNT(*) AS n FROM fetch_cache').get()).toEqual({ n: 0 });
  });

  it('does not fetch Hacker News comments it already has', async () => {
    const routes: Record<string, Handler> = {
      '/item/9000.json': serve(json('hn-thread-9000.json')),
      '/item/9001.json': serve(json('hn-item-9001.json')),
      '/item/9002.json': serve(json('hn-item-9002.json')),
      '/item/9003.json': serve(json('hn-item-9003.json')),
    };
    const s = await startServer(routes);
    const db = sqliteStore(':memory:');
    const env = { SKILLPULSE_HN_BASE_URL: s.url };
    const first = await fetchOnce(db, ['hn:9000'], env, '2026-06-01T00:00:00Z');
    expect(first.sources[0]).toMatchObject({ new: 2, failed: 0 });
    const second = await fetchOnce(db, ['hn:9000'], env, '2026-06-02T00:00:00Z');
    expect(second.sources[0]).toMatchObject({ new: 0, unchanged: 2 });
    expect(s.hits.get('/item/9001.json')).toBe(1);
    expect(db.db.prepare("SELECT company, title, location, remote FROM postings WHERE external_id = '9002'").get()).toEqual({ company: 'Nimbus Data', title: 'Data Engineer', location: null, remote: 1 });
  });
});

// Issue 14, item 7.
describe('fetchSources: limits', () => {
  it('stops a source at its request limit, keeps what it read, and reports the limit', async () => {
    const s = await startServer(HN_THREAD);
    const db = sqliteStore(':memory:');
    const run = await fetchOnce(db, ['hn:9000'], { SKILLPULSE_HN_BASE_URL: s.url }, '2026-06-01T00:00:00Z', { limits: { maxRequests: 2 } });
    expect(run.status).toBe('ok');
    expect(run.sources[0]).toMatchObject({ new: 1, failed: 0, limits: [expect.stringMatching(/^request limit of 2 for this source reached/)] });
    expect(run.warnings).toEqual([{ input: 'hn:9000', reason: expect.stringMatching(/^request limit of 2/) }]);
    // The next run fetches what was left.
    const next = await fetchOnce(db, ['hn:9000'], { SKILLPULSE_HN_BASE_URL: s.url }, '2026-06-02T00:00:00Z');
    expect(next.sources[0]).toMatchObject({ new: 1, unchanged: 1 });
  });

  it('closes nothing when a page limit cuts a listing short', async () => {
    const s = await startServer({ '/acme?mode=json&skip=0&limit=100': serve(leverPage(0, 100)), '/acme?mode=json&skip=100&limit=100': serve(leverPage(100, 2)) });
    const db = join(tempDir(), 'f.sqlite');
    const env = { SKILLPULSE_LEVER_BASE_URL: s.url };
    expect((await runCli(['fetch', 'lever:acme', '--db', db, '--interval-ms', '0', '--ignore-robots'], '', env)).code).toBe(0);
    const r = await runCli(['fetch', 'lever:acme', '--db', db, '--interval-ms', '0', '--ignore-robots', '--max-pages', '1'], '', env);
    expect(r.stderr).toContain('skillpulse: lever:acme: 0 new, 0 changed, 100 unchanged, 0 closed, 0 failed\n');
    expect(r.stderr).toContain('skillpulse: lever:acme: stopped short: page limit of 1 reached (--max-pages, http.maxPages); the rest of the listing is not read\n');
    const d = new Database(db, { readonly: true });
    expect(d.prepare('SELECT COUNT(*) AS n FROM postings WHERE closed_at IS NOT NULL').get()).toEqual({ n: 0 });
    d.close();
  });

  it('keeps no validators of a listing cut short, so the next run reads it again', async () => {
    const s = await startServer({ '/acme?mode=json&skip=0&limit=100': serve(leverPage(0, 100), { etag: '"p0"' }), '/acme?mode=json&skip=100&limit=100': serve(leverPage(100, 2)) });
    const db = sqliteStore(':memory:');
    const env = { SKILLPULSE_LEVER_BASE_URL: s.url };
    const cut = await fetchOnce(db, ['lever:acme'], env, '2026-06-01T00:00:00Z', { limits: { maxPages: 1 } });
    expect(cut.sources[0]).toMatchObject({ new: 100, closed: 0, limits: [expect.stringMatching(/^page limit of 1/)] });
    expect(db.db.prepare('SELECT COUNT(*) AS n FROM fetch_cache').get()).toEqual({ n: 0 });
    const whole = await fetchOnce(db, ['lever:acme'], env, '2026-06-02T00:00:00Z');
    expect(whole.sources[0]).toMatchObject({ new: 2, unchanged: 100, notModified: false });
  });

  it('takes the limits and allowPrivateHosts from a run config', async () => {
    const s = await startServer({
      '/acme?mode=json&skip=0&limit=100': serve(leverPage(0, 100)),
      '/acme?mode=json&skip=100&limit=100': serve(leverPage(100, 2)),
      '/page': serve('<h1>Platform Engineer</h1><p>Kubernetes</p>', { 'content-type': 'text/html' }),
    });
    // Loopback by another name: fetched only because the config allows private hosts.
    const page = `url:http://2130706433:${new URL(s.url).port}/page`;
    const text = `db: ":memory:"\nsources: [lever:acme, "${page}"]\nbaseUrls: { lever: "${s.url}" }\nhttp: { intervalMs: 0, ignoreRobots: true, maxPages: 1, maxThreadItems: 5, maxRequests: 50, allowPrivateHosts: true }\n`;
    const config = parseConfig(text, tempDir());
    if (!config.ok) throw new Error(JSON.stringify(config.problems));
    expect(config.value.http).toMatchObject({ maxPages: 1, maxThreadItems: 5, maxRequests: 50, allowPrivateHosts: true });
    const warnings: string[] = [];
    const quiet = () => undefined;
    const outcome = await runBatch(config.value, { env: {}, userAgent: 'test', configPath: 'test.yaml', events: { info: quiet, debug: quiet, progress: quiet, warn: (m) => void warnings.push(m) } });
    expect(outcome.sources[0]).toMatchObject({ new: 100, limits: [expect.stringMatching(/^page limit of 1 reached/)] });
    expect(outcome.sources[1]).toMatchObject({ source: page, new: 1, failed: 0 });
    expect(warnings).toContain('lever:acme: stopped short: page limit of 1 reached (--max-pages, http.maxPages); the rest of the listing is not read');
  });
});

// Issue 14, item 7: SIGTERM and SIGINT stop a fetch within seconds, even inside a source.
describe('fetchSources: interruption', () => {
  /** A thread whose comments never answer; `asked` resolves when the first is requested. */
  async function hangingThread() {
    let asked!: () => void;
    const firstItem = new Promise<void>((r) => (asked = r));
    const routes: Record<string, Handler> = { '/item/9000.json': serve(json('hn-thread-9000.json')) };
    for (const id of ['9001', '9002', '9003']) routes[`/item/${id}.json`] = () => asked();
    return { server: await startServer(routes), firstItem };
  }

  it('stops inside a source when the signal aborts, and records the run as interrupted', async () => {
    const { server, firstItem } = await hangingThread();
    const db = sqliteStore(':memory:');
    const controller = new AbortController();
    const cache = cacheFor(db);
    const http = new HttpClient({ userAgent: 'test', robots: false, minIntervalMs: 0, cache, signal: controller.signal });
    void firstItem.then(() => controller.abort('SIGTERM'));
    const started = Date.now();
    const err = await fetchSources(['hn:9000'], db, shippedTaxonomy(), http, cache, { command: 'test', env: { SKILLPULSE_HN_BASE_URL: server.url }, signal: controller.signal }).catch((e: unknown) => e);
    await http.close();
    expect(err).toBeInstanceOf(InterruptedError);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(db.db.prepare('SELECT status FROM runs').all()).toEqual([{ status: 'interrupted' }]);
  }, 15_000);

  it.each(['SIGTERM', 'SIGINT'] as const)('skillpulse fetch exits within seconds on %s, its run recorded as interrupted', async (signal) => {
    const { server, firstItem } = await hangingThread();
    const db = join(tempDir(), 'f.sqlite');
    const p = spawn(process.execPath, [join(process.cwd(), 'dist/cli/bin.js'), 'fetch', 'hn:9000', '--db', db, '--interval-ms', '0', '--ignore-robots'], {
      env: { ...process.env, SKILLPULSE_HN_BASE_URL: server.url, NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    p.stderr.on('data', (chunk: Buffer) => void (stderr += chunk));
    const exited = new Promise<number | null>((r) => p.on('close', (code) => r(code)));
    try {
      await firstItem;
      const sent = Date.now();
      p.kill(signal);
      // Issue 15: 130 for SIGINT, 143 for SIGTERM, as a shell reports them.
      expect(await exited).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(Date.now() - sent).toBeLessThan(5000);
      expect(stderr).toContain(`skillpulse fetch: interrupted (${signal})`);
      const d = new Database(db, { readonly: true });
      expect(d.prepare('SELECT status FROM runs').all()).toEqual([{ status: 'interrupted' }]);
      d.close();
    } finally {
      p.kill('SIGKILL');
    }
  }, 20_000);
});

// Issue 14, item 1, on the command line.
describe('skillpulse fetch: private addresses', () => {
  it('refuses loopback by another name, unless --allow-private-hosts', async () => {
    const s = await startServer({ '/page': serve('<h1>Platform Engineer</h1><p>Kubernetes</p>', { 'content-type': 'text/html' }) });
    const page = `url:http://2130706433:${new URL(s.url).port}/page`;
    const db = join(tempDir(), 'f.sqlite');
    const refused = await runCli(['fetch', page, '--db', db, '--interval-ms', '0', '--ignore-robots']);
    // Its only source failed: exit 4 (issue 15).
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/FAILED: http:\/\/127\.0\.0\.1:\d+\/page \(written http:\/\/2130706433:\d+\/page\) refused: 127\.0\.0\.1 is a loopback address/);
    expect(s.hits.get('/page')).toBeUndefined();
    const allowed = await runCli(['fetch', page, '--db', db, '--interval-ms', '0', '--ignore-robots', '--allow-private-hosts']);
    expect(allowed).toMatchObject({ code: 0, stderr: expect.stringContaining(': 1 new') });
  });
});

describe('skillpulse fetch', () => {
  it('fetches each kind of source and prints a summary per source', async () => {
    const s = await startServer({
      '/gh/acme/jobs': serve(json('greenhouse-acme.json'), { etag: '"a"' }),
      '/lever/acme': serve(json('lever-acme.json')),
      '/feed.rss': serve(readFileSync('fixtures/boards/feed.rss', 'utf8'), { 'content-type': 'application/rss+xml' }),
      '/robots.txt': serve('User-agent: *\nDisallow: /private'),
      '/private/page': serve('<h1>x</h1>'),
    });
    const db = join(tempDir(), 'f.sqlite');
    const env = { SKILLPULSE_GREENHOUSE_BASE_URL: `${s.url}/gh`, SKILLPULSE_LEVER_BASE_URL: `${s.url}/lever` };
    const r = await runCli(['fetch', 'greenhouse:acme', 'lever:acme', `feed:${s.url}/feed.rss`, `url:${s.url}/private/page`, '--db', db, '--interval-ms', '0', '--contact', 'https://example.test/about'], '', env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('skillpulse: greenhouse:acme: 2 new, 0 changed, 0 unchanged, 0 closed, 0 failed');
    expect(r.stderr).toContain('skillpulse: lever:acme: 2 new, 0 changed, 0 unchanged, 0 closed, 0 failed');
    expect(r.stderr).toContain(`feed:${s.url}/feed.rss: 2 new`);
    expect(r.stderr).toMatch(/url:.*\/private\/page: FAILED: robots\.txt of .* disallows \/private\/page/);
    expect(s.requests.find((q) => q.path === '/gh/acme/jobs?content=true')?.headers['user-agent']).toMatch(/^skillpulse\/\d+\.\d+\.\d+ \(\+https:\/\/example\.test\/about\)$/);
    const again = await runCli(['fetch', 'greenhouse:acme', '--db', db, '--interval-ms', '0'], '', env);
    expect(again).toMatchObject({ code: 0, stderr: expect.stringContaining('greenhouse:acme: 0 new, 0 changed, 2 unchanged, 0 closed, 0 failed (not modified)') });
  });

  it('needs --db and at least one source', async () => {
    expect(await runCli(['fetch', 'greenhouse:acme'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--db <path|url> is required') });
    expect(await runCli(['fetch', '--db', join(tempDir(), 'x.sqlite')])).toMatchObject({ code: 2, stderr: expect.stringContaining('give at least one source') });
  });
});

// Issue 15, item 3: an offline machine, and a run in which every source failed.
describe('skillpulse fetch: nothing reachable', () => {
  /** A loopback port that refuses connections: a server started and closed again. */
  async function refusingPort(): Promise<string> {
    const s = await startServer({});
    const url = s.url;
    await s.close();
    return url;
  }

  it('a refused connection says "network unreachable", not robots.txt, gives up quickly, and exits 4 when every source failed', async () => {
    const url = await refusingPort();
    const db = join(tempDir(), 'f.sqlite');
    const started = Date.now();
    const r = await runCli(['fetch', 'greenhouse:acme', `url:${url}/jobs/1`, '--db', db, '--interval-ms', '0'], '', { SKILLPULSE_GREENHOUSE_BASE_URL: url });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(r.code).toBe(4);
    const host = new URL(url).host;
    expect(r.stderr).toContain(`skillpulse: greenhouse:acme: FAILED: network unreachable: cannot connect to ${host} (connection refused, ECONNREFUSED)`);
    expect(r.stderr).not.toContain('robots.txt');
  });

  it('a partial run (one source landed, one unreachable) still exits 1', async () => {
    const down = await refusingPort();
    const s = await startServer({ '/acme/jobs': serve(json('greenhouse-acme.json')) });
    const db = join(tempDir(), 'f.sqlite');
    const r = await runCli(['fetch', 'greenhouse:acme', `url:${down}/jobs/1`, '--db', db, '--interval-ms', '0', '--ignore-robots'], '', { SKILLPULSE_GREENHOUSE_BASE_URL: s.url });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('greenhouse:acme: 2 new');
  });

  it('a name the resolver cannot find says "network unreachable" after two tries', async () => {
    let lookups = 0;
    const http = new HttpClient({
      userAgent: 'test',
      minIntervalMs: 0,
      sleep: async () => undefined,
      resolveHost: async (hostname) => {
        lookups++;
        throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
      },
    });
    try {
      await expect(http.get('https://boards.example.test/jobs')).rejects.toThrow('network unreachable: cannot resolve boards.example.test (host name not found, ENOTFOUND)');
    } finally {
      await http.close();
    }
    // robots.txt first: two tries, and the page is not asked for again.
    expect(lookups).toBe(2);
  });

  it('run: every source failed is exit 4, and recorded', async () => {
    const url = await refusingPort();
    const dir = tempDir();
    const config = join(dir, 'skillpulse.yaml');
    writeFileSync(config, `db: p.sqlite\nsources: [greenhouse:acme]\nbaseUrls: { greenhouse: "${url}" }\nreports: []\n`);
    const r = await runCli(['run', '--config', config]);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toContain('network unreachable');
    // Nothing was read: the run is recorded as failed, not partial.
    const runs = await runCli(['runs', '--db', join(dir, 'p.sqlite'), '--format', 'json']);
    expect(JSON.parse(runs.stdout).map((x: { status: string }) => x.status)).toEqual(['failed']);
  });
});
