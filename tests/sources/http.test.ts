import { readFileSync } from 'node:fs';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { NotRetriedError, RetriedError, ThrottledError } from '../../src/errors.js';
import { decodeBody } from '../../src/sources/charset.js';
import { type CacheEntry, decideRetry, HttpClient, type HttpClientOptions, parseRetryAfter } from '../../src/sources/http.js';
import { type Handler, serve, startServer } from '../server.js';

const delays: number[] = [];
function client(options: Partial<HttpClientOptions> = {}): HttpClient {
  delays.length = 0;
  return new HttpClient({
    userAgent: 'skillpulse-test/1 (+mailto:test@example.test)',
    minIntervalMs: 0,
    robots: false,
    random: () => 0.5,
    sleep: async (ms) => void delays.push(ms),
    ...options,
  });
}

describe('HttpClient: retries', () => {
  it('waits out a 429 with Retry-After without spending a try', async () => {
    const s = await startServer({
      '/jobs': (_req, res, n) => (n <= 2 ? res.writeHead(429, { 'retry-after': '2' }).end() : serve({ ok: true })(_req, res, n)),
    });
    const r = await client({ maxAttempts: 1 }).get(`${s.url}/jobs`);
    expect(JSON.parse(r.text)).toEqual({ ok: true });
    expect(delays).toEqual([2000, 2000]);
    expect(s.hits.get('/jobs')).toBe(3);
  });

  it('retries a 500 with exponential backoff and jitter, then succeeds', async () => {
    const s = await startServer({ '/x': (req, res, n) => (n <= 2 ? res.writeHead(500).end() : serve('fine')(req, res, n)) });
    const r = await client({ baseDelayMs: 100 }).get(`${s.url}/x`);
    expect(r.text).toBe('fine');
    // random() = 0.5: 0.75 of 100 * 2^0, then of 100 * 2^1.
    expect(delays).toEqual([75, 150]);
  });

  it('gives up after maxAttempts with a RetriedError', async () => {
    const s = await startServer({ '/x': (_req, res) => res.writeHead(503).end() });
    await expect(client({ maxAttempts: 3 }).get(`${s.url}/x`)).rejects.toThrow(RetriedError);
    expect(s.hits.get('/x')).toBe(3);
  });

  it('does not retry a 404 (but retries 408)', async () => {
    const s = await startServer({ '/gone': (_req, res) => res.writeHead(404).end(), '/slow': (req, res, n) => (n === 1 ? res.writeHead(408).end() : serve('ok')(req, res, n)) });
    const c = client();
    await expect(c.get(`${s.url}/gone`)).rejects.toSatisfy((e) => e instanceof NotRetriedError && e.status === 404);
    expect(s.hits.get('/gone')).toBe(1);
    expect((await c.get(`${s.url}/slow`)).text).toBe('ok');
  });

  it('survives a connection reset in the middle of a body', async () => {
    const s = await startServer({
      '/x': (req, res, n) => {
        if (n > 1) return serve('whole body')(req, res, n);
        res.writeHead(200, { 'content-length': '1000' });
        res.write('partial');
        setTimeout(() => req.socket.destroy(), 10);
      },
    });
    expect((await client().get(`${s.url}/x`)).text).toBe('whole body');
    expect(s.hits.get('/x')).toBe(2);
  });

  it('cuts off a slow drip at the body timeout', async () => {
    const s = await startServer({
      '/drip': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        const t = setInterval(() => res.write('.'), 20);
        res.on('close', () => clearInterval(t));
      },
    });
    await expect(client({ bodyTimeoutMs: 150, maxAttempts: 1 }).get(`${s.url}/drip`)).rejects.toThrow(/body not read within 150 ms/);
  });

  it('refuses a body over the cap, without retrying', async () => {
    const s = await startServer({ '/big': serve('x'.repeat(5000)) });
    await expect(client({ maxBodyBytes: 1000 }).get(`${s.url}/big`)).rejects.toThrow(/body larger than 1000 bytes/);
    expect(s.hits.get('/big')).toBe(1);
  });

  it('bounds the total time of retries', () => {
    const o = { maxAttempts: 10, maxThrottles: 5, baseDelayMs: 1000, maxDelayMs: 60_000, maxTotalMs: 5000 };
    const failed = (n: number) => ({ failed: n, throttled: 0 });
    expect(decideRetry(new RetriedError('u', 'x'), failed(1), 0, o, () => 1)).toBe(1000);
    expect(decideRetry(new RetriedError('u', 'x'), failed(3), 1000, o, () => 1)).toBe(4000);
    expect(decideRetry(new RetriedError('u', 'x'), failed(4), 1500, o, () => 1)).toBeUndefined();
    expect(decideRetry(new ThrottledError('u', 'x', 9000), { failed: 0, throttled: 1 }, 0, o, () => 1)).toBeUndefined();
    expect(decideRetry(new NotRetriedError('u', 'x'), failed(1), 0, o, () => 1)).toBeUndefined();
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:10 GMT', 4000)).toBe(6000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });

  // Issue 14, item 8: a Retry-After that asks for no wait, or cannot be read, is no Retry-After.
  it.each(['0', '-5', '1.5', 'Thu, 01 Jan 1970 00:00:10 GMT'])('reads Retry-After %j as absent', (value) => {
    expect(parseRetryAfter(value, 60_000)).toBeUndefined();
  });

  it('backs off exponentially on a 429 without Retry-After, without spending a try', async () => {
    const s = await startServer({ '/x': (req, res, n) => (n <= 3 ? res.writeHead(429).end() : serve('ok')(req, res, n)) });
    expect((await client({ baseDelayMs: 100, maxAttempts: 1 }).get(`${s.url}/x`)).text).toBe('ok');
    // random() = 0.5: 0.75 of 100 * 2^0, 2^1, 2^2.
    expect(delays).toEqual([75, 150, 300]);
  });

  it.each(['0', '-5', 'soon', 'Thu, 01 Jan 1970 00:00:10 GMT'])('backs off on a 429 whose Retry-After is %j, as if it had none', async (retryAfter) => {
    const s = await startServer({ '/x': (req, res, n) => (n <= 2 ? res.writeHead(429, { 'retry-after': retryAfter }).end() : serve('ok')(req, res, n)) });
    expect((await client({ baseDelayMs: 100 }).get(`${s.url}/x`)).text).toBe('ok');
    expect(delays).toEqual([75, 150]);
  });

  it.each([
    [429, {}],
    [429, { 'retry-after': '1' }],
    [503, { 'retry-after': '1' }],
  ])('gives up on a server that always answers %i (%j) after 5 throttled waits', async (status, headers) => {
    const s = await startServer({ '/x': (_req, res) => res.writeHead(status, headers).end() });
    // A clock that moves with the waits, so that only the cap can stop the client early.
    let clock = 0;
    const c = client({ baseDelayMs: 100, now: () => clock, sleep: async (ms) => void delays.push((clock += ms)) });
    const err = await c.get(`${s.url}/x`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ThrottledError);
    expect((err as Error).message).toBe(`HTTP ${status}`);
    expect(s.hits.get('/x')).toBe(6);
  });
});

describe('HttpClient: interruption', () => {
  it('stops a request in flight, and a throttled wait, as soon as the signal aborts', async () => {
    const s = await startServer({
      '/hang': () => undefined, // never answers
      '/busy': (_req, res) => res.writeHead(429, { 'retry-after': '60' }).end(),
    });
    for (const path of ['/hang', '/busy']) {
      const controller = new AbortController();
      const c = new HttpClient({ userAgent: 't', robots: false, minIntervalMs: 0, signal: controller.signal });
      const started = Date.now();
      setTimeout(() => controller.abort('SIGTERM'), 200);
      await expect(c.get(`${s.url}${path}`)).rejects.toThrow(new RegExp(`^interrupted \\(SIGTERM\\) while fetching ${s.url}${path}$`));
      await c.close();
      expect(Date.now() - started).toBeLessThan(3000);
    }
  });
});

describe('HttpClient: redirects', () => {
  it('follows up to five redirects', async () => {
    const routes: Record<string, ReturnType<typeof serve>> = { '/r5': serve('arrived') };
    for (let k = 0; k < 5; k++) routes[`/r${k}`] = (_req, res) => res.writeHead(302, { location: `/r${k + 1}` }).end();
    const s = await startServer(routes);
    const r = await client().get(`${s.url}/r0`);
    expect([r.text, r.url]).toEqual(['arrived', `${s.url}/r5`]);
  });

  it('stops a redirect loop', async () => {
    const s = await startServer({ '/a': (_req, res) => res.writeHead(301, { location: '/b' }).end(), '/b': (_req, res) => res.writeHead(301, { location: '/a' }).end() });
    await expect(client().get(`${s.url}/a`)).rejects.toThrow(/more than 5 redirects/);
  });

  it('refuses a redirect to another scheme', async () => {
    const s = await startServer({ '/x': (_req, res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end() });
    await expect(client().get(`${s.url}/x`)).rejects.toThrow(/redirect to scheme file: refused/);
    await expect(client().get('ftp://example.test/x')).rejects.toThrow(NotRetriedError);
  });
});

describe('HttpClient: bodies', () => {
  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ] as const)('decodes %s', async (encoding, compress) => {
    const s = await startServer({ '/z': (_req, res) => res.writeHead(200, { 'content-encoding': encoding, 'content-type': 'text/plain' }).end(compress(Buffer.from('Kubernetes and Go'))) });
    expect((await client().get(`${s.url}/z`)).text).toBe('Kubernetes and Go');
  });

  it('stops a gzip bomb at the cap of inflated bytes, before the whole bomb is even sent', async () => {
    const cap = 1024 * 1024;
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024)); // 50 MB of zeros, about 50 KB on the wire
    // The first 8 KB inflate to several MB, past the cap; the rest is sent only if the client still listens.
    let restSent = false;
    let closed!: () => void;
    const connectionClosed = new Promise<void>((r) => (closed = r));
    const s = await startServer({
      '/bomb': (_req, res) => {
        res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'text/plain' });
        res.write(bomb.subarray(0, 8192));
        const later = setTimeout(() => {
          restSent = true;
          res.end(bomb.subarray(8192));
        }, 2000);
        res.on('close', () => {
          clearTimeout(later);
          closed();
        });
      },
    });
    const err = await client({ maxBodyBytes: cap }).get(`${s.url}/bomb`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotRetriedError);
    expect((err as Error).message).toBe(`body larger than ${cap} bytes`);
    await connectionClosed;
    expect(restSent).toBe(false);
    expect(s.hits.get('/bomb')).toBe(1);
  });

  it('reads the charset a page declares when the header gives none', async () => {
    const bytes = readFileSync('fixtures/boards/page-latin1.html');
    const s = await startServer({ '/p': (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(bytes) });
    expect((await client().get(`${s.url}/p`)).text).toContain('Ingénieur données – Café Lumière');
  });

  it('survives a wrong charset header', () => {
    const latin1 = Buffer.from('Café', 'latin1');
    const utf8 = Buffer.from('Café – ok', 'utf8');
    expect(decodeBody(latin1, 'text/html; charset=utf-8')).toBe('Café');
    expect(decodeBody(utf8, 'text/html; charset=iso-8859-1')).toBe('Café – ok');
    expect(decodeBody(Buffer.from('plain'), 'text/plain; charset=nonsense-42')).toBe('plain');
  });

  const LODZ = Buffer.from([0xa3, 0xf3, 0x64, 0xbc]); // "Łódź" in ISO-8859-2, "£ód¼" in windows-1252
  it.each([
    ['reads <meta http-equiv content="...; charset=...">', '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-2">', 'text/html', 'Łódź'],
    ['reads <?xml encoding?>', '<?xml version="1.0" encoding="ISO-8859-2"?>', 'application/xml', 'Łódź'],
    ['lets the header charset win over the page', '<meta charset="windows-1252">', 'text/html; charset=latin2', 'Łódź'],
    ['ignores a <meta charset> inside a comment', '<!-- <meta charset="iso-8859-2"> -->', 'text/html', '£ód¼'],
  ])('%s', (_name, head, contentType, word) => {
    expect(decodeBody(Buffer.concat([Buffer.from(head), LODZ]), contentType)).toBe(head + word);
  });

  it.each([
    ['keeps the curly quotes and dashes of a latin1 label (read as windows-1252)', [0x93, 0x47, 0x6f, 0x94, 0x20, 0x96], 'text/html; charset=iso-8859-1', '\u201cGo\u201d \u2013'],
    ['follows a UTF-16 byte order mark over the header', [0xff, 0xfe, ...Buffer.from('Café', 'utf16le')], 'text/html; charset=utf-8', 'Café'],
    ['reads a UTF-16 label without a byte order mark', [...Buffer.from('Go', 'utf16le')], 'text/plain; charset=utf-16le', 'Go'],
    ['drops a UTF-8 byte order mark', [...Buffer.from('\ufeffRust', 'utf8')], 'text/plain', 'Rust'],
    ['falls back to windows-1252 for a label it cannot decode', [0x93, 0x41, 0x94], 'text/html; charset=x-user-defined', '\u201cA\u201d'],
  ])('%s', (_name, bytes, contentType, expected) => {
    expect(decodeBody(Buffer.from(bytes), contentType)).toBe(expected);
  });
});

describe('HttpClient: politeness', () => {
  it('obeys robots.txt, reading it once per host', async () => {
    const s = await startServer({
      '/robots.txt': serve('User-agent: *\nDisallow: /private\n\nUser-agent: otherbot\nDisallow: /'),
      '/private/job': serve('secret'),
      '/jobs/1': serve('public'),
      '/jobs/2': serve('public too'),
    });
    const c = client({ robots: true });
    await expect(c.get(`${s.url}/private/job`)).rejects.toThrow(/robots\.txt of .* disallows \/private\/job/);
    expect((await c.get(`${s.url}/jobs/1`)).text).toBe('public');
    await c.get(`${s.url}/jobs/2`);
    expect(s.hits.get('/robots.txt')).toBe(1);
    expect(s.hits.get('/private/job')).toBeUndefined();
  });

  it('follows the robots.txt group naming our agent over *', async () => {
    const s = await startServer({
      '/robots.txt': serve('User-agent: *\nDisallow: /\n\nUser-agent: skillpulse-test\nDisallow: /drafts\n'),
      '/jobs/1': serve('public'),
      '/drafts/1': serve('draft'),
    });
    const c = client({ robots: true });
    expect((await c.get(`${s.url}/jobs/1`)).text).toBe('public');
    await expect(c.get(`${s.url}/drafts/1`)).rejects.toThrow(/disallows \/drafts\/1/);
  });

  it('spaces requests to a host by the Crawl-delay robots.txt gives our agent', { timeout: 15_000 }, async () => {
    const arrivals: Record<string, number> = {};
    const timed = (body: string): Handler => (req, res, n) => {
      arrivals[req.url ?? ''] = Date.now();
      serve(body)(req, res, n);
    };
    const s = await startServer({
      // The group of * asks for 30 s: the test would time out if it were chosen.
      '/robots.txt': timed('User-agent: *\nCrawl-delay: 30\n\nUser-agent: skillpulse-test\nCrawl-delay: 1\n'),
      '/a': timed('a'),
      '/b': timed('b'),
    });
    const c = new HttpClient({ userAgent: 'skillpulse-test/1 (+mailto:test@example.test)', minIntervalMs: 0 });
    await Promise.all([c.get(`${s.url}/a`), c.get(`${s.url}/b`)]);
    await c.close();
    const [first, second] = [arrivals['/a'] ?? 0, arrivals['/b'] ?? 0].sort((x, y) => x - y) as [number, number];
    // Spaced from the start of one request to the start of the next; arrivals at the server can
    // come a few tens of milliseconds closer on a loaded machine. Without the delay they would
    // be a few milliseconds apart.
    expect(first - (arrivals['/robots.txt'] ?? 0)).toBeGreaterThanOrEqual(900);
    expect(second - first).toBeGreaterThanOrEqual(900);
    expect(second - first).toBeLessThan(5000);
  });

  // Issue 14, item 2.
  it('checks a redirect target against the robots.txt of its own origin before requesting it', async () => {
    const b = await startServer({ '/robots.txt': serve('User-agent: *\nDisallow: /private\n'), '/private/job': serve('secret'), '/open/job': serve('open') });
    const a = await startServer({
      '/robots.txt': serve('User-agent: *\nAllow: /\n'),
      '/to-private': (_req, res) => res.writeHead(302, { location: `${b.url}/private/job` }).end(),
      '/to-open': (_req, res) => res.writeHead(302, { location: `${b.url}/open/job` }).end(),
    });
    const c = client({ robots: true });
    await expect(c.get(`${a.url}/to-private`)).rejects.toThrow(`robots.txt of ${b.url} disallows /private/job`);
    expect(b.hits.get('/private/job')).toBeUndefined();
    expect((await c.get(`${a.url}/to-open`)).text).toBe('open');
    expect([a.hits.get('/robots.txt'), b.hits.get('/robots.txt')]).toEqual([1, 1]);
  });

  // RFC 9309: an unreachable robots.txt disallows, but only until it answers again.
  it('refuses the URLs of an origin whose robots.txt is unreachable, and reads it again for the next URL', async () => {
    const s = await startServer({
      '/robots.txt': (req, res, n) => (n <= 4 ? res.writeHead(503).end() : serve('User-agent: *\nDisallow: /private\n')(req, res, n)),
      '/jobs/1': serve('one'),
      '/jobs/2': serve('two'),
      '/private/x': serve('secret'),
    });
    const c = client({ robots: true });
    await expect(c.get(`${s.url}/jobs/1`)).rejects.toThrow(`robots.txt of ${s.url} could not be read (HTTP 503), so /jobs/1 is not fetched for now; it is read again for the next URL there`);
    expect(s.hits.get('/jobs/1')).toBeUndefined();
    expect((await c.get(`${s.url}/jobs/2`)).text).toBe('two');
    await expect(c.get(`${s.url}/private/x`)).rejects.toThrow(/disallows \/private\/x/);
    expect(s.hits.get('/robots.txt')).toBe(5);
  });

  it('treats a robots.txt that keeps answering 429 as unreachable, not as missing', async () => {
    const s = await startServer({ '/robots.txt': (_req, res) => res.writeHead(429).end(), '/jobs': serve('ok') });
    let clock = 0;
    const c = client({ robots: true, now: () => clock, sleep: async (ms) => void (clock += ms) });
    await expect(c.get(`${s.url}/jobs`)).rejects.toThrow(/robots\.txt of .* could not be read \(HTTP 429\)/);
    expect(s.hits.get('/jobs')).toBeUndefined();
  });

  it('treats a missing robots.txt as no rules', async () => {
    const s = await startServer({ '/jobs': serve('ok') });
    expect((await client({ robots: true }).get(`${s.url}/jobs`)).text).toBe('ok');
  });

  it('sends the User-Agent, and the cached validators on a conditional request', async () => {
    const s = await startServer({ '/list': serve({ jobs: [] }, { etag: '"v1"' }) });
    const store = new Map<string, CacheEntry>();
    const c = client({ cache: { get: (u) => store.get(u), put: (u, e) => void store.set(u, e) } });
    const first = await c.get(`${s.url}/list`, { conditional: true });
    expect(first.notModified).toBe(false);
    expect(store.get(`${s.url}/list`)).toEqual({ etag: '"v1"' });
    const second = await c.get(`${s.url}/list`, { conditional: true });
    expect(second).toMatchObject({ status: 304, notModified: true, text: '' });
    expect(s.requests.map((r) => r.headers['if-none-match'])).toEqual([undefined, '"v1"']);
    expect(s.requests[0]?.headers['user-agent']).toBe('skillpulse-test/1 (+mailto:test@example.test)');
  });

  it('keeps a minimum interval between requests to one host', async () => {
    const s = await startServer({ '/a': serve('a') });
    const c = new HttpClient({ userAgent: 't', robots: false, minIntervalMs: 60 });
    const start = Date.now();
    await Promise.all([c.get(`${s.url}/a`), c.get(`${s.url}/a`), c.get(`${s.url}/a`)]);
    expect(Date.now() - start).toBeGreaterThanOrEqual(110);
    await c.close();
  });
});
