import { cutEnd } from '../report/fit.js';
import { terminalText } from '../report/model.js';

/** A progress line on a terminal: redrawn in place, at most ten times a second, cleared before other output. */
export interface Progress {
  /** `done` so far, of `total` when it is known; `detail` names what is being worked on. */
  update(done: number, total?: number, detail?: string): void;
  /** Removes the line (before a summary or an error is written). */
  clear(): void;
}

export interface ProgressOptions {
  stream: { write(s: string): unknown; isTTY?: boolean; columns?: number };
  /** Off with --quiet, JSON logs, or when standard error is not a terminal (pipes, cron). */
  enabled: boolean;
  /** What is counted, singular: "posting" (an s is added where the count needs it). */
  unit: string;
  /** Milliseconds, for tests. */
  now?: () => number;
}

const number = (n: number) => n.toLocaleString('en-US');

/** m:ss, or h:mm:ss. */
function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * The text of a progress line: the count (of the total, with the percentage), the rate, and the
 * time left when the total is known: `1,200/4,000 postings (30%), 240/s, 0:12 left` for the unit "posting". Pure.
 */
export function formatProgress(done: number, total: number | undefined, elapsedMs: number, unit: string, detail?: string): string {
  const what = unit ? ` ${unit}${(total ?? done) === 1 ? '' : 's'}` : '';
  const parts = [total === undefined ? `${number(done)}${what}` : `${number(done)}/${number(total)}${what} (${total ? Math.floor((done / total) * 100) : 100}%)`];
  const rate = elapsedMs >= 500 ? done / (elapsedMs / 1000) : undefined;
  if (rate !== undefined) parts.push(`${number(Math.round(rate))}/s`);
  if (rate && total !== undefined && done < total) parts.push(`${duration((total - done) / rate)} left`);
  if (detail) parts.push(terminalText(detail));
  return parts.join(', ');
}

/** A progress line on `stream`, or nothing at all when not enabled. */
export function createProgress(o: ProgressOptions): Progress {
  if (!o.enabled) return { update: () => undefined, clear: () => undefined };
  const now = o.now ?? (() => performance.now());
  const start = now();
  let last = -Infinity;
  let shown = false;
  return {
    update(done, total, detail) {
      const t = now();
      if (t - last < 100 && done !== total) return;
      last = t;
      // One line less than the terminal is wide: a line that wraps cannot be redrawn in place.
      const text = cutEnd(`skillpulse: ${formatProgress(done, total, t - start, o.unit, detail)}`, Math.max(20, (o.stream.columns ?? 80) - 1));
      o.stream.write(`\r\u001b[K${text}`);
      shown = true;
    },
    clear() {
      if (shown) o.stream.write('\r\u001b[K');
      shown = false;
    },
  };
}

/** Whether long work shows progress: on a terminal, unless --quiet. */
export function showsProgress(stream: { isTTY?: boolean }, quiet: boolean | undefined): boolean {
  return stream.isTTY === true && quiet !== true;
}
