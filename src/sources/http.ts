import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { decodeBuffer, getEncoding } from 'encoding-sniffer';
import pLimit, { type LimitFunction } from 'p-limit';
import { Agent, errors as undiciErrors, request } from 'undici';
import { NotRetriedError, RetriedError, ThrottledError } from '../errors.js';
import { parseRobots, type RobotsPolicy } from './robots.js';

/** Validators of a cached URL, for conditional requests. */
export interface CacheEntry {
  etag?: string;
  lastModified?: string;
}

/** Where ETag and Last-Modified are kept between runs (the store's fetch_cache table). */
export interface FetchCache {
  get(url: string): CacheEntry | undefined;
  put(url: string, entry: CacheEntry): void;
}

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
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Longest time one request may take, waits and retries included. */
  maxTotalMs?: number;
  /** Obey robots.txt: Allow/Disallow and Crawl-delay (default true). */
  robots?: boolean;
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
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxTotalMs: 120_000,
  robots: true,
};

/** How long to wait before the next try, or undefined to give up. The one place retries are decided. */
export function decideRetry(
  err: unknown,
  attempt: number,
  elapsedMs: number,
  o: Pick<Required<HttpClientOptions>, 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs' | 'maxTotalMs'>,
  random: () => number,
): number | undefined {
  if (!(err instanceof RetriedError)) return undefined;
  let delay: number;
  if (err instanceof ThrottledError) {
    delay = err.retryAfterMs ?? Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (attempt - 1));
  } else {
    if (attempt >= o.maxAttempts) return undefined;
    // Exponential backoff with jitter: between half and all of base * 2^(attempt-1).
    delay = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (attempt - 1)) * (0.5 + random() / 2);
  }
  return elapsedMs + delay <= o.maxTotalMs ? Math.round(delay) : undefined;
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The one HTTP client: keep-alive connections shared by every source, global and per-host limits,
 * a per-host interval (stretched to a robots.txt Crawl-delay), timeouts, a body cap, checked
 * redirects, decompression, charset decoding, retries, robots.txt and conditional requests.
 */
export class HttpClient {
  private readonly o: Required<Omit<HttpClientOptions, 'cache'>> & { cache?: FetchCache };
  private readonly agent: Agent;
  private readonly global: LimitFunction;
  private readonly perHost = new Map<string, LimitFunction>();
  private readonly lastStart = new Map<string, number>();
  private readonly crawlDelayByHost = new Map<string, number>();
  private readonly robotsByOrigin = new Map<string, Promise<RobotsPolicy | undefined>>();

  constructor(options: HttpClientOptions) {
    this.o = {
      ...DEFAULTS,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      random: Math.random,
      now: Date.now,
      ...options,
    };
    this.agent = new Agent({
      keepAliveTimeout: 10_000,
      connect: { timeout: this.o.connectTimeoutMs },
      headersTimeout: this.o.headersTimeoutMs,
      bodyTimeout: this.o.bodyTimeoutMs,
    });
    this.global = pLimit(this.o.concurrency);
  }

  /** GETs a URL, retrying what may work next time. Throws NotRetriedError or RetriedError when it gives up. */
  async get(url: string, options: GetOptions = {}): Promise<HttpResponse> {
    const target = checkUrl(url);
    if (this.o.robots && target.pathname !== '/robots.txt') await this.checkRobots(target);
    const started = this.o.now();
    for (let attempt = 1; ; ) {
      try {
        return await this.once(target, options);
      } catch (err) {
        const delay = decideRetry(err, attempt, this.o.now() - started, this.o, this.o.random);
        if (delay === undefined) throw err;
        if (!(err instanceof ThrottledError)) attempt++;
        await this.o.sleep(delay);
      }
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private hostLimit(host: string): LimitFunction {
    let limit = this.perHost.get(host);
    if (!limit) this.perHost.set(host, (limit = pLimit(this.o.perHostConcurrency)));
    return limit;
  }

  /** Waits until the host's interval has passed since the last start there, and books this start. */
  private async waitTurn(host: string): Promise<void> {
    const now = this.o.now();
    const last = this.lastStart.get(host);
    const at = last === undefined ? now : Math.max(now, last + this.intervalFor(host));
    this.lastStart.set(host, at);
    if (at > now) await this.o.sleep(at - now);
  }

  /** Our minimum interval, or the host's robots.txt Crawl-delay for us when that is longer. */
  private intervalFor(host: string): number {
    return Math.max(this.o.minIntervalMs, this.crawlDelayByHost.get(host) ?? 0);
  }

  private once(start: URL, options: GetOptions): Promise<HttpResponse> {
    return this.global(() =>
      this.hostLimit(start.host)(async () => {
        let url = start;
        for (let hop = 0; ; hop++) {
          await this.waitTurn(url.host);
          const r = await this.send(url, options);
          if (r.redirect === undefined) return r.response;
          if (hop >= this.o.maxRedirects) throw new NotRetriedError(start.href, `more than ${this.o.maxRedirects} redirects (last to ${r.redirect})`);
          url = checkUrl(new URL(r.redirect, url).href, start.href);
        }
      }),
    );
  }

  private async send(url: URL, options: GetOptions): Promise<{ response: HttpResponse; redirect?: undefined } | { redirect: string }> {
    const headers: Record<string, string> = {
      'user-agent': this.o.userAgent,
      'accept-encoding': 'gzip, deflate, br',
      accept: options.accept ?? '*/*',
    };
    const cached = options.conditional ? this.o.cache?.get(url.href) : undefined;
    if (cached?.etag) headers['if-none-match'] = cached.etag;
    if (cached?.lastModified) headers['if-modified-since'] = cached.lastModified;
    const controller = new AbortController();
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(url, { method: 'GET', headers, dispatcher: this.agent, signal: controller.signal });
    } catch (err) {
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
      const retryAfter = parseRetryAfter(h['retry-after'], this.o.now());
      if (status === 429 || (status === 503 && retryAfter !== undefined)) throw new ThrottledError(url.href, `HTTP ${status}`, retryAfter, status);
      if (status >= 500 || status === 408) throw new RetriedError(url.href, `HTTP ${status}`, status);
      throw new NotRetriedError(url.href, `HTTP ${status}`, status);
    }
    const timer = setTimeout(() => controller.abort(), this.o.bodyTimeoutMs);
    let bytes: Buffer;
    try {
      bytes = await readBody(res.body, h['content-encoding'], this.o.maxBodyBytes, url.href);
    } catch (err) {
      if (err instanceof NotRetriedError) throw err;
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

  private async checkRobots(url: URL): Promise<void> {
    const policy = await this.robotsPolicy(url);
    if (policy && !policy.isAllowed(url.href)) throw new NotRetriedError(url.href, `robots.txt of ${url.origin} disallows ${url.pathname}`);
  }

  /** The origin's robots.txt policy, read once per origin (undefined: the site has none). */
  private robotsPolicy(url: URL): Promise<RobotsPolicy | undefined> {
    let policy = this.robotsByOrigin.get(url.origin);
    if (!policy) this.robotsByOrigin.set(url.origin, (policy = this.readRobots(url)));
    return policy;
  }

  private async readRobots(url: URL): Promise<RobotsPolicy | undefined> {
    const robotsUrl = `${url.origin}/robots.txt`;
    let text: string;
    try {
      text = (await this.get(robotsUrl, { accept: 'text/plain' })).text;
    } catch (err) {
      // No robots.txt (4xx) means no rules; an unreachable one is treated as "not now".
      if (err instanceof NotRetriedError && err.status !== undefined && err.status < 500) return undefined;
      throw new RetriedError(url.href, `robots.txt of ${url.origin} could not be read: ${(err as Error).message}`, undefined, { cause: err });
    }
    // Rules apply to the origin asked for, even when robots.txt was redirected elsewhere.
    const policy = parseRobots(robotsUrl, text, this.o.userAgent);
    if (policy.crawlDelayMs !== undefined) {
      this.crawlDelayByHost.set(url.host, Math.max(policy.crawlDelayMs, this.crawlDelayByHost.get(url.host) ?? 0));
    }
    return policy;
  }
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

function networkError(url: string, err: unknown): RetriedError {
  const e = err as Error & { code?: string };
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

// How far to look for <meta charset> or <?xml encoding?>: as far as our own sniffer looked, since
// real pages put long preludes before the meta (WHATWG's prescan stops at 1024 bytes).
const SNIFF_BYTES = 2048;
const NON_ASCII = /[\u0080-\uffff]/;

/**
 * Decodes a body by the WHATWG sniffing rules (encoding-sniffer: BOM, then the header's charset,
 * then <meta charset> or <?xml encoding?>, else windows-1252), except that bytes that are valid
 * UTF-8 with non-ASCII characters are read as UTF-8 whatever a label claims, and bytes labelled
 * UTF-8 that are not valid UTF-8 are read as windows-1252.
 */
export function decodeBody(bytes: Uint8Array, contentType: string): string {
  const utf8 = decodeStrictUtf8(bytes);
  // Our rule, not WHATWG's: a latin1 label over UTF-8 bytes is a common mislabelling, while text in
  // a legacy charset with non-ASCII bytes is almost never valid UTF-8 by chance.
  if (utf8 !== undefined && NON_ASCII.test(utf8)) return utf8;
  const encoding = getEncoding(bytes, { transportLayerEncodingLabel: charsetOf(contentType), maxBytes: SNIFF_BYTES });
  // Ours too: WHATWG would put U+FFFD for every accent of a latin1 page that claims UTF-8.
  if (encoding === 'UTF-8') return utf8 ?? decodeAs(bytes, 'windows-1252');
  return decodeAs(bytes, encoding);
}

function decodeStrictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function charsetOf(contentType: string): string | undefined {
  return /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType)?.[1];
}

/** Decodes with iconv-lite through encoding-sniffer (a BOM still wins over `encoding`). */
function decodeAs(bytes: Uint8Array, encoding: string): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    return decodeBuffer(buffer, { userEncoding: encoding });
  } catch {
    // A label WHATWG knows and iconv-lite cannot decode (x-user-defined in a header).
    return decodeBuffer(buffer, { userEncoding: 'windows-1252' });
  }
}
