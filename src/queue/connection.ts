import { createHash } from 'node:crypto';
import type { ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { StopBeforeWorkError } from '../errors.js';

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
 * Connection options for BullMQ from a redis:// URL (BullMQ then opens and closes its connections
 * itself). Commands retry for ever: a Redis restart is waited out, as BullMQ requires of workers.
 */
export function redisOptions(url: string): ConnectionOptions {
  const u = new URL(url);
  const db = u.pathname.replace(/^\//, '');
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : 6379,
    ...(u.username && { username: decodeURIComponent(u.username) }),
    ...(u.password && { password: decodeURIComponent(u.password) }),
    ...(db && { db: Number(db) }),
    ...(u.protocol === 'rediss:' && { tls: {} }),
    maxRetriesPerRequest: null,
  };
}

/**
 * Checks that Redis answers at `url` before any work: a StopBeforeWorkError naming the URL
 * (password hidden) when it does not answer within `timeoutMs`.
 */
export async function probeRedis(url: string, timeoutMs = 5000): Promise<void> {
  if (!/^rediss?:\/\//i.test(url)) throw new StopBeforeWorkError(`queue ${redactRedisUrl(url)}: expected a redis:// or rediss:// URL`);
  const client = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    throw new StopBeforeWorkError(`queue ${redactRedisUrl(url)}: cannot reach Redis (${(err as Error).message})`, { cause: err });
  } finally {
    client.disconnect();
  }
}

/**
 * A short, stable name for a source spec in job ids: BullMQ job ids may not contain `:` and
 * source specs do (`greenhouse:acme`, `path:/data`).
 */
export function sourceTag(source: string): string {
  return createHash('sha256').update(source).digest('hex').slice(0, 16);
}
