import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, request } from 'undici';
import { hasToken } from '../../src/serve/app.js';
import { type RunningServer, startServer } from '../../src/serve/server.js';
import { runCli } from '../helpers.js';
import { demoDatabase, scratchDir } from './helpers.js';

// Issue 18: serve is safe by default. Each test starts the server it needs on a loopback port.

const scratch = scratchDir();
let db: string;
const servers: RunningServer[] = [];
async function serve(o: Partial<Parameters<typeof startServer>[0]> = {}): Promise<RunningServer> {
  // No extraction workers until an extraction asks for them: most of these servers never extract.
  const s = await startServer({ db, port: 0, warm: false, ...o });
  servers.push(s);
  return s;
}

beforeAll(async () => {
  db = await demoDatabase(scratch.dir);
}, 60_000);
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  scratch.remove();
});

/** A raw GET: the path exactly as written (fetch would resolve its dots). */
function rawGet(url: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.path = path;
    req.on('error', reject);
    req.end();
  });
}

describe('headers', () => {
  it('stop framing and sniffing on every answer, with a script policy that allows no inline script', async () => {
    const s = await serve();
    for (const path of ['/', '/static/dashboard.js', '/api/v1/meta', '/api/v1/nothing', '/metrics']) {
      const res = await fetch(`${s.url}${path}`);
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toMatch(/(^|; )script-src 'self'(;|$)/);
      expect(csp, path).toMatch(/frame-ancestors 'none'/);
      expect(csp, path).not.toMatch(/unsafe-inline|unsafe-eval/);
      // CORS is off unless asked for.
      expect(res.headers.get('access-control-allow-origin'), path).toBeNull();
    }
    const page = await (await fetch(`${s.url}/`)).text();
    // The page's only script is a file of this origin: no inline script, no CDN.
    expect(page.match(/<script\b[^>]*>/g)).toEqual(['<script type="module" src="/static/dashboard.js">']);
    expect(page).not.toMatch(/https?:\/\//);
    expect(page).not.toMatch(/\sstyle=|\son[a-z]+=/i);
  });
});

describe('static paths', () => {
  it.each([
    '/static/../../package.json',
    '/static/..%2f..%2fpackage.json',
    '/static/%2e%2e/%2e%2e/package.json',
    '/static/%2e%2e%2f%2e%2e%2fpackage.json',
    '/static/dashboard.js/../../../package.json',
    '/static/..%5c..%5cpackage.json',
    '/static/%252e%252e%252fpackage.json',
    '/static/index.html',
    '/static/',
    '/static/dashboard.js%00.png',
  ])('%s: 404, nothing outside the dashboard files', async (path) => {
    const s = await serve();
    const r = await rawGet(s.url, path);
    expect(r.status).toBe(404);
    expect(r.body).not.toMatch(/"name":\s*"skillpulse"|"dependencies"/);
    expect(JSON.parse(r.body)).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });
});

describe('the token', () => {
  const token = 'a-secret-of-sixteen-plus-chars';

  it('is checked on every request: 401 without it or with a wrong one, in constant time', async () => {
    const s = await serve({ token });
    for (const path of ['/', '/static/dashboard.js', '/api/v1/reports/summary', '/metrics', '/api/v1/openapi.json']) {
      const none = await fetch(`${s.url}${path}`);
      expect(none.status, path).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/Bearer realm="skillpulse"/);
      expect(await none.json()).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'this server needs a token: Authorization: Bearer <token>' });
      const wrong = await fetch(`${s.url}${path}`, { headers: { authorization: `Bearer ${token}x` } });
      expect(wrong.status, path).toBe(401);
      expect(((await wrong.json()) as { message: string }).message).toBe('the token is wrong');
      expect((await fetch(`${s.url}${path}`, { headers: { authorization: `Bearer ${token}` } })).status, path).toBe(200);
    }
    const post = await fetch(`${s.url}/api/v1/extract`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"Python"}' });
    expect(post.status).toBe(401);
    // A browser asks once (Basic, the token as the password) and sends it with every request after.
    const basic = Buffer.from(`anyone:${token}`).toString('base64');
    expect((await fetch(`${s.url}/api/v1/meta`, { headers: { authorization: `Basic ${basic}` } })).status).toBe(200);
  });

  it.each([
    [undefined, false],
    ['', false],
    ['Bearer', false],
    ['Bearer a-secret-of-sixteen-plus-char', false],
    ['Bearer a-secret-of-sixteen-plus-chars', true],
    ['bearer   a-secret-of-sixteen-plus-chars', true],
    [`Basic ${Buffer.from('u:a-secret-of-sixteen-plus-chars').toString('base64')}`, true],
    [`Basic ${Buffer.from('a-secret-of-sixteen-plus-chars').toString('base64')}`, false],
    ['Token a-secret-of-sixteen-plus-chars', false],
  ])('hasToken(%j): %s', (header, ok) => {
    expect(hasToken(header, token)).toBe(ok);
  });

  it('is required to bind anything but loopback', async () => {
    await expect(startServer({ db, host: '0.0.0.0', port: 0 })).rejects.toThrow(/needs a token/);
    const r = await runCli(['serve', '--db', db, '--host', '0.0.0.0', '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--host 0\.0\.0\.0 reaches beyond this machine: give --token <secret> \(or SKILLPULSE_TOKEN\)/);
    const short = await runCli(['serve', '--db', db, '--host', '0.0.0.0', '--token', 'short']);
    expect(short.stderr).toMatch(/--token must be at least 16 characters/);
    const s = await serve({ host: '0.0.0.0', token });
    expect((await fetch(`${s.url.replace('0.0.0.0', '127.0.0.1')}/api/v1/health`)).status).toBe(401);
  });
});

describe('CORS', () => {
  it('answers only the origin given, preflight included', async () => {
    const s = await serve({ cors: 'https://dash.example.org', token: 'a-secret-of-sixteen-plus-chars' });
    const pre = await fetch(`${s.url}/api/v1/extract`, { method: 'OPTIONS', headers: { origin: 'https://dash.example.org', 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://dash.example.org');
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const other = await fetch(`${s.url}/api/v1/health`, { headers: { origin: 'https://evil.example.org', authorization: 'Bearer a-secret-of-sixteen-plus-chars' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const otherPre = await fetch(`${s.url}/api/v1/health`, { method: 'OPTIONS', headers: { origin: 'https://evil.example.org' } });
    expect(otherPre.status).toBe(401);
  });
});

describe('slow and many clients', () => {
  /** Opens a socket; resolves when the server closes it, with what it said and how long it took. */
  function watch(socket: Socket): Promise<{ ms: number; said: string }> {
    const start = performance.now();
    let said = '';
    socket.on('data', (d) => (said += d.toString()));
    return new Promise((resolve) => socket.on('close', () => resolve({ ms: performance.now() - start, said })));
  }

  it('cuts a client that sends its headers a byte at a time (headersTimeout)', async () => {
    const s = await serve({ headersTimeoutMs: 1000 });
    const { port } = new URL(s.url);
    const socket = connect(Number(port), '127.0.0.1');
    const closed = watch(socket);
    const head = `GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${'a'.repeat(500)}\r\n\r\n`;
    let i = 0;
    const drip = setInterval(() => {
      if (!socket.destroyed && i < head.length) socket.write(head[i++] as string);
    }, 50);
    const { ms, said } = await closed;
    clearInterval(drip);
    expect(ms).toBeLessThan(4000);
    expect(i).toBeLessThan(head.length);
    expect(said).toMatch(/^HTTP\/1\.1 408|^$/);
  });

  it('refuses connections over the limit', async () => {
    const s = await serve({ maxConnections: 5 });
    const { port } = new URL(s.url);
    const open = Array.from({ length: 5 }, () => connect(Number(port), '127.0.0.1'));
    await Promise.all(open.map((c) => new Promise((r) => c.on('connect', r))));
    await new Promise((r) => setTimeout(r, 100));
    const extra = connect(Number(port), '127.0.0.1');
    const closed = watch(extra);
    extra.on('connect', () => extra.write('GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n'));
    const { ms, said } = await closed;
    expect(said).toBe('');
    expect(ms).toBeLessThan(2000);
    for (const c of open) c.destroy();
  });

  it('answers 1,000 concurrent requests without an error', async () => {
    // The built server in a process of its own, as it runs in production (not sharing the test's event loop).
    const child = spawn(process.execPath, ['dist/cli/bin.js', 'serve', '--db', db, '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, SKILLPULSE_CACHE_DIR: '' } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr.on('data', () => {
          const m = /(http:\/\/127\.0\.0\.1:\d+)\/ \(dashboard\)/.exec(stderr);
          if (m) resolve(m[1] as string);
        });
        child.on('exit', () => reject(new Error(`serve exited: ${stderr}`)));
      });
      const agent = new Agent({ connections: 100, pipelining: 1 });
      const paths = ['/api/v1/health', '/api/v1/reports/summary?top=10', '/api/v1/postings?skill=python&pageSize=10', '/api/v1/meta', '/api/v1/reports/cooccurrence?skill=python'];
      const started = performance.now();
      const results = await Promise.all(
        Array.from({ length: 1000 }, async (_, k) => {
          const t = performance.now();
          try {
            const res = await request(`${url}${paths[k % paths.length]}`, { dispatcher: agent });
            await res.body.text();
            return { status: res.statusCode, ms: performance.now() - t };
          } catch (err) {
            return { status: 0, ms: performance.now() - t, error: String(err) };
          }
        }),
      );
      const total = performance.now() - started;
      await agent.close();
      const ms = results.map((r) => r.ms).sort((a, b) => a - b);
      const p = (q: number) => (ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] as number).toFixed(0);
      const errors = results.filter((r) => r.status !== 200);
      process.stdout.write(`1,000 concurrent requests (100 connections, 5 endpoints): ${errors.length} errors, p50 ${p(0.5)} ms, p95 ${p(0.95)} ms, p99 ${p(0.99)} ms, max ${p(1)} ms, all in ${total.toFixed(0)} ms\n`);
      expect(errors).toEqual([]);
    } finally {
      child.kill('SIGTERM');
    }
  }, 120_000);
});

describe('extraction', () => {
  it('stops an extraction over its time limit without blocking the other requests, then goes on', async () => {
    process.env.SKILLPULSE_TEST_WORKER_STALL_AT = 'stall-me';
    try {
      const s = await serve({ extractTimeLimitMs: 1000, maxQueuedExtractions: 1 });
      const post = (posting: object) => fetch(`${s.url}/api/v1/extract`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ posting }) });
      const stalled = post({ body: 'Requirements: Python', contentType: 'text/plain', hints: {}, origin: 'stall-me' });
      await new Promise((r) => setTimeout(r, 300));
      // One extraction may wait at most here: the next is turned away at once.
      const busy = await post({ body: 'Requirements: SQL', contentType: 'text/plain', hints: {} });
      expect(busy.status).toBe(503);
      expect(busy.headers.get('retry-after')).toBe('1');
      expect(((await busy.json()) as { message: string }).message).toMatch(/^1 extraction is running or waiting already; try again in a moment$/);
      const t = performance.now();
      expect((await fetch(`${s.url}/api/v1/reports/summary`)).status).toBe(200);
      expect(performance.now() - t).toBeLessThan(1000);
      const res = await stalled;
      expect(res.status).toBe(422);
      expect(((await res.json()) as { message: string }).message).toMatch(/extraction took over 1 s, the limit per request/);
      const next = await post({ body: 'Requirements: Python', contentType: 'text/plain', hints: {} });
      expect(next.status).toBe(200);
      const metrics = await (await fetch(`${s.url}/metrics`)).text();
      expect(metrics).toMatch(/^skillpulse_extraction_duration_seconds_count\{outcome="timeout"\} 1$/m);
    } finally {
      delete process.env.SKILLPULSE_TEST_WORKER_STALL_AT;
    }
  }, 60_000);
});

describe('an unexpected error', () => {
  it('is a 500 with no stack trace or message of its own; the log has both', async () => {
    const { buildApp } = await import('../../src/serve/app.js');
    const { openStore } = await import('../../src/store/open.js');
    const store = await openStore(db, { readonly: true });
    const failing = Object.assign(Object.create(store), { readSkills: async () => Promise.reject(new Error('disk on fire at /secret/path')) });
    let log = '';
    const app = await buildApp({ store: failing, taxonomy: () => {
      throw new Error('not needed');
    }, extractor: { extract: async () => Promise.reject(new Error('no')), warm: () => {}, close: async () => {} }, log: { write: (l: string) => (log += l) } });
    const res = await app.inject({ method: 'GET', url: '/api/v1/meta' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'internal error (the server log has the details)' });
    expect(res.body).not.toMatch(/secret|at .*\.ts/);
    expect(log).toMatch(/disk on fire at \/secret\/path/);
    expect(log).toMatch(/"stack":/);
    await app.close();
    await store.close();
  });
});
