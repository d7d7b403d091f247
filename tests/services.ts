import { connect } from 'node:net';
import pg from 'pg';
import { beforeAll, describe } from 'vitest';

/**
 * The services some suites need (PostgreSQL for the shared store, Redis for the queue), where the
 * tests find them. Locally a missing service skips its suites with one line saying so; in CI
 * (CI=true, where .ci/run starts both) a missing service fails them.
 */

export const PG_URL = process.env.SKILLPULSE_TEST_PG_URL || 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.SKILLPULSE_TEST_REDIS_URL || 'redis://127.0.0.1:6379';

/** What a probe found: whether the service answered, and where it was looked for. */
export interface Probe {
  available: boolean;
  service: string;
  url: string;
  env: string;
}

/** Whether PostgreSQL answers at PG_URL (connects, logs in, runs a query) within `timeoutMs`. */
export async function pgAvailable(url = PG_URL, timeoutMs = 1000): Promise<Probe> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => {});
  let available = false;
  try {
    await client.connect();
    await client.query('SELECT 1');
    available = true;
  } catch {
    // not running, or not with these credentials: either way the suites cannot use it
  } finally {
    await client.end().catch(() => {});
  }
  return { available, service: 'PostgreSQL', url, env: 'SKILLPULSE_TEST_PG_URL' };
}

/** Whether Redis answers PING at REDIS_URL within `timeoutMs` (after AUTH when the URL has a password). */
export async function redisAvailable(url = REDIS_URL, timeoutMs = 1000): Promise<Probe> {
  const probe = { service: 'Redis', url, env: 'SKILLPULSE_TEST_REDIS_URL' };
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { ...probe, available: false };
  }
  const available = await new Promise<boolean>((resolve) => {
    const socket = connect({ host: u.hostname || '127.0.0.1', port: Number(u.port || 6379) });
    // A timer of our own: a socket's idle timeout does not cover a connection that never opens.
    const timer = setTimeout(() => done(false), timeoutMs);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    let reply = '';
    socket.on('error', () => done(false));
    socket.on('connect', () => {
      const password = decodeURIComponent(u.password);
      const user = decodeURIComponent(u.username);
      if (password) socket.write(user ? `AUTH ${user} ${password}\r\n` : `AUTH ${password}\r\n`);
      socket.write('PING\r\n');
    });
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('+PONG')) done(true);
      else if (reply.startsWith('-') && reply.includes('\r\n')) done(false);
    });
  });
  return { ...probe, available };
}

/** A URL as messages show it: the password replaced by `***`. */
function withoutPassword(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

const told = new Set<string>();

/**
 * `describe` for suites that need a service. With the service there, `describe`. Without it, the
 * suite is skipped and one line says so (`skipped: PostgreSQL store suites (no server at ...;
 * start one or set SKILLPULSE_TEST_PG_URL)`); with CI=true the suite fails with that reason instead.
 */
export function serviceSuite(name: string, probe: Probe): (title: string, fn: () => void) => void {
  if (probe.available) return (title, fn) => describe(title, fn);
  const why = `${name} suites (no server at ${withoutPassword(probe.url)}; start one or set ${probe.env})`;
  if (process.env.CI === 'true') {
    return (title, fn) =>
      describe(title, () => {
        beforeAll(() => {
          throw new Error(`${why}: CI must run them`);
        });
        fn();
      });
  }
  if (!told.has(why)) {
    told.add(why);
    console.warn(`skipped: ${why}`);
  }
  return (title, fn) => describe.skip(title, fn);
}
