import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_KINDS } from '../../src/pipeline/report.js';
import { type RunningServer, startServer } from '../../src/serve/server.js';
import { runCli } from '../helpers.js';
import { demoDatabase, scratchDir } from './helpers.js';

// Issue 18: the read API of `skillpulse serve` on a real loopback server over the demo corpus.

const scratch = scratchDir();
let db: string;
let server: RunningServer;
const get = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init);
const post = (path: string, body: string, type = 'application/json') => fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });

beforeAll(async () => {
  db = await demoDatabase(scratch.dir);
  server = await startServer({ db, port: 0, extractTimeLimitMs: 5_000 });
}, 60_000);
afterAll(async () => {
  await server?.close();
  scratch.remove();
});

/** An error answer: JSON with statusCode, error and message, never a stack trace. */
async function expectError(res: Response, status: number, message: RegExp): Promise<void> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await res.json()) as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(['error', 'message', 'statusCode']);
  expect(body.statusCode).toBe(status);
  expect(body.message).toMatch(message);
  expect(JSON.stringify(body)).not.toMatch(/\n\s+at |\.ts:\d+|node_modules/);
}

describe('reports', () => {
  it.each(REPORT_KINDS)('%s: the same JSON as report --format json', async (kind) => {
    const args = kind === 'skill' ? ['kubernetes'] : [];
    const cli = await runCli(['report', '--db', db, '--kind', kind, ...args, '--period', 'quarter', '--top', '10', '--format', 'json']);
    expect(cli.code, cli.stderr).toBe(0);
    const res = await get(`/api/v1/reports/${kind}?period=quarter&top=10${kind === 'skill' ? '&skill=kubernetes' : ''}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(cli.stdout);
  });

  it('takes the same filters, checked the same way (an alias resolves)', async () => {
    const cli = await runCli(['report', '--db', db, '--kind', 'cooccurrence', '--skill', 'k8s', '--since', '2026-01', '--remote', 'no', '--format', 'json']);
    const res = await get('/api/v1/reports/cooccurrence?skill=k8s&since=2026-01&remote=no');
    expect(await res.text()).toBe(cli.stdout);
  });

  it.each([
    ['/api/v1/reports/summary?top=x', /query parameter "top" must match/],
    ['/api/v1/reports/summary?period=day', /query parameter "period" must be one of week, month, quarter, year/],
    ['/api/v1/reports/summary?colour=red', /query parameter "colour" is not known here/],
    ['/api/v1/reports/nothing', /path parameter "kind" must be one of summary, trends/],
    ['/api/v1/reports/summary?category=nope', /^category "nope" is not a category here; one of: /],
    ['/api/v1/reports/summary?source=nope', /^source "nope" names no source of this database; one of: file/],
    ['/api/v1/reports/summary?since=2026-02-30', /^since must be a date like 2026-03-01/],
    ['/api/v1/reports/summary?since=2026-05&until=2026-01', /^since 2026-05 is after until 2026-01/],
    ['/api/v1/reports/summary?skill=nosuchskill', /^skill: no skill "nosuchskill" in this database/],
    ['/api/v1/reports/skill', /the skill report needs skill/],
    ['/api/v1/postings?pageSize=1000', /^pageSize must be at most 100/],
    ['/api/v1/postings?period=2026-13', /^period must be a period key/],
    ['/api/v1/skills/nosuchskill', /^id: no skill "nosuchskill"/],
  ])('%s: 400 naming the parameter', async (path, message) => {
    await expectError(await get(path), 400, message);
  });

  it('unknown paths and methods: JSON 404', async () => {
    await expectError(await get('/api/v1/nothing'), 404, /no such path: GET \/api\/v1\/nothing/);
    await expectError(await fetch(`${server.url}/api/v1/reports/summary`, { method: 'DELETE' }), 404, /no such path/);
  });
});

describe('postings search', () => {
  it('pages through the postings naming a skill in a period, newest first, with the sentences', async () => {
    const first = (await (await get('/api/v1/postings?skill=python&period=2026-03&pageSize=4')).json()) as { total: number; items: { id: string; date: string; evidence: { skillId: string; text: string; sentence: string }[]; skills: { id: string }[] }[] };
    expect(first.total).toBeGreaterThan(4);
    expect(first.items).toHaveLength(4);
    for (const p of first.items) {
      expect(p.date >= '2026-03-01' && p.date <= '2026-03-31').toBe(true);
      expect(p.skills.map((s) => s.id)).toContain('python');
      expect(p.evidence.length).toBeGreaterThan(0);
      for (const e of p.evidence) {
        expect(e.skillId).toBe('python');
        expect(e.sentence).toContain(e.text);
      }
    }
    const dates = first.items.map((p) => p.date);
    expect([...dates].sort().reverse()).toEqual(dates);
    const second = (await (await get('/api/v1/postings?skill=python&period=2026-03&pageSize=4&page=2')).json()) as { items: { id: string }[] };
    expect(second.items.map((p) => p.id).filter((id) => first.items.some((p) => p.id === id))).toEqual([]);
  });

  it('finds words of the text and company, any case', async () => {
    const r = (await (await get('/api/v1/postings?q=KUBERNETES%20python&pageSize=100')).json()) as { total: number; items: { skills: { id: string }[] }[] };
    expect(r.total).toBeGreaterThan(0);
    const count = (await (await get('/api/v1/reports/cooccurrence?skill=kubernetes&top=0&minSupport=1')).json()) as { pairs: { b: string; together: number }[] };
    // Every posting naming both skills has both words; a word may also appear where no skill is counted (negated).
    expect(r.total).toBeGreaterThanOrEqual(count.pairs.find((p) => p.b === 'python')?.together ?? 0);
  });
});

describe('a skill page', () => {
  it('is the skill report with its latest postings', async () => {
    const page = (await (await get('/api/v1/skills/k8s?period=quarter')).json()) as Record<string, unknown> & {
      postings: { total: number; items: { skills: { id: string; years: number | null }[] }[] };
      years: { stated: number; median: number | null; distribution: { years: number; postings: number }[] };
    };
    const report = (await (await get('/api/v1/reports/skill?skill=kubernetes&period=quarter')).json()) as Record<string, unknown>;
    const { postings, years, ...rest } = page;
    expect(rest).toEqual(report);
    expect(postings.total).toBe(report.count);
    expect(postings.items).toHaveLength(10);
    // Years: the postings stating them, fewest first, and their median.
    expect(years.stated).toBe(years.distribution.reduce((a, d) => a + d.postings, 0));
    expect(years.stated).toBeGreaterThan(0);
    expect(years.distribution.map((d) => d.years)).toEqual([...years.distribution.map((d) => d.years)].sort((a, b) => a - b));
    const all = (await (await get('/api/v1/postings?skill=kubernetes&pageSize=100')).json()) as { items: { skills: { id: string; years: number | null }[] }[] };
    expect(all.items.filter((p) => p.skills.some((k) => k.id === 'kubernetes' && k.years !== null)).length).toBe(years.stated);
  });
});

describe('extraction', () => {
  it('answers what extract --format json --with-text prints', async () => {
    const text = 'Requirements: 5+ years of Python and Kubernetes. No PHP needed.';
    const res = await post('/api/v1/extract', JSON.stringify({ text }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { skills: { id: string; negated: boolean; years: number | null }[]; text: string };
    const cli = await runCli(['extract', '-', '--format', 'json', '--with-text'], text);
    const [record] = JSON.parse(cli.stdout) as { skills: unknown[]; text: string }[];
    expect(body.skills).toEqual(record?.skills);
    expect(body.text).toBe(record?.text);
    expect(body.skills.find((s) => s.id === 'php')?.negated).toBe(true);
  });

  it('takes a posting object', async () => {
    const res = await post('/api/v1/extract', JSON.stringify({ posting: { title: 'Data Engineer', company: 'Acme', description: '<p>Requirements: SQL and dbt</p>' } }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { title: string; skills: { id: string }[] };
    expect(body.title).toBe('Data Engineer');
    expect(body.skills.map((s) => s.id).sort()).toEqual(['dbt', 'sql']);
  });

  it('refuses oversized, malformed and empty bodies with JSON errors', async () => {
    await expectError(await post('/api/v1/extract', JSON.stringify({ text: 'x'.repeat(2 * 1024 * 1024) })), 413, /larger than the limit of 1048576 bytes/);
    await expectError(await post('/api/v1/extract', '{"text": '), 400, /not valid JSON/);
    await expectError(await post('/api/v1/extract', '{}'), 400, /needs "text" .* or "posting"/);
    await expectError(await post('/api/v1/extract', JSON.stringify({ text: 'a', posting: {} })), 400, /one of the two/);
    await expectError(await post('/api/v1/extract', JSON.stringify({ text: 1 })), 400, /body parameter "text" must be string/);
    await expectError(await post('/api/v1/extract', JSON.stringify({ text: 'a', extra: 1 })), 400, /body parameter "extra" is not known here/);
    await expectError(await post('/api/v1/extract', 'Requirements: Python', 'text/plain'), 415, /content-type/i);
    await expectError(await post('/api/v1/extract', JSON.stringify({ posting: { title: 'no text here' } })), 400, /text/);
  });
});

describe('the OpenAPI document and the metrics', () => {
  it('documents every API route from its schema', async () => {
    const doc = (await (await get('/api/v1/openapi.json')).json()) as { openapi: string; paths: Record<string, Record<string, { parameters?: { name: string }[] }>> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths).sort()).toEqual(['/api/v1/extract', '/api/v1/health', '/api/v1/meta', '/api/v1/postings', '/api/v1/reports/{kind}', '/api/v1/skills/{id}', '/api/v1/views/{kind}']);
    expect(doc.paths['/api/v1/reports/{kind}']?.get?.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['kind', 'period', 'since', 'skill', 'minSupport', 'unique']));
  });

  it('exposes requests, latency, extraction time, store size and the last runs in Prometheus text', async () => {
    await get('/api/v1/health');
    const res = await get('/metrics');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toMatch(/^skillpulse_http_requests_total\{method="GET",route="\/api\/v1\/health",status="200"\} [1-9]/m);
    expect(text).toMatch(/^skillpulse_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/api\/v1\/health"\}/m);
    expect(text).toMatch(/^skillpulse_extraction_duration_seconds_count\{outcome="ok"\} [1-9]/m);
    expect(text).toMatch(/^skillpulse_store_size_bytes [1-9]\d+/m);
    expect(text).toMatch(/^skillpulse_store_postings 275$/m);
    expect(text).toMatch(/^skillpulse_last_run_timestamp_seconds\{command="analyze fixtures\/demo",status="ok"\} 1\d{9}/m);
  });
});
