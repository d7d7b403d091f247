import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIPv4, isIPv6, type LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import pLimit, { type LimitFunction } from 'p-limit';
import { Agent, errors as undiciErrors, request } from 'undici';
import { decodeBody } from './charset.js';
import { InterruptedError, NotRetriedError, RetriedError, ThrottledError, UnreachableError } from '../errors.js';
import { parseRobots, type RobotsPolicy } from './robots.js';

/** Validators of a cached URL, for conditional requests. */
export interface CacheEntry {
  etag?: string;
  lastModified?: string;
}

/** Where ETag and Last-Modified are kept between runs (the store's fetch_cache table). */
export interface FetchCache {
  get(url: string): CacheEntry | undefined | Promise<CacheEntry | undefined>;
  put(url: string, entry: CacheEntry): void;
}

/** Counts the requests sent on a caller's behalf (every try and every redirect); `take` throws when none are left. */
export interface RequestBudget {
  take(url: string): void;
}

/** Every address of a host name, as dns.lookup with `all: true` gives them. */
export type ResolveHost = (hostname: string) => Promise<LookupAddress[]>;

export interface HttpClientOptions {
  /** Sent with every request; should name the tool and a contact URL. */
  userAgent: string;
  /** Requests in flight at once, over all hosts. */
  concurrency?: number;
  /** Requests in flight at once to one host. */
  perHostConcurrency?: number;
  /** Minimum time between the starts of two requests to one host (a longer robots.txt Crawl-delay wins). */
  minIntervalMs?: number;
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  /** Longest time to read a whole body (a slow drip is cut off). */
  bodyTimeoutMs?: number;
  maxBodyBytes?: number;
  maxRedirects?: number;
  /** Tries per request, the first included; throttling (429) costs no try. */
  maxAttempts?: number;
  /** Throttled answers (429, 503 with Retry-After) one request waits out before it gives up. */
  maxThrottles?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Longest time one request may take, waits and retries included. */
  maxTotalMs?: number;
  /** Obey robots.txt: Allow/Disallow and Crawl-delay (default true). */
  robots?: boolean;
  /**
   * Let requests reach private and loopback addresses (10/8, 172.16/12, 192.168/16, 100.64/10,
   * fc00::/7, 127/8, ::1), for a self-hosted board (default false). Link-local, cloud metadata,
   * unspecified, multicast and reserved addresses stay refused.
   */
  allowPrivateHosts?: boolean;
  /** Resolves host names before connecting (default: the system resolver, dns.lookup); tests pass a stub. */
  resolveHost?: ResolveHost;
  /** Aborted on SIGINT or SIGTERM: every request and wait stops at once with an InterruptedError. */
  signal?: AbortSignal;
  cache?: FetchCache;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export interface HttpResponse {
  /** The final URL, after redirects. */
  url: string;
  status: number;
  headers: Record<string, string>;
  contentType: string;
  text: string;
  /** 304: the cached copy is still current; `text` is empty. */
  notModified: boolean;
}

export interface GetOptions {
  accept?: string;
  /** Send the cached validators and honour 304 (default false). */
  conditional?: boolean;
  /** Counts every request this get sends (tries and redirects; robots.txt not). */
  budget?: RequestBudget;
}

const DEFAULTS = {
  concurrency: 8,
  perHostConcurrency: 2,
  minIntervalMs: 250,
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 30_000,
  bodyTimeoutMs: 60_000,
  maxBodyBytes: 10 * 1024 * 1024,
  maxRedirects: 5,
  maxAttempts: 4,
  maxThrottles: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxTotalMs: 120_000,
  robots: true,
  allowPrivateHosts: false,
};

/** How often one request has failed so far, this failure included: throttled, or otherwise. */
export interface Tries {
  failed: number;
  throttled: number;
}

type RetryLimits = Pick<Required<HttpClientOptions>, 'maxAttempts' | 'maxThrottles' | 'baseDelayMs' | 'maxDelayMs' | 'maxTotalMs'>;

/** How long to wait before the next try, or undefined to give up. The one place retries are decided. */
export function decideRetry(err: unknown, tries: Tries, elapsedMs: number, o: RetryLimits, random: () => number): number | undefined {
  if (!(err instanceof RetriedError)) return undefined;
  let wait: number;
  if (err instanceof ThrottledError) {
    // Throttling costs no try, but has a cap of its own: a server that always says 429 is given up on.
    if (tries.throttled > o.maxThrottles) return undefined;
    wait = err.retryAfterMs ?? backoff(tries.throttled, o, random);
  } else {
    // A host that cannot be reached at all (offline, refused, no such name) is tried twice, not four times.
    if (tries.failed >= (err instanceof UnreachableError ? Math.min(2, o.maxAttempts) : o.maxAttempts)) return undefined;
    wait = backoff(tries.failed, o, random);
  }
  return elapsedMs + wait <= o.maxTotalMs ? Math.round(wait) : undefined;
}

/** Exponential backoff with jitter: between half and all of base * 2^(n-1), at most maxDelayMs. */
function backoff(n: number, o: RetryLimits, random: () => number): number {
  return Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (n - 1)) * (0.5 + random() / 2);
}

/**
 * Retry-After as milliseconds: delta-seconds or an HTTP date. Undefined when it asks for no wait
 * (0, a date past) or cannot be read ("-5", "soon"): the caller backs off as if there were none.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  const text = value?.trim() ?? '';
  if (/^\d+$/.test(text)) return Number(text) > 0 ? Number(text) * 1000 : undefined;
  // Date.parse reads almost anything ("-5" is a year); an HTTP date names its weekday.
  if (!/^(?:mon|tue|wed|thu|fri|sat|sun)/i.test(text)) return undefined;
  const at = Date.parse(text);
  return at > now ? at - now : undefined;
}

// ---------------------------------------------------------------------------------------------
// Which addresses a request may reach (server-side request forgery). A posting page or a board
// that redirects to 169.254.169.254 or to a service on the local network must not be fetched.

/** Where an address lies: the open internet, this machine, a private network, or nowhere we go. */
export type AddressScope = 'public' | 'loopback' | 'private' | 'never';

export interface AddressClass {
  scope: AddressScope;
  /** What the address is, for messages: "a private address (10.0.0.0/8)". */
  what: string;
}

interface Range {
  cidr: string;
  scope: Exclude<AddressScope, 'public'>;
  what: string;
}

const RANGES: Range[] = [
  { cidr: '0.0.0.0/8', scope: 'never', what: 'an unspecified ("this network") address' },
  { cidr: '10.0.0.0/8', scope: 'private', what: 'a private address' },
  { cidr: '100.64.0.0/10', scope: 'private', what: 'a shared (carrier-grade NAT) address' },
  { cidr: '127.0.0.0/8', scope: 'loopback', what: 'a loopback address' },
  { cidr: '169.254.0.0/16', scope: 'never', what: 'a link-local address, where cloud metadata services answer' },
  { cidr: '172.16.0.0/12', scope: 'private', what: 'a private address' },
  { cidr: '192.0.0.0/24', scope: 'never', what: 'an IETF protocol address' },
  { cidr: '192.168.0.0/16', scope: 'private', what: 'a private address' },
  { cidr: '198.18.0.0/15', scope: 'private', what: 'a benchmarking address' },
  { cidr: '224.0.0.0/4', scope: 'never', what: 'a multicast address' },
  { cidr: '240.0.0.0/4', scope: 'never', what: 'a reserved or broadcast address' },
  { cidr: '::/128', scope: 'never', what: 'the unspecified address' },
  { cidr: '::1/128', scope: 'loopback', what: 'a loopback address' },
  { cidr: 'fc00::/7', scope: 'private', what: 'a unique local address' },
  { cidr: 'fe80::/10', scope: 'never', what: 'a link-local address' },
  { cidr: 'fec0::/10', scope: 'private', what: 'a site-local address' },
  { cidr: 'ff00::/8', scope: 'never', what: 'a multicast address' },
];

/** IPv6 prefixes that carry an IPv4 address, and how far up it sits: the IPv4 address decides. */
const IPV4_CARRIERS: { cidr: string; shift: bigint }[] = [
  { cidr: '::ffff:0:0/96', shift: 0n }, // IPv4-mapped
  { cidr: '::/96', shift: 0n }, // IPv4-compatible (deprecated)
  { cidr: '64:ff9b::/96', shift: 0n }, // NAT64
  { cidr: '2002::/16', shift: 80n }, // 6to4
];

/** The address as a number, or undefined when it is no IP address. */
function addressValue(ip: string): { value: bigint; bits: 32n | 128n } | undefined {
  if (isIPv4(ip)) return { value: ip.split('.').reduce((n, part) => n * 256n + BigInt(part), 0n), bits: 32n };
  if (!isIPv6(ip)) return undefined;
  let text = ip.replace(/%.*$/, '');
  // A dotted IPv4 tail (::ffff:10.0.0.1) becomes its two hex groups.
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (tail) {
    const v4 = addressValue(tail)?.value ?? 0n;
    text = `${text.slice(0, -tail.length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const groups = (s: string) => (s ? s.split(':') : []);
  const all = rest === undefined ? groups(head) : [...groups(head), ...Array(8 - groups(head).length - groups(rest).length).fill('0'), ...groups(rest)];
  return { value: all.reduce((n, g) => n * 65536n + BigInt(`0x${g}`), 0n), bits: 128n };
}

interface ParsedRange extends Range {
  value: bigint;
  bits: 32n | 128n;
  prefix: bigint;
}

function parseRange<R extends { cidr: string }>(r: R): R & { value: bigint; bits: 32n | 128n; prefix: bigint } {
  const [ip = '', prefix = ''] = r.cidr.split('/');
  const a = addressValue(ip) as { value: bigint; bits: 32n | 128n };
  return { ...r, ...a, prefix: BigInt(prefix) };
}

const PARSED_RANGES: ParsedRange[] = RANGES.map(parseRange);
const PARSED_CARRIERS = IPV4_CARRIERS.map(parseRange);

function inRange(a: { value: bigint; bits: bigint }, r: { value: bigint; bits: bigint; prefix: bigint }): boolean {
  return a.bits === r.bits && a.value >> (a.bits - r.prefix) === r.value >> (r.bits - r.prefix);
}

/**
 * Classifies an IP address (v4 or v6, IPv4 carried in IPv6 by what it carries): undefined when
 * `ip` is no address. Pure.
 */
export function classifyAddress(ip: string): AddressClass | undefined {
  const a = addressValue(ip);
  if (!a) return undefined;
  const range = PARSED_RANGES.find((r) => inRange(a, r));
  if (range) return { scope: range.scope, what: `${range.what} (${range.cidr})` };
  const carrier = PARSED_CARRIERS.find((r) => inRange(a, r));
  if (carrier) {
    const v4 = (a.value >> carrier.shift) & 0xffffffffn;
    const inner = classifyAddress([24n, 16n, 8n, 0n].map((s) => (v4 >> s) & 255n).join('.')) as AddressClass;
    return inner.scope === 'public' ? inner : { scope: inner.scope, what: `${inner.what}, carried in ${carrier.cidr}` };
  }
  return { scope: 'public', what: 'a public address' };
}

/** What a request may reach besides the public internet. */
interface Reach {
  loopback: boolean;
  private: boolean;
}

const PRIVATE_HINT = '; --allow-private-hosts (config http.allowPrivateHosts) lets skillpulse reach private and loopback addresses, for a self-hosted board';

/** What makes `ip` unreachable ("a private address (10.0.0.0/8); --allow-private-hosts ..."), or undefined when it may be connected to. */
function addressRefusal(ip: string, reach: Reach): string | undefined {
  const c = classifyAddress(ip);
  if (!c || c.scope === 'public') return undefined;
  if (c.scope === 'private' && reach.private) return undefined;
  if (c.scope === 'loopback' && (reach.loopback || reach.private)) return undefined;
  const loopbackRule = c.scope === 'loopback' ? ', which a request reaches only by naming it (127.x.x.x, [::1] or localhost)' : '';
  return `${c.what}${loopbackRule}${c.scope === 'never' ? '' : PRIVATE_HINT}`;
}

/** `localhost` and names under it (RFC 6761), which always mean this machine. */
function isLocalhostName(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost');
}

/** The IP address a URL's hostname is, without IPv6 brackets; undefined for a name. */
function ipLiteral(hostname: string): string | undefined {
  if (hostname.startsWith('[')) return hostname.slice(1, -1);
  return isIPv4(hostname) ? hostname : undefined;
}

/** The host as written in an absolute or scheme-relative reference (lower case); undefined for a relative one. */
function writtenHost(ref: string): string | undefined {
  return /^[\s\0-\x20]*(?:[a-z][a-z\d+.-]*:)?[\\/]{2}(?:[^@/?#\\]*@)?(\[[^\]]*\]|[^:/?#\\]*)/i.exec(ref)?.[1]?.toLowerCase();
}

/**
 * Whether `ref` names loopback as written: `localhost`, 127.x.x.x dotted or [::1]. Not
 * 2130706433, 0x7f.1, 127.1 or a name that resolves to loopback: those are loopback by another name.
 */
function writtenAsLoopback(ref: string, url: URL): boolean {
  if (writtenHost(ref) !== url.hostname) return false;
  if (isLocalhostName(url.hostname)) return true;
  const ip = ipLiteral(url.hostname);
  return ip !== undefined && classifyAddress(ip)?.scope === 'loopback';
}

/** Thrown by the connect-time lookup: the name resolves to an address we do not connect to. */
class BlockedAddressError extends Error {
  override name = 'BlockedAddressError';
}

/** A URL or redirect target whose address is refused (private, link-local, metadata...): not retried. */
export class RefusedAddressError extends NotRetriedError {
  override name = 'RefusedAddressError';
  constructor(
    url: string,
    readonly target: string,
    readonly reason: string,
  ) {
    super(url, `${target} refused: ${reason}`);
  }
}

/**
 * A net.connect lookup that resolves with `resolve` and refuses a name any of whose addresses is
 * refused. It runs when the connection is made, on the addresses connected to, so a name that
 * answers differently the second time (DNS rebinding) is caught too.
 */
function guardedLookup(resolve: ResolveHost, allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    const reach = { loopback: isLocalhostName(hostname), private: allowPrivate };
    resolve(hostname).then(
      (all) => {
        const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
        const addresses = family ? all.filter((a) => a.family === family) : all;
        const first = addresses[0];
        if (!first) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname }), '');
        for (const a of addresses) {
          const refusal = addressRefusal(a.address, reach);
          if (refusal) return callback(new BlockedAddressError(`${hostname} resolves to ${a.address}, ${refusal}`), '');
        }
        if (options.all) callback(null, addresses);
        else callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };
}

const systemResolve: ResolveHost = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));

/** One request of a redirect chain: its URL (and as written, when that differs), and whether it may reach loopback. */
interface Hop {
  url: URL;
  written: string;
  loopbackOk: boolean;
}

/** The hop for messages: "redirect to http://127.0.0.1/x (written http://2130706433/x)". */
function describeHop(hop: Hop, start: Hop): string {
  const host = writtenHost(hop.written);
  const url = host === undefined || host === hop.url.hostname ? hop.url.href : `${hop.url.href} (written ${hop.written})`;
  return hop === start ? url : `redirect to ${url}`;
}

/** What one request's robots.txt read gave: a policy (undefined: no rules), or why it could not be read. */
type RobotsRead = { policy: RobotsPolicy | undefined } | { unreachable: string };

/**
 * The one HTTP client: keep-alive connections shared by every source, global and per-host limits,
 * a per-host interval (stretched to a robots.txt Crawl-delay), timeouts, a body cap, checked
 * redirects, refused private addresses, decompression, charset decoding, retries, robots.txt and
 * conditional requests.
 */
export class HttpClient {
  private readonly o: Required<Omit<HttpClientOptions, 'cache' | 'signal'>> & { cache?: FetchCache; signal?: AbortSignal };
  private readonly agent: Agent;
  private readonly global: LimitFunction;
  private readonly perHost = new Map<string, LimitFunction>();
  private readonly lastStart = new Map<string, number>();
  private readonly crawlDelayByHost = new Map<string, number>();
  private readonly robotsByOrigin = new Map<string, Promise<RobotsRead>>();

  constructor(options: HttpClientOptions) {
    this.o = {
      ...DEFAULTS,
      // Ends early when interrupted: no timer keeps an interrupted process alive.
      sleep: (ms) => delay(ms, undefined, options.signal && { signal: options.signal }).catch(() => undefined),
      random: Math.random,
      now: Date.now,
      resolveHost: systemResolve,
      ...options,
    };
    this.agent = new Agent({
      keepAliveTimeout: 10_000,
      connect: { timeout: this.o.connectTimeoutMs, lookup: guardedLookup(this.o.resolveHost, this.o.allowPrivateHosts) },
      headersTimeout: this.o.headersTimeoutMs,
      bodyTimeout: this.o.bodyTimeoutMs,
    });
    this.global = pLimit(this.o.concurrency);
  }

  /**
   * GETs a URL, retrying what may work next time. Throws NotRetriedError (RefusedAddressError for
   * a refused address) or RetriedError when it gives up, InterruptedError when the signal aborts.
   */
  async get(url: string, options: GetOptions = {}): Promise<HttpResponse> {
    const target = checkUrl(url);
    return this.fetchWithRetries({ url: target, written: url, loopbackOk: writtenAsLoopback(url, target) }, options, this.o.robots);
  }

  async close(): Promise<void> {
    // An interrupted run does not wait for requests still in flight.
    await (this.o.signal?.aborted ? this.agent.destroy() : this.agent.close());
  }

  private async fetchWithRetries(start: Hop, options: GetOptions, obeyRobots: boolean): Promise<HttpResponse> {
    const started = this.o.now();
    const tries: Tries = { failed: 0, throttled: 0 };
    for (;;) {
      try {
        return await this.follow(start, options, obeyRobots);
      } catch (err) {
        if (err instanceof ThrottledError) tries.throttled++;
        else tries.failed++;
        const wait = decideRetry(err, tries, this.o.now() - started, this.o, this.o.random);
        if (wait === undefined) throw err;
        await this.pause(wait, start.url.href);
      }
    }
  }

  /** One try: the request and its redirects, each target's address and robots.txt checked before it is requested. */
  private async follow(start: Hop, options: GetOptions, obeyRobots: boolean): Promise<HttpResponse> {
    let hop = start;
    for (let redirects = 0; ; redirects++) {
      let r: Awaited<ReturnType<HttpClient['send']>>;
      try {
        const refusal = hopRefusal(hop.url, hop.loopbackOk, this.o.allowPrivateHosts);
        if (refusal) throw new BlockedAddressError(refusal);
        if (obeyRobots && hop.url.pathname !== '/robots.txt') await this.checkRobots(hop);
        r = await this.sendInTurn(hop, options);
      } catch (err) {
        if (err instanceof BlockedAddressError) throw new RefusedAddressError(start.url.href, describeHop(hop, start), err.message);
        throw err;
      }
      if (r.redirect === undefined) return r.response;
      if (redirects >= this.o.maxRedirects) throw new NotRetriedError(start.url.href, `more than ${this.o.maxRedirects} redirects (last to ${r.redirect})`);
      const url = checkUrl(new URL(r.redirect, hop.url).href, start.url.href);
      // A relative redirect stays on its host; one to loopback must name it, after a request that did.
      hop = { url, written: r.redirect, loopbackOk: hop.loopbackOk && (url.host === hop.url.host || writtenAsLoopback(r.redirect, url)) };
    }
  }

  private sendInTurn(hop: Hop, options: GetOptions) {
    return this.global(() =>
      this.hostLimit(hop.url.host)(async () => {
        this.throwIfInterrupted(hop.url.href);
        await this.waitTurn(hop.url);
        options.budget?.take(hop.url.href);
        return this.send(hop.url, options);
      }),
    );
  }

  private throwIfInterrupted(url: string): void {
    const signal = this.o.signal;
    if (signal?.aborted) throw new InterruptedError(`interrupted (${String(signal.reason ?? 'signal')}) while fetching ${url}`);
  }

  /** Sleeps, ending at once with an InterruptedError when the signal aborts. */
  private async pause(ms: number, url: string): Promise<void> {
    const signal = this.o.signal;
    this.throwIfInterrupted(url);
    if (!signal) return this.o.sleep(ms);
    let onAbort: () => void = () => undefined;
    const aborted = new Promise<void>((resolve) => {
      onAbort = resolve;
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([this.o.sleep(ms), aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
    this.throwIfInterrupted(url);
  }

  private hostLimit(host: string): LimitFunction {
    let limit = this.perHost.get(host);
    if (!limit) this.perHost.set(host, (limit = pLimit(this.o.perHostConcurrency)));
    return limit;
  }

  /** Waits until the host's interval has passed since the last start there, and books this start. */
  private async waitTurn(url: URL): Promise<void> {
    const host = url.host;
    const now = this.o.now();
    const last = this.lastStart.get(host);
    const at = last === undefined ? now : Math.max(now, last + this.intervalFor(host));
    this.lastStart.set(host, at);
    if (at > now) await this.pause(at - now, url.href);
  }

  /** Our minimum interval, or the host's robots.txt Crawl-delay for us when that is longer. */
  private intervalFor(host: string): number {
    return Math.max(this.o.minIntervalMs, this.crawlDelayByHost.get(host) ?? 0);
  }

  private async send(url: URL, options: GetOptions): Promise<{ response: HttpResponse; redirect?: undefined } | { redirect: string }> {
    const headers: Record<string, string> = {
      'user-agent': this.o.userAgent,
      'accept-encoding': 'gzip, deflate, br',
      accept: options.accept ?? '*/*',
    };
    const cached = options.conditional ? await this.o.cache?.get(url.href) : undefined;
    if (cached?.etag) headers['if-none-match'] = cached.etag;
    if (cached?.lastModified) headers['if-modified-since'] = cached.lastModified;
    const controller = new AbortController();
    const signal = this.o.signal ? AbortSignal.any([controller.signal, this.o.signal]) : controller.signal;
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(url, { method: 'GET', headers, dispatcher: this.agent, signal });
    } catch (err) {
      this.throwIfInterrupted(url.href);
      if (err instanceof BlockedAddressError) throw err;
      throw networkError(url.href, err);
    }
    const h = flatHeaders(res.headers);
    const status = res.statusCode;
    if (status >= 300 && status < 400 && status !== 304) {
      await res.body.dump().catch(() => undefined);
      if (!h.location) throw new NotRetriedError(url.href, `redirect ${status} without a Location header`, status);
      return { redirect: h.location };
    }
    if (status === 304) {
      await res.body.dump().catch(() => undefined);
      return { response: { url: url.href, status, headers: h, contentType: h['content-type'] ?? '', text: '', notModified: true } };
    }
    if (status >= 400) {
      await res.body.dump().catch(() => undefined);
      throw this.statusError(url.href, status, h['retry-after']);
    }
    const timer = setTimeout(() => controller.abort(), this.o.bodyTimeoutMs);
    let bytes: Buffer;
    try {
      bytes = await readBody(res.body, h['content-encoding'], this.o.maxBodyBytes, url.href);
    } catch (err) {
      if (err instanceof NotRetriedError) throw err;
      this.throwIfInterrupted(url.href);
      if (controller.signal.aborted) throw new RetriedError(url.href, `body not read within ${this.o.bodyTimeoutMs} ms`, undefined, { cause: err });
      throw networkError(url.href, err);
    } finally {
      clearTimeout(timer);
    }
    const contentType = h['content-type'] ?? '';
    if (options.conditional && (h.etag || h['last-modified'])) {
      this.o.cache?.put(url.href, { ...(h.etag && { etag: h.etag }), ...(h['last-modified'] && { lastModified: h['last-modified'] }) });
    }
    return { response: { url: url.href, status, headers: h, contentType, text: decodeBody(bytes, contentType), notModified: false } };
  }

  /** The error for an HTTP error status: throttled (429, 503 with Retry-After), retried (5xx, 408), or not. */
  private statusError(url: string, status: number, retryAfterHeader: string | undefined): Error {
    const retryAfter = parseRetryAfter(retryAfterHeader, this.o.now());
    if (status === 429 || (status === 503 && retryAfter !== undefined)) return new ThrottledError(url, `HTTP ${status}`, retryAfter, status);
    if (status >= 500 || status === 408) return new RetriedError(url, `HTTP ${status}`, status);
    return new NotRetriedError(url, `HTTP ${status}`, status);
  }

  private async checkRobots(hop: Hop): Promise<void> {
    const { url } = hop;
    const read = await this.robotsRead(hop);
    if ('unreachable' in read) {
      throw new NotRetriedError(url.href, `robots.txt of ${url.origin} could not be read (${read.unreachable}), so ${url.pathname} is not fetched for now; it is read again for the next URL there`);
    }
    if (read.policy && !read.policy.isAllowed(url.href)) throw new NotRetriedError(url.href, `robots.txt of ${url.origin} disallows ${url.pathname}`);
  }

  /**
   * The origin's robots.txt, read once per origin while it answers. An unreachable one (5xx, 429,
   * network error, after the retries) disallows the URLs waiting for it, as RFC 9309 says, but is
   * not kept: the next URL there reads it again, so a passing outage does not fail the whole run.
   */
  private robotsRead(hop: Hop): Promise<RobotsRead> {
    const origin = hop.url.origin;
    let read = this.robotsByOrigin.get(origin);
    if (!read) {
      const reading = this.readRobots(hop);
      const forget = () => {
        if (this.robotsByOrigin.get(origin) === reading) this.robotsByOrigin.delete(origin);
      };
      reading.then((r) => 'unreachable' in r && forget(), forget);
      this.robotsByOrigin.set(origin, (read = reading));
    }
    return read;
  }

  private async readRobots(hop: Hop): Promise<RobotsRead> {
    const robotsUrl = new URL('/robots.txt', hop.url.origin);
    let text: string;
    try {
      // robots.txt itself, and where it redirects, are read without asking robots.txt.
      text = (await this.fetchWithRetries({ url: robotsUrl, written: robotsUrl.href, loopbackOk: hop.loopbackOk }, { accept: 'text/plain' }, false)).text;
    } catch (err) {
      if (err instanceof RefusedAddressError) throw new BlockedAddressError(err.reason);
      if (err instanceof InterruptedError) throw err;
      // The host cannot be reached at all: that is the news, not robots.txt; tried already, so not again.
      if (err instanceof UnreachableError) throw new NotRetriedError(hop.url.href, err.message, undefined, { cause: err });
      // 4xx (but 429): the site has no robots.txt for us, so no rules (RFC 9309 "unavailable").
      if (err instanceof NotRetriedError && err.status !== undefined && err.status < 500) return { policy: undefined };
      return { unreachable: (err as Error).message };
    }
    // Rules apply to the origin asked for, even when robots.txt was redirected elsewhere.
    const policy = parseRobots(robotsUrl.href, text, this.o.userAgent);
    if (policy.crawlDelayMs !== undefined) {
      this.crawlDelayByHost.set(hop.url.host, Math.max(policy.crawlDelayMs, this.crawlDelayByHost.get(hop.url.host) ?? 0));
    }
    return { policy };
  }
}

/**
 * Why a request to `url` is refused before connecting, or undefined: its host is an IP address we
 * do not reach (net.connect asks no lookup for those), or a localhost name a request reached from
 * elsewhere. A name is checked by the lookup when connecting. Pure.
 */
export function hopRefusal(url: URL, loopbackOk: boolean, allowPrivate: boolean): string | undefined {
  const ip = ipLiteral(url.hostname);
  if (ip !== undefined) {
    const refusal = addressRefusal(ip, { loopback: loopbackOk, private: allowPrivate });
    return refusal && `${ip} is ${refusal}`;
  }
  if (isLocalhostName(url.hostname) && !loopbackOk && !allowPrivate) return `${url.hostname} is this machine, reached by a redirect from another host${PRIVATE_HINT}`;
  return undefined;
}

function checkUrl(href: string, from?: string): URL {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    throw new NotRetriedError(href, 'not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new NotRetriedError(from ?? href, `${from ? 'redirect to' : 'URL with'} scheme ${url.protocol} refused (only http and https)`);
  }
  return url;
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Error codes of a host that cannot be reached at all: refused, no such name, no route, network down. */
const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  EAI_FAIL: 'host name lookup failed',
  ENETUNREACH: 'no route to the network',
  EHOSTUNREACH: 'no route to the host',
  ENETDOWN: 'network down',
  EHOSTDOWN: 'host down',
};

const LOOKUP_FAILED = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL']);

function networkError(url: string, err: unknown): RetriedError {
  const e = err as Error & { code?: string };
  const unreachable = e.code === undefined ? undefined : UNREACHABLE[e.code];
  if (unreachable !== undefined) {
    const host = new URL(url).host;
    return new UnreachableError(url, `network unreachable: cannot ${LOOKUP_FAILED.has(e.code as string) ? 'resolve' : 'connect to'} ${host} (${unreachable}, ${e.code})`, undefined, { cause: err });
  }
  const kind =
    e instanceof undiciErrors.ConnectTimeoutError
      ? 'connect timeout'
      : e instanceof undiciErrors.HeadersTimeoutError
        ? 'headers timeout'
        : e instanceof undiciErrors.BodyTimeoutError
          ? 'body timeout'
          : (e.code ?? e.message);
  return new RetriedError(url, `network error: ${kind}`, undefined, { cause: err });
}

// Kept by hand on purpose. undici 7.30's interceptors.decompress() would do this and does hold the
// cap (its maxSize counts inflated bytes, with backpressure; tried on a 50 MB gzip bomb: stopped at
// 1 MiB). But creating it emits "ExperimentalWarning: DecompressInterceptor is experimental" on
// stderr once per process, which would put non-JSON lines into `run --log-format json` logs (the
// README's cron example appends stderr to run.jsonl). Revisit when undici marks it stable.

/**
 * Reads a body, inflating gzip, deflate or br as it streams, and refuses it once the inflated
 * bytes pass `max`: a compressed bomb is stopped at the cap, never inflated whole.
 */
async function readBody(body: Readable, encoding: string | undefined, max: number, url: string): Promise<Buffer> {
  const enc = (encoding ?? '').trim().toLowerCase();
  const stream: Readable =
    enc === 'gzip' || enc === 'x-gzip'
      ? body.pipe(createGunzip())
      : enc === 'deflate'
        ? body.pipe(createInflate())
        : enc === 'br'
          ? body.pipe(createBrotliDecompress())
          : body;
  if (stream !== body) body.on('error', (err) => stream.destroy(err));
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      if (size > max) throw new NotRetriedError(url, `body larger than ${max} bytes`);
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    body.destroy();
    stream.destroy();
    throw err;
  }
  return Buffer.concat(chunks);
}

