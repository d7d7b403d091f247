import { createHash } from 'node:crypto';

/* Queue settings and names: no Redis client here, so commands that only show a URL load none. */

/** The one BullMQ queue every skillpulse job goes through; `prefix` keeps deployments (and tests) apart. */
export const QUEUE_NAME = 'skillpulse';

/** Where the queue is and how its jobs are retried (the config's `queue` key, env overrides applied). */
export interface QueueSettings {
  /** redis://[user:password@]host:port[/db] */
  url: string;
  /** BullMQ's key prefix in Redis (default `skillpulse`). */
  prefix: string;
  /** Postings per extract job (default 200). */
  batch: number;
  /** Tries per job, the first included (default 5). */
  attempts: number;
  /** First wait before a retry, doubled each time (default 5000). */
  backoffMs: number;
}

export const QUEUE_DEFAULTS = { prefix: 'skillpulse', batch: 200, attempts: 5, backoffMs: 5000 } as const;

/** A Redis URL as messages may show it: the password replaced by `***`. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  }
}

/**
 * A short, stable name for a source spec in job ids: BullMQ job ids may not contain `:` and
 * source specs do (`greenhouse:acme`, `path:/data`).
 */
export function sourceTag(source: string): string {
  return createHash('sha256').update(source).digest('hex').slice(0, 16);
}
