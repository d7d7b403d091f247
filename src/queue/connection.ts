import type { ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { StopBeforeWorkError } from '../errors.js';
import { redactRedisUrl } from './settings.js';

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
