import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheFor, fetchSources } from '../../src/pipeline/fetch.js';
import { HttpClient } from '../../src/sources/http.js';
import { type DB, openDatabase } from '../../src/store/db.js';
import { runCli, shippedTaxonomy, tempDir } from '../helpers.js';
import { type Handler, serve, startServer } from '../server.js';

const json = (name: string) => JSON.parse(readFileSync(`fixtures/boards/${name}`, 'utf8'));

async function fetchOnce(db: DB, specs: string[], env: Record<string, string>, now: string) {
  const cache = cacheFor(db);
  const http = new HttpClient({ userAgent: 'test', robots: false, minIntervalMs: 0, sleep: async () => undefined, maxAttempts: 2, cache });
  try {
    return await fetchSources(specs, db, shippedTaxonomy(), http, cache, { command: 'test', env, now: () => new Date(now) });
  } finally {
    await http.close();
  }
}

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
    const db = openDatabase(':memory:');
    const first = await fetchOnce(db, ['greenhouse:acme'], env, '2026-06-01T00:00:00Z');
    expect(first.sources).toEqual([{ source: 'greenhouse:acme', new: 2, changed: 0, unchanged: 0, closed: 0, failed: 0, notModified: false }]);
    expect(db.prepare("SELECT skill_id FROM posting_skills ps JOIN postings p ON p.key = ps.posting_key WHERE p.external_id = '101' ORDER BY skill_id").all().map((r) => (r as { skill_id: string }).skill_id)).toEqual(
      expect.arrayContaining(['python', 'pytorch', 'machine-learning']),
    );

    const second = await fetchOnce(db, ['greenhouse:acme'], env, '2026-06-02T00:00:00Z');
    expect(second.sources[0]).toMatchObject({ new: 0, changed: 0, unchanged: 2, closed: 0, notModified: true });
    expect(s.requests.map((r) => r.headers['if-none-match'])).toEqual([undefined, '"v1"']);
    expect(db.prepare('SELECT DISTINCT last_seen FROM postings').all()).toEqual([{ last_seen: '2026-06-02T00:00:00.000Z' }]);

    // The board drops job 102 and edits 101.
    board = { jobs: [{ ...board.jobs[0], content: board.jobs[0].content.replace('ROS', 'ROS 2 and Rust') }] };
    etag = '"v2"';
    const third = await fetchOnce(db, ['greenhouse:acme'], env, '2026-06-03T00:00:00Z');
    expect(third.sources[0]).toMatchObject({ new: 0, changed: 1, unchanged: 0, closed: 1 });
    expect(db.prepare('SELECT external_id, closed_at FROM postings ORDER BY external_id').all()).toEqual([
      { external_id: '101', closed_at: null },
      { external_id: '102', closed_at: '2026-06-03T00:00:00.000Z' },
    ]);
    expect(db.prepare('SELECT first_seen FROM postings WHERE external_id = ?').get('101')).toEqual({ first_seen: '2026-06-01T00:00:00.000Z' });
    const { readDbStats } = await import('../../src/store/maintenance.js');
    expect(readDbStats(db, ':memory:').medianDaysOpen).toBe(2);
  });

  it('keeps going when one source fails, and lands the others', async () => {
    const s = await startServer({ '/acme': serve(json('ashby-acme.json')), '/broken/jobs': serve('{"jobs": [') });
    const db = openDatabase(':memory:');
    const run = await fetchOnce(db, ['greenhouse:broken', 'ashby:acme', 'monster:x'], { SKILLPULSE_GREENHOUSE_BASE_URL: s.url, SKILLPULSE_ASHBY_BASE_URL: s.url }, '2026-06-01T00:00:00Z');
    expect(run.status).toBe('partial');
    expect(run.sources.map((x) => [x.source, x.new, x.failed, x.error ?? ''])).toEqual([
      ['greenhouse:broken', 0, 1, expect.stringMatching(/malformed JSON/)],
      ['ashby:acme', 1, 0, ''],
      ['monster:x', 0, 1, expect.stringMatching(/unknown source/)],
    ]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM postings').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM fetch_cache').get()).toEqual({ n: 0 });
  });

  it('does not fetch Hacker News comments it already has', async () => {
    const routes: Record<string, Handler> = {
      '/item/9000.json': serve(json('hn-thread-9000.json')),
      '/item/9001.json': serve(json('hn-item-9001.json')),
      '/item/9002.json': serve(json('hn-item-9002.json')),
      '/item/9003.json': serve(json('hn-item-9003.json')),
    };
    const s = await startServer(routes);
    const db = openDatabase(':memory:');
    const env = { SKILLPULSE_HN_BASE_URL: s.url };
    const first = await fetchOnce(db, ['hn:9000'], env, '2026-06-01T00:00:00Z');
    expect(first.sources[0]).toMatchObject({ new: 2, failed: 0 });
    const second = await fetchOnce(db, ['hn:9000'], env, '2026-06-02T00:00:00Z');
    expect(second.sources[0]).toMatchObject({ new: 0, unchanged: 2 });
    expect(s.hits.get('/item/9001.json')).toBe(1);
    expect(db.prepare("SELECT company, title, location, remote FROM postings WHERE external_id = '9002'").get()).toEqual({ company: 'Nimbus Data', title: 'Data Engineer', location: null, remote: 1 });
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
    expect(await runCli(['fetch', 'greenhouse:acme'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--db <path> is required') });
    expect(await runCli(['fetch', '--db', join(tempDir(), 'x.sqlite')])).toMatchObject({ code: 2, stderr: expect.stringContaining('give at least one source') });
  });
});
