import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import pLimit, { type LimitFunction } from 'p-limit';
import { Agent, errors as undiciErrors, request } from 'undici';
import { NotRetriedError, RetriedError, ThrottledError } from '../errors.js';
import { isAllowed, parseRobots, type RobotsRules } from './robots.js';

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
  /** Minimum time between the starts of two requests to one host. */
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
  /** Obey robots.txt (default true). */
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
 * a per-host interval, timeouts, a body cap, checked redirects, decompression, charset decoding,
 * retries, robots.txt and conditional requests.
 */
export class HttpClient {
  private readonly o: Required<Omit<HttpClientOptions, 'cache'>> & { cache?: FetchCache };
  private readonly agent: Agent;
  private readonly global: LimitFunction;
  private readonly perHost = new Map<string, LimitFunction>();
  private readonly nextStart = new Map<string, number>();
  private readonly robotsByOrigin = new Map<string, Promise<RobotsRules | undefined>>();

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

  private async waitTurn(host: string): Promise<void> {
    const now = this.o.now();
    const at = Math.max(now, this.nextStart.get(host) ?? now);
    this.nextStart.set(host, at + this.o.minIntervalMs);
    if (at > now) await this.o.sleep(at - now);
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

  private checkRobots(url: URL): Promise<void> {
    let rules = this.robotsByOrigin.get(url.origin);
    if (!rules) {
      rules = this.get(`${url.origin}/robots.txt`, { accept: 'text/plain' }).then(
        (r) => parseRobots(r.text, this.o.userAgent.split('/')[0] ?? 'skillpulse'),
        (err) => {
          // No robots.txt (4xx) means no rules; an unreachable one is treated as "not now".
          if (err instanceof NotRetriedError && err.status !== undefined && err.status < 500) return undefined;
          throw new RetriedError(url.href, `robots.txt of ${url.origin} could not be read: ${(err as Error).message}`, undefined, { cause: err });
        },
      );
      this.robotsByOrigin.set(url.origin, rules);
    }
    return rules.then((r) => {
      if (r && !isAllowed(r, url.pathname + url.search)) throw new NotRetriedError(url.href, `robots.txt of ${url.origin} disallows ${url.pathname}`);
    });
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

/**
 * Decodes a body: the charset the headers declare, else the one the document declares
 * (<meta charset>, <?xml encoding?>), else UTF-8; bytes that are valid UTF-8 with non-ASCII
 * characters are read as UTF-8 whatever a header claims, and invalid UTF-8 falls back to windows-1252.
 */
export function decodeBody(bytes: Uint8Array, contentType: string): string {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  const declared = /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType)?.[1] ?? sniffCharset(bytes);
  let utf8: string | undefined;
  try {
    utf8 = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    utf8 = undefined;
  }
  if (utf8 !== undefined && (!declared || /^utf-?8$/i.test(declared) || /[^\t\n\r\x20-\x7e]/.test(utf8))) return utf8.replace(/^\uFEFF/, '');
  const label = declared && !/^utf-?8$/i.test(declared) ? declared.toLowerCase() : 'windows-1252';
  if (WINDOWS_1252_LABELS.has(label)) return decodeWindows1252(bytes);
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return decodeWindows1252(bytes);
  }
}

// The labels WHATWG maps to windows-1252; Node's TextDecoder reads them as ISO-8859-1, which
// loses the curly quotes and dashes of 0x80-0x9F, so they are decoded here.
const WINDOWS_1252_LABELS = new Set(['windows-1252', 'cp1252', 'x-cp1252', 'iso-8859-1', 'iso8859-1', 'latin1', 'l1', 'us-ascii', 'ascii']);
const CP1252_HIGH = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80] : String.fromCharCode(b);
  return out;
}

function sniffCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 2048)).toString('latin1');
  return (
    /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1] ?? /<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)/i.exec(head)?.[1]
  );
}
