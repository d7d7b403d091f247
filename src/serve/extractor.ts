import { InvalidParameterError } from '../errors.js';
import { type ExtractionRecord, extractionRecord } from '../extract/record.js';
import { type InputLimits, screenPosting } from '../normalize/limits.js';
import { type PostingInput, rawPostingOf } from '../pipeline/extract-skills.js';
import { type ExtractionPool, startPool } from '../pipeline/pool.js';

/** Extraction for requests: on worker threads, so that no request blocks the others, with a time limit per request. */
export interface Extractor {
  /**
   * The record `extract --format json --with-text` prints for the posting (one element of its
   * array). Rejects with InvalidParameterError for input without text or over the limits,
   * BusyError when too many extractions wait, TimeLimitError past the time limit.
   */
  extract(input: string | PostingInput): Promise<ExtractionRecord>;
  /** Starts the workers now, in the background (they compile the taxonomy and keep its snapshot for the main thread). */
  warm(): void;
  close(): Promise<void>;
}

/** Too many extractions are waiting already: try again later (HTTP 503). */
export class BusyError extends Error {
  override name = 'BusyError';
}

/** The extraction ran over its time limit and was stopped (HTTP 422: the same input would again). */
export class TimeLimitError extends Error {
  override name = 'TimeLimitError';
}

export interface ExtractorOptions {
  threads?: number;
  cacheDir?: string;
  taxonomy?: string;
  addTaxonomy?: string[];
  /** The longest one extraction may take; its worker is stopped and replaced after that. */
  timeLimitMs: number;
  /** Extractions running or waiting at most; more are refused with BusyError. */
  maxQueued: number;
  limits: Pick<InputLimits, 'maxPostingChars' | 'dates'>;
  /** Told each extraction's time (for /metrics). */
  onExtracted?: (ms: number, outcome: 'ok' | 'failed' | 'timeout') => void;
}

/** Starts the worker threads only when the first request comes: serve starts in a fraction of a second. */
export function createExtractor(o: ExtractorOptions): Extractor {
  let pool: Promise<ExtractionPool> | undefined;
  let queued = 0;
  const getPool = () => {
    pool ??= startPool({
      threads: o.threads ?? 1,
      ...(o.cacheDir && { cacheDir: o.cacheDir }),
      ...(o.taxonomy && { taxonomy: o.taxonomy }),
      ...(o.addTaxonomy && { addTaxonomy: o.addTaxonomy }),
      maxPostingMs: o.timeLimitMs,
    });
    // A pool that failed to start is tried again by the next request.
    pool.catch(() => {
      pool = undefined;
    });
    return pool;
  };
  return {
    async extract(input) {
      let raw: ReturnType<typeof rawPostingOf>;
      try {
        raw = rawPostingOf(input);
      } catch (err) {
        throw new InvalidParameterError(typeof input === 'string' ? 'text' : 'posting', (err as Error).message.replace(/^extractSkills: /, ''));
      }
      const screened = screenPosting(raw, o.limits, new Date().toISOString());
      if (!screened.ok) throw new InvalidParameterError(typeof input === 'string' ? 'text' : 'posting', screened.reason);
      if (queued >= o.maxQueued) throw new BusyError(`${queued === 1 ? '1 extraction is' : `${queued} extractions are`} running or waiting already; try again in a moment`);
      queued++;
      const started = performance.now();
      try {
        const [result] = await (await getPool()).run([screened.raw]);
        const ms = performance.now() - started;
        if (!result || 'error' in result) {
          const timeout = result !== undefined && /took over/.test(result.error);
          o.onExtracted?.(ms, timeout ? 'timeout' : 'failed');
          if (timeout) throw new TimeLimitError(`extraction took over ${o.timeLimitMs / 1000} s, the limit per request; the posting was not analyzed`);
          throw new InvalidParameterError('body', `cannot analyze the posting: ${result?.error ?? 'no result'}`);
        }
        o.onExtracted?.(ms, 'ok');
        return extractionRecord(result.posting, result.extraction, { withText: true });
      } finally {
        queued--;
      }
    },
    warm() {
      getPool().catch(() => {});
    },
    async close() {
      const p = pool;
      pool = undefined;
      if (p) await (await p.catch(() => undefined))?.close();
    },
  };
}
