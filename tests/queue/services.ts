import { Redis } from 'ioredis';

/**
 * The servers the queue's tests need, on loopback (.ci/run starts them in CI). A test whose server
 * is missing is skipped with a printed line on a developer's machine, and fails when CI=true.
 * (Interim copy until the shared tests/services.ts of the PostgreSQL branch is merged.)
 */
export const REDIS_URL = process.env.SKILLPULSE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function redisAvailable(url = REDIS_URL): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** Whether the tests of a service run: yes when it answers; no (with a line saying so) when it does not, unless CI=true, where that is a failure. */
export async function needService(name: string, available: boolean): Promise<boolean> {
  if (available) return true;
  if (process.env.CI === 'true') throw new Error(`${name} is not reachable, and CI=true: the CI job must start it (see .ci/run)`);
  console.log(`skipped: ${name} is not reachable on 127.0.0.1 (start it to run these tests; CI=true makes this a failure)`);
  return false;
}

/** Deletes every key of a queue prefix (never FLUSHALL: the Redis is shared). */
export async function dropPrefix(prefix: string, url = REDIS_URL): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}
