/** Logs on stderr: human lines or JSON lines; progress lines only on a terminal. */
import { cutEnd } from '../report/fit.js';
import { formatProgress } from './progress.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A progress line, redrawn in place; only on a terminal, never in JSON logs or cron mail. */
  progress(label: string, done: number, total?: number): void;
}

export interface LoggerOptions {
  stream: { write(s: string): unknown; isTTY?: boolean; columns?: number };
  format: 'human' | 'json';
  /** quiet: warnings and errors only; verbose: debug too. */
  verbosity: 'quiet' | 'normal' | 'verbose';
  now?: () => Date;
}

export function createLogger(o: LoggerOptions): Logger {
  const min: LogLevel = o.verbosity === 'quiet' ? 'warn' : o.verbosity === 'verbose' ? 'debug' : 'info';
  const now = o.now ?? (() => new Date());
  const animated = o.format === 'human' && o.stream.isTTY === true && o.verbosity !== 'quiet';
  let progressShown = false;
  // When each progress label was first shown (for its rate), and when the line was last drawn.
  const started = new Map<string, number>();
  let drawn = -Infinity;
  const clearProgress = () => {
    if (progressShown) o.stream.write('\r\u001b[K');
    progressShown = false;
  };
  const log = (level: LogLevel) => (msg: string, fields: Record<string, unknown> = {}) => {
    if (RANK[level] < RANK[min]) return;
    clearProgress();
    if (o.format === 'json') {
      o.stream.write(`${JSON.stringify({ time: now().toISOString(), level, msg, ...fields })}\n`);
    } else {
      const extra = Object.entries(fields)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      o.stream.write(`skillpulse: ${level === 'info' ? '' : `${level}: `}${msg}${extra ? ` (${extra})` : ''}\n`);
    }
  };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    progress(label, done, total) {
      if (!animated) return;
      const t = now().getTime();
      if (!started.has(label)) started.set(label, t);
      if (t - drawn < 100 && done !== total) return;
      drawn = t;
      const line = `skillpulse: ${label}: ${formatProgress(done, total, t - (started.get(label) ?? t), '')}`;
      o.stream.write(`\r\u001b[K${cutEnd(line, Math.max(20, (o.stream.columns ?? 80) - 1))}`);
      progressShown = true;
    },
  };
}
