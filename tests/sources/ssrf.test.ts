import type { LookupAddress } from 'node:dns';
import { isIPv6 } from 'node:net';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotRetriedError } from '../../src/errors.js';
import { classifyAddress, HttpClient, type HttpClientOptions, hopRefusal, RefusedAddressError } from '../../src/sources/http.js';
import { serve, startServer, type TestServer } from '../server.js';
import { allowLoopbackOnly, type LoopbackGuard } from './loopback-guard.js';

// Issue 14, item 1: requests never reach private, link-local, metadata or unspecified addresses,
// nor loopback unless the request named it. Every test here runs under a guard that lets sockets
// connect to loopback only, so a regression fails without a packet leaving the machine.

let guard: LoopbackGuard;
const clients: HttpClient[] = [];
const servers: TestServer[] = [];
beforeEach(() => {
  guard = allowLoopbackOnly();
});
afterEach(async () => {
  guard.restore();
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const lookups: string[] = [];
const delays: number[] = [];
/** A client whose resolver is a stub: `names` maps a host name to its addresses. */
function client(names: Record<string, string[]> = {}, options: Partial<HttpClientOptions> = {}): HttpClient {
  lookups.length = 0;
  delays.length = 0;
  const c = new HttpClient({
    userAgent: 'skillpulse-test/1',
    robots: false,
    minIntervalMs: 0,
    random: () => 0.5,
    sleep: async (ms) => void delays.push(ms),
    resolveHost: async (hostname) => {
      lookups.push(hostname);
      const addresses = names[hostname];
      if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
      return addresses.map((address): LookupAddress => ({ address, family: isIPv6(address) ? 6 : 4 }));
    },
    ...options,
  });
  clients.push(c);
  return c;
}

async function server(routes: Parameters<typeof startServer>[0]): Promise<TestServer & { port: string }> {
  const s = await startServer(routes);
  servers.push(s);
  return { ...s, port: new URL(s.url).port };
}

/** The message of a refusal: a NotRetriedError, or what came instead. */
const refusal = (err: unknown) => (err instanceof NotRetriedError ? err.message : `not refused: ${String(err)}`);

describe('classifyAddress', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['172.32.0.1', 'public'],
    ['2606:4700::1111', 'public'],
    ['::ffff:8.8.8.8', 'public'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fc00::1', 'private'],
    ['fd00:ec2::254', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['169.254.169.254', 'never'],
    ['169.254.0.1', 'never'],
    ['0.0.0.0', 'never'],
    ['::', 'never'],
    ['fe80::1', 'never'],
    ['224.0.0.1', 'never'],
    ['255.255.255.255', 'never'],
    // IPv4 carried in IPv6: mapped (dotted and hex), compatible, NAT64, 6to4.
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:a00:1', 'private'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'never'],
    ['::a00:1', 'private'],
    ['64:ff9b::a9fe:a9fe', 'never'],
    ['2002:a00:1::', 'private'],
  ])('%s is %s', (ip, scope) => {
    expect(classifyAddress(ip)?.scope).toBe(scope);
  });

  it('names the range, and what lives there', () => {
    expect(classifyAddress('169.254.169.254')?.what).toBe('a link-local address, where cloud metadata services answer (169.254.0.0/16)');
    expect(classifyAddress('::ffff:10.0.0.1')?.what).toBe('a private address (10.0.0.0/8), carried in ::ffff:0:0/96');
    expect(classifyAddress('jobs.example.test')).toBeUndefined();
  });

  it('classifies an IPv4 address mapped into IPv6 as the IPv4 address, in either spelling', () => {
    fc.assert(
      fc.property(fc.ipV4(), (v4) => {
        const [a = 0, b = 0, c = 0, d = 0] = v4.split('.').map(Number);
        const hex = `::ffff:${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
        const scope = classifyAddress(v4)?.scope;
        expect(classifyAddress(`::ffff:${v4}`)?.scope).toBe(scope);
        expect(classifyAddress(hex)?.scope).toBe(scope);
      }),
    );
  });
});

describe('hopRefusal', () => {
  it('refuses localhost reached from another host, unless private hosts are allowed', () => {
    expect(hopRefusal(new URL('http://localhost:6379/'), false, false)).toMatch(/^localhost is this machine, reached by a redirect from another host; --allow-private-hosts/);
    expect(hopRefusal(new URL('http://localhost:6379/'), true, false)).toBeUndefined();
    expect(hopRefusal(new URL('http://localhost:6379/'), false, true)).toBeUndefined();
    expect(hopRefusal(new URL('http://jobs.example.test/'), false, false)).toBeUndefined();
  });

  it('refuses link-local, metadata and unspecified addresses even when private hosts are allowed', () => {
    expect(hopRefusal(new URL('http://169.254.169.254/latest/meta-data/'), true, true)).toBe('169.254.169.254 is a link-local address, where cloud metadata services answer (169.254.0.0/16)');
    expect(hopRefusal(new URL('http://[fe80::1]/'), true, true)).toMatch(/^fe80::1 is a link-local address/);
    expect(hopRefusal(new URL('http://0.0.0.0/'), true, true)).toMatch(/^0\.0\.0\.0 is an unspecified/);
    expect(hopRefusal(new URL('http://10.0.0.1/'), false, true)).toBeUndefined();
  });
});

describe('HttpClient: refused addresses', () => {
  it.each([
    ['a private address', 'http://10.0.0.1/jobs', /^http:\/\/10\.0\.0\.1\/jobs refused: 10\.0\.0\.1 is a private address \(10\.0\.0\.0\/8\); --allow-private-hosts/],
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data/', /refused: 169\.254\.169\.254 is a link-local address, where cloud metadata services answer/],
    ['a decimal host', 'http://167772161/', /refused: 10\.0\.0\.1 is a private address/],
    ['an octal host', 'http://012.0.0.1/', /refused: 10\.0\.0\.1 is a private address/],
    ['IPv4 mapped into IPv6', 'http://[::ffff:192.168.0.1]/', /refused: ::ffff:c0a8:1 is a private address \(192\.168\.0\.0\/16\), carried in ::ffff:0:0\/96/],
    ['a unique local IPv6 address', 'http://[fd00::1]/', /refused: fd00::1 is a unique local address \(fc00::\/7\)/],
  ])('refuses %s before connecting, without retry', async (_name, url, message) => {
    const err = await client().get(url).catch((e: unknown) => e);
    expect(refusal(err)).toMatch(message);
    expect(err).toBeInstanceOf(RefusedAddressError);
    expect(delays).toEqual([]);
    expect(guard.blocked).toEqual([]);
  });

  it.each([
    ['0.0.0.0', (port: string) => `http://0.0.0.0:${port}/jobs`, /0\.0\.0\.0 is an unspecified/],
    ['[::]', (port: string) => `http://[::]:${port}/jobs`, /:: is the unspecified address/],
    ['a decimal loopback', (port: string) => `http://2130706433:${port}/jobs`, /127\.0\.0\.1 is a loopback address \(127\.0\.0\.0\/8\)/],
    ['a short loopback', (port: string) => `http://127.1:${port}/jobs`, /127\.0\.0\.1 is a loopback address/],
    ['a hex loopback', (port: string) => `http://0x7f.1:${port}/jobs`, /127\.0\.0\.1 is a loopback address/],
    ['loopback mapped into IPv6', (port: string) => `http://[::ffff:127.0.0.1]:${port}/jobs`, /::ffff:7f00:1 is a loopback address/],
  ])('refuses loopback by another name (%s), though a server listens there', async (_name, url, message) => {
    const s = await server({ '/jobs': serve('secret') });
    const err = await client().get(url(s.port)).catch((e: unknown) => e);
    expect(refusal(err)).toMatch(message);
    expect(s.hits.get('/jobs')).toBeUndefined();
  });

  it('fetches loopback named as such: 127.0.0.1, localhost', async () => {
    const s = await server({ '/jobs': serve('ok') });
    const c = client({ localhost: ['127.0.0.1'] });
    expect((await c.get(`${s.url}/jobs`)).text).toBe('ok');
    expect((await c.get(`http://localhost:${s.port}/jobs`)).text).toBe('ok');
  });

  it('refuses a name that resolves to a private address, asking the resolver once (no retry)', async () => {
    const err = await client({ 'board.internal.test': ['10.0.0.7'] }, { robots: true }).get('http://board.internal.test/jobs').catch((e: unknown) => e);
    expect(refusal(err)).toMatch(/^http:\/\/board\.internal\.test\/jobs refused: board\.internal\.test resolves to 10\.0\.0\.7, a private address \(10\.0\.0\.0\/8\)/);
    expect(lookups).toEqual(['board.internal.test']);
    expect(guard.blocked).toEqual([]);
  });

  it('refuses a name when any of its addresses is refused', async () => {
    const err = await client({ 'mixed.test': ['93.184.216.34', '169.254.169.254'] }).get('http://mixed.test/').catch((e: unknown) => e);
    expect(refusal(err)).toMatch(/mixed\.test resolves to 169\.254\.169\.254, a link-local address/);
    expect(guard.blocked).toEqual([]);
  });

  it('refuses a name that resolves to loopback, unless private hosts are allowed', async () => {
    const s = await server({ '/jobs': serve('self-hosted') });
    const names = { 'jobs.corp.test': ['127.0.0.1'] };
    const err = await client(names).get(`http://jobs.corp.test:${s.port}/jobs`).catch((e: unknown) => e);
    expect(refusal(err)).toMatch(/jobs\.corp\.test resolves to 127\.0\.0\.1, a loopback address/);
    expect(s.hits.get('/jobs')).toBeUndefined();
    expect((await client(names, { allowPrivateHosts: true }).get(`http://jobs.corp.test:${s.port}/jobs`)).text).toBe('self-hosted');
  });

  it('checks the address of every connection, so a name that rebinds to metadata is caught', async () => {
    const s = await server({ '/jobs': serve('ok', { connection: 'close' }) });
    let answer = '127.0.0.1';
    const c = new HttpClient({
      userAgent: 't',
      robots: false,
      minIntervalMs: 0,
      allowPrivateHosts: true,
      sleep: async () => undefined,
      resolveHost: async () => [{ address: answer, family: 4 }],
    });
    clients.push(c);
    expect((await c.get(`http://rebind.test:${s.port}/jobs`)).text).toBe('ok');
    answer = '169.254.169.254';
    expect(refusal(await c.get(`http://rebind.test:${s.port}/jobs`).catch((e: unknown) => e))).toMatch(/rebind\.test resolves to 169\.254\.169\.254/);
    expect(s.hits.get('/jobs')).toBe(1);
    expect(guard.blocked).toEqual([]);
  });
});

describe('HttpClient: refused redirects', () => {
  it.each([
    ['a private address', () => 'http://10.0.0.1/admin', /redirect to http:\/\/10\.0\.0\.1\/admin refused: 10\.0\.0\.1 is a private address/],
    ['cloud metadata', () => 'http://169.254.169.254/latest/meta-data/iam/', /redirect to http:\/\/169\.254\.169\.254\/latest\/meta-data\/iam\/ refused: 169\.254\.169\.254 is a link-local address/],
    ['a name that resolves to a private address', () => 'http://intranet.test/', /redirect to http:\/\/intranet\.test\/ refused: intranet\.test resolves to 192\.168\.1\.10, a private address/],
    ['IPv4-mapped metadata', () => 'http://[::ffff:169.254.169.254]/', /refused: ::ffff:a9fe:a9fe is a link-local address/],
  ])('refuses a redirect to %s, without retry', async (_name, location, message) => {
    const s = await server({ '/go': (_req, res) => res.writeHead(302, { location: location() }).end() });
    const err = await client({ 'intranet.test': ['192.168.1.10'] }).get(`${s.url}/go`).catch((e: unknown) => e);
    expect(refusal(err)).toMatch(message);
    expect(s.hits.get('/go')).toBe(1);
    expect(guard.blocked).toEqual([]);
  });

  it('refuses a redirect to loopback by another name, to another port of this machine', async () => {
    const other = await server({ '/secret': serve('secret') });
    const names = { 'rebind.test': ['127.0.0.1'] };
    const cases = [
      [`http://2130706433:${other.port}/secret`, `redirect to http://127.0.0.1:${other.port}/secret (written http://2130706433:${other.port}/secret) refused: 127.0.0.1 is a loopback address (127.0.0.0/8), which a request reaches only by naming it`],
      [`http://rebind.test:${other.port}/secret`, `redirect to http://rebind.test:${other.port}/secret refused: rebind.test resolves to 127.0.0.1, a loopback address (127.0.0.0/8)`],
      [`http://0.0.0.0:${other.port}/secret`, `redirect to http://0.0.0.0:${other.port}/secret refused: 0.0.0.0 is an unspecified ("this network") address (0.0.0.0/8)`],
    ];
    for (const [location, message] of cases) {
      const s = await server({ '/go': (_req, res) => res.writeHead(302, { location }).end() });
      expect(refusal(await client(names).get(`${s.url}/go`).catch((e: unknown) => e))).toContain(message);
    }
    expect(other.hits.get('/secret')).toBeUndefined();
  });

  it('follows a redirect from loopback to loopback named as such', async () => {
    const other = await server({ '/page': serve('moved here') });
    const s = await server({ '/go': (_req, res) => res.writeHead(301, { location: `http://localhost:${other.port}/page` }).end() });
    expect((await client({ localhost: ['127.0.0.1'] }).get(`${s.url}/go`)).text).toBe('moved here');
  });

  it('still refuses metadata when private hosts are allowed', async () => {
    const s = await server({ '/go': (_req, res) => res.writeHead(302, { location: 'http://169.254.169.254/' }).end() });
    const err = await client({}, { allowPrivateHosts: true }).get(`${s.url}/go`).catch((e: unknown) => e);
    expect(refusal(err)).toMatch(/169\.254\.169\.254 is a link-local address, where cloud metadata services answer \(169\.254\.0\.0\/16\)$/);
  });
});
