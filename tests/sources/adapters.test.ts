import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type FetchContext, type Listing, parseSourceSpec } from '../../src/sources/adapters.js';
import { budgetedHttp, canonicalUrl, type FetchLimits, requestBudget } from '../../src/sources/source.js';
import type { SourceItem } from '../../src/sources/files.js';
import { HttpClient } from '../../src/sources/http.js';
import { type Handler, serve, startServer } from '../server.js';

const fixture = (name: string) => readFileSync(`fixtures/boards/${name}`, 'utf8');
const json = (name: string) => JSON.parse(fixture(name));

async function run(
  spec: string,
  routes: Record<string, Handler>,
  env: (url: string) => Record<string, string> = () => ({}),
  limits: Partial<FetchLimits> = {},
): Promise<Listing & { url: string; hits: Map<string, number> }> {
  const s = await startServer(routes);
  const client = new HttpClient({ userAgent: 'test', robots: false, minIntervalMs: 0, sleep: async () => undefined });
  const parsed = parseSourceSpec(spec.replace('{url}', s.url));
  if ('error' in parsed) throw new Error(parsed.error);
  const http = limits.maxRequests ? budgetedHttp(client, requestBudget(limits.maxRequests)) : client;
  const ctx: FetchContext = { http, env: env(s.url), fetchedAt: '2026-06-01T00:00:00.000Z', limits };
  try {
    return { ...(await parsed.adapter.fetch(parsed.arg, ctx)), url: s.url, hits: s.hits };
  } finally {
    await client.close();
  }
}

const postings = (l: Listing) => (l.status === 'ok' ? l.items.flatMap((i: SourceItem) => (i.ok ? [i.raw] : [])) : []);
const failures = (l: Listing) => (l.status === 'ok' ? l.items.flatMap((i: SourceItem) => (i.ok ? [] : [i.reason])) : []);

describe('source adapters against a loopback server', () => {
  it('greenhouse: decodes the entity-escaped content', async () => {
    const l = await run('greenhouse:acme', { '/acme/jobs': serve(json('greenhouse-acme.json')) }, (u) => ({ SKILLPULSE_GREENHOUSE_BASE_URL: u }));
    const [a, b] = postings(l);
    expect(l).toMatchObject({ status: 'ok', complete: true });
    expect(a).toMatchObject({ source: 'greenhouse:acme', externalId: '101', url: 'https://boards.example.test/acme/jobs/101', contentType: 'text/html', hints: { title: 'Machine Learning Engineer', company: 'Acme Robotics', location: 'Boston, MA', postedAt: '2026-05-01T13:00:00.000Z' } });
    expect(a?.body).toContain('<h2>Requirements</h2><ul><li>Python and PyTorch</li>');
    expect(b?.body).toContain('<li>SQL &amp; dbt</li>');
  });

  it('greenhouse: asks for content=true', async () => {
    const s = await startServer({ '/v1/boards/acme/jobs': serve(json('greenhouse-acme.json')) });
    const http = new HttpClient({ userAgent: 't', robots: false, minIntervalMs: 0 });
    const parsed = parseSourceSpec('greenhouse:acme');
    if ('error' in parsed) throw new Error();
    await parsed.adapter.fetch('acme', { http, env: { SKILLPULSE_GREENHOUSE_BASE_URL: `${s.url}/v1/boards` }, fetchedAt: '' });
    expect(s.requests[0]?.path).toBe('/v1/boards/acme/jobs?content=true');
    await http.close();
  });

  it('lever: joins description, lists and additional; reads epoch-ms dates; pages with skip and limit', async () => {
    const many = Array.from({ length: 100 }, (_, k) => ({ id: `p${k}`, text: 'Role', description: '<p>Go</p>', lists: [], createdAt: 1777000000000 }));
    const l = await run('lever:acme', {
      '/acme?mode=json&skip=0&limit=100': serve(many),
      '/acme?mode=json&skip=100&limit=100': serve(json('lever-acme.json')),
    }, (u) => ({ SKILLPULSE_LEVER_BASE_URL: u }));
    const all = postings(l);
    expect(all).toHaveLength(102);
    const lv1 = all.find((p) => p.externalId === 'lv-1');
    expect(lv1?.hints).toEqual({ title: 'Backend Engineer', company: 'acme', location: 'Berlin', remote: true, postedAt: '2026-04-24T03:06:40.000Z' });
    expect(lv1?.body).toContain("<h3>What you'll need</h3><ul><li>Go and PostgreSQL</li>");
    expect(lv1?.body).toContain('learning budget');
  });

  it('ashby: skips unlisted jobs and keeps the compensation', async () => {
    const l = await run('ashby:acme', { '/acme': serve(json('ashby-acme.json')) }, (u) => ({ SKILLPULSE_ASHBY_BASE_URL: u }));
    expect(postings(l).map((p) => [p.externalId, p.hints.salary, p.hints.remote])).toEqual([['ab-1', '€70K - €85K', true]]);
  });

  it('smartrecruiters: lists, then reads each posting', async () => {
    const l = await run('smartrecruiters:acme', {
      '/acme/postings': serve(json('smartrecruiters-acme-list.json')),
      '/acme/postings/sr-9': serve(json('smartrecruiters-acme-sr-9.json')),
    }, (u) => ({ SKILLPULSE_SMARTRECRUITERS_BASE_URL: u }));
    const [p] = postings(l);
    expect(p?.hints).toMatchObject({ title: 'DevOps Engineer', company: 'Acme Robotics', location: 'Lisbon, pt', remote: false });
    expect(p?.body).toContain('<h3>Qualifications</h3><ul><li>Terraform and AWS</li>');
  });

  it('workable: reads the account widget with details', async () => {
    const l = await run('workable:acme', { '/acme': serve(json('workable-acme.json')) }, (u) => ({ SKILLPULSE_WORKABLE_BASE_URL: u }));
    expect(postings(l).map((p) => [p.externalId, p.hints.title, p.hints.location])).toEqual([['WK1', 'QA Engineer', 'Porto, Portugal']]);
  });

  it('url: reads JSON-LD, keeps a canonical URL', async () => {
    const s = await startServer({ '/jobs/platform': serve(fixture('page-jsonld.html'), { 'content-type': 'text/html; charset=utf-8' }) });
    const http = new HttpClient({ userAgent: 't', robots: false, minIntervalMs: 0 });
    const parsed = parseSourceSpec(`url:${s.url}/jobs/platform?utm_source=x#apply`);
    if ('error' in parsed) throw new Error();
    const l = await parsed.adapter.fetch(parsed.arg, { http, env: {}, fetchedAt: '' });
    await http.close();
    const [p] = postings(l);
    expect(p).toMatchObject({ source: 'url', externalId: `${s.url}/jobs/platform`, hints: { title: 'Platform Engineer', company: 'Acme Robotics' } });
    expect(p?.body).toContain('Kubernetes and Terraform');
    expect(canonicalUrl('https://Jobs.Example.test/a?utm_medium=m&id=3#top')).toBe('https://jobs.example.test/a?id=3');
  });

  it('feed: reads RSS 2.0 and Atom', async () => {
    const rss = await run('feed:{url}/jobs.rss', { '/jobs.rss': serve(fixture('feed.rss'), { 'content-type': 'application/rss+xml' }) });
    expect(postings(rss).map((p) => [p.externalId, p.hints.title, p.hints.postedAt])).toEqual([
      ['acme-sre-1', 'Site Reliability Engineer', '2026-03-03T10:00:00.000Z'],
      ['https://jobs.example.test/acme/sec', 'Security Engineer', '2026-03-04T10:00:00.000Z'],
    ]);
    expect(postings(rss)[1]?.body).toBe('<p>Requirements: threat modeling and Go.</p>');
    const atom = await run('feed:{url}/jobs.atom', { '/jobs.atom': serve(fixture('feed.atom'), { 'content-type': 'application/atom+xml' }) });
    expect(postings(atom).map((p) => [p.externalId, p.url, p.body])).toEqual([['urn:acme:ml-1', 'https://jobs.example.test/acme/ml-1', '<p>PhD in machine learning. JAX or PyTorch.</p>']]);
  });

  it('hn: finds the latest thread, reads top-level comments with their first-line fields, skips deleted ones', async () => {
    const l = await run('hn:whoishiring', {
      '/user/whoishiring.json': serve(json('hn-user-whoishiring.json')),
      '/item/9100.json': serve(json('hn-item-9100.json')),
      '/item/9000.json': serve(json('hn-thread-9000.json')),
      '/item/9001.json': serve(json('hn-item-9001.json')),
      '/item/9002.json': serve(json('hn-item-9002.json')),
      '/item/9003.json': serve(json('hn-item-9003.json')),
    }, (u) => ({ SKILLPULSE_HN_BASE_URL: u }));
    expect(failures(l)).toEqual([]);
    expect(postings(l).map((p) => [p.externalId, p.hints])).toEqual([
      ['9001', { company: 'Acme Robotics', title: 'Senior Robotics Engineer', location: 'Boston, MA', postedAt: '2026-05-01T01:46:40.000Z' }],
      ['9002', { company: 'Nimbus Data', title: 'Data Engineer', remote: true, postedAt: '2026-05-01T01:48:20.000Z' }],
    ]);
  });

  it('reports malformed responses and unknown sources clearly', async () => {
    await expect(run('greenhouse:acme', { '/acme/jobs': serve('{"jobs": [') }, (u) => ({ SKILLPULSE_GREENHOUSE_BASE_URL: u }))).rejects.toThrow(/greenhouse:acme: malformed JSON/);
    await expect(run('ashby:acme', { '/acme': serve({ nothing: true }) }, (u) => ({ SKILLPULSE_ASHBY_BASE_URL: u }))).rejects.toThrow(/response has no jobs array/);
    await expect(run('greenhouse:acme', {}, (u) => ({ SKILLPULSE_GREENHOUSE_BASE_URL: u }))).rejects.toThrow(/HTTP 404/);
    expect(parseSourceSpec('monster:acme')).toEqual({ error: expect.stringMatching(/^unknown source "monster:acme" \(known: greenhouse:<board>/) });
    expect(parseSourceSpec('lever:')).toEqual({ error: 'source "lever:" needs an argument: lever:<company>' });
  });

  it('passes a failed record on as a failed item, keeping the rest', async () => {
    const doc = json('greenhouse-acme.json');
    doc.jobs.push({ id: 103, title: 'No content' });
    const l = await run('greenhouse:acme', { '/acme/jobs': serve(doc) }, (u) => ({ SKILLPULSE_GREENHOUSE_BASE_URL: u }));
    expect(postings(l)).toHaveLength(2);
    expect(failures(l)).toEqual(['job 103 without content']);
  });
});

// Issue 14, item 7: every listing is bounded, and says where it stopped.
describe('source adapters: limits', () => {
  const leverPage = (from: number, n: number) => Array.from({ length: n }, (_, k) => ({ id: `p${from + k}`, text: 'Role', description: '<p>Go</p>', lists: [], createdAt: 1777000000000 }));

  it('lever: reads at most maxPages pages, and calls the listing incomplete', async () => {
    const routes: Record<string, Handler> = {};
    // A board (or a broken mirror) that pages on for 600 postings.
    for (let skip = 0; skip <= 600; skip += 100) routes[`/acme?mode=json&skip=${skip}&limit=100`] = serve(leverPage(skip, skip < 600 ? 100 : 0));
    const l = await run('lever:acme', routes, (u) => ({ SKILLPULSE_LEVER_BASE_URL: u }), { maxPages: 3 });
    expect(postings(l)).toHaveLength(300);
    expect(l).toMatchObject({ status: 'ok', complete: false, limitsHit: ['page limit of 3 reached (--max-pages, http.maxPages); the rest of the listing is not read'] });
    expect(l.hits.get('/acme?mode=json&skip=300&limit=100')).toBeUndefined();
  });

  it('lever: a listing that ends within the limit is complete', async () => {
    const l = await run('lever:acme', { '/acme?mode=json&skip=0&limit=100': serve(leverPage(0, 100)), '/acme?mode=json&skip=100&limit=100': serve(leverPage(100, 2)) }, (u) => ({ SKILLPULSE_LEVER_BASE_URL: u }), { maxPages: 2 });
    expect(l).toMatchObject({ status: 'ok', complete: true });
    expect(l).not.toHaveProperty('limitsHit');
  });

  it('smartrecruiters: reads at most maxPages pages of the list', async () => {
    const detail = json('smartrecruiters-acme-sr-9.json');
    const routes: Record<string, Handler> = {};
    for (let offset = 0; offset < 200; offset += 100) {
      routes[`/acme/postings?limit=100&offset=${offset}`] = serve({ totalFound: 200, content: Array.from({ length: 100 }, (_, k) => ({ id: `sr-${offset + k}` })) });
      for (let k = 0; k < 100; k++) routes[`/acme/postings/sr-${offset + k}`] = serve({ ...detail, id: `sr-${offset + k}` });
    }
    const l = await run('smartrecruiters:acme', routes, (u) => ({ SKILLPULSE_SMARTRECRUITERS_BASE_URL: u }), { maxPages: 1 });
    expect(postings(l)).toHaveLength(100);
    expect(l).toMatchObject({ status: 'ok', complete: false, limitsHit: [expect.stringMatching(/^page limit of 1 reached/)] });
    expect(l.hits.get('/acme/postings?limit=100&offset=100')).toBeUndefined();
  });

  it('smartrecruiters: stops at the request limit, keeping what it read, failing nothing', async () => {
    const l = await run('smartrecruiters:acme', {
      '/acme/postings': serve({ totalFound: 3, content: [{ id: 'sr-9' }, { id: 'sr-10' }, { id: 'sr-11' }] }),
      '/acme/postings/sr-9': serve(json('smartrecruiters-acme-sr-9.json')),
      '/acme/postings/sr-10': serve(json('smartrecruiters-acme-sr-9.json')),
      '/acme/postings/sr-11': serve(json('smartrecruiters-acme-sr-9.json')),
    }, (u) => ({ SKILLPULSE_SMARTRECRUITERS_BASE_URL: u }), { maxRequests: 2 });
    expect(postings(l)).toHaveLength(1);
    expect(failures(l)).toEqual([]);
    expect(l).toMatchObject({ status: 'ok', complete: false, limitsHit: [expect.stringMatching(/^request limit of 2 for this source reached \(--max-requests, http\.maxRequests\)/)] });
    expect(l.hits.get('/acme/postings/sr-10')).toBeUndefined();
  });

  const thread = {
    '/item/9000.json': serve(json('hn-thread-9000.json')),
    '/item/9001.json': serve(json('hn-item-9001.json')),
    '/item/9002.json': serve(json('hn-item-9002.json')),
    '/item/9003.json': serve(json('hn-item-9003.json')),
  };

  it('hn: fetches at most maxThreadItems comments of a thread per run, the first ones', async () => {
    const l = await run('hn:9000', thread, (u) => ({ SKILLPULSE_HN_BASE_URL: u }), { maxThreadItems: 1 });
    expect(postings(l).map((p) => p.externalId)).toEqual(['9001']);
    expect(l).toMatchObject({ complete: false, limitsHit: ['item limit of 1 for this thread reached (--max-thread-items, http.maxThreadItems); 2 comments wait for the next run'] });
    expect([l.hits.get('/item/9002.json'), l.hits.get('/item/9003.json')]).toEqual([undefined, undefined]);
  });

  it('hn: stops at the request limit without counting the comments left as failures', async () => {
    const l = await run('hn:9000', thread, (u) => ({ SKILLPULSE_HN_BASE_URL: u }), { maxRequests: 2 });
    expect(postings(l)).toHaveLength(1);
    expect(failures(l)).toEqual([]);
    expect(l).toMatchObject({ limitsHit: [expect.stringMatching(/^request limit of 2 for this source reached/)] });
  });
});
