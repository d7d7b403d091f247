import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { StopBeforeWorkError } from '../../errors.js';
import { type Migration, MIGRATIONS } from '../migrations.js';

/** Schema names we accept: plain lower-case identifiers, the same unquoted in SQL and in search_path. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Advisory lock namespaces (the first key of PostgreSQL's two-key form; the second is a hash of
 * the schema and the name locked). Arbitrary, distinctive numbers: "SP" and a kind.
 */
export const LOCKS = { migrations: 0x5350_0001, posting: 0x5350_0002, job: 0x5350_0003, skills: 0x5350_0004 } as const;

/** Errors after which a whole transaction is run again: it was rolled back, nothing of it stays. */
const RETRIED_CODES = new Set([
  '40P01', // deadlock detected: a writer touching rows in another order (touch, close, prune)
  '40001', // serialization failure
]);

// COUNT and SUM come back as bigint and numeric, which pg hands over as strings: counts here
// stay far below 2^53, so they are read as JS numbers, like SQLite's.
const types = new pg.TypeOverrides();
types.setTypeParser(pg.types.builtins.INT8, Number);
types.setTypeParser(pg.types.builtins.NUMERIC, Number);

/** SQL written with `?` placeholders (as the shared clauses are) numbered `$1, $2 ...` for PostgreSQL; quoted text is left alone. */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/'(?:[^']|'')*'|\?/g, (m) => (m === '?' ? `$${++n}` : m));
}

/** A key of the two-key advisory locks: 32 bits of a hash of the schema and `name`. */
export function lockKey(schema: string, name: string): number {
  return createHash('sha256').update(schema).update('\0').update(name).digest().readInt32BE(0);
}

/** Queries on a pooled connection or on the whole pool, `?` placeholders. */
export class Conn {
  constructor(private readonly q: Pool | PoolClient) {}

  async all<T extends QueryResultRow>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.q.query<T>(numbered(sql), params as unknown[])).rows;
  }

  async get<T extends QueryResultRow>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /** Runs a statement; how many rows it changed. */
  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return (await this.q.query(numbered(sql), params as unknown[])).rowCount ?? 0;
  }

  /** Rows as arrays, in column order. */
  async rows<R extends unknown[]>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    return (await this.q.query<R>({ text: numbered(sql), values: params as unknown[], rowMode: 'array' })).rows;
  }

  /** Takes a transaction-level advisory lock shared (others may hold it shared too; one holding it alone waits for them, and they for it). */
  async lockShared(namespace: number, schema: string, name: string): Promise<void> {
    await this.run('SELECT pg_advisory_xact_lock_shared(?, ?)', [namespace, lockKey(schema, name)]);
  }

  /** Takes transaction-level advisory locks on `names` (in one namespace) in key order, so two writers never wait on each other in a circle. */
  async lock(namespace: number, schema: string, names: Iterable<string>): Promise<void> {
    const keys = [...new Set([...names].map((n) => lockKey(schema, n)))].sort((a, b) => a - b);
    if (keys.length === 0) return;
    // unnest yields the sorted array in order, and each row's lock is taken as the row is produced.
    await this.run('SELECT pg_advisory_xact_lock(?, k) FROM unnest(?::int[]) AS k', [namespace, keys]);
  }
}

/** A PostgreSQL store's connections: a small pool whose sessions use the store's schema. */
export class PgDb extends Conn {
  constructor(
    readonly pool: Pool,
    readonly schema: string,
  ) {
    super(pool);
  }

  /**
   * Runs `fn` in a transaction (READ COMMITTED: each statement sees what committed before it,
   * so a row read after taking a lock is the row as its last writer left it). A deadlock or
   * serialization failure rolls it all back and runs it again, a few times.
   */
  async tx<T>(fn: (c: Conn) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const { client, release } = await this.checkout();
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await fn(new Conn(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => (broken = true));
        if (attempt < 5 && RETRIED_CODES.has((err as { code?: string }).code ?? '')) {
          await sleep(20 * attempt + Math.random() * 50);
          continue;
        }
        throw err;
      } finally {
        release(broken);
      }
    }
  }

  /** Runs `fn` on one connection in a read-only snapshot: reads spread over several queries see one state of the store. */
  async snapshot<T>(fn: (c: Conn) => Promise<T>): Promise<T> {
    const { client, release } = await this.checkout();
    let broken = false;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const result = await fn(new Conn(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw err;
    } finally {
      release(broken);
    }
  }

  /**
   * A pooled connection for a transaction. The server dropping it while checked out (a restart,
   * pg_terminate_backend) fails the query in flight, and also emits 'error' on the client, which
   * without a listener would end the process: the listener marks the connection lost, so that
   * the pool discards it, and the failed query's error goes up as usual.
   */
  private async checkout(): Promise<{ client: PoolClient; release: (broken: boolean) => void }> {
    const client = await this.pool.connect();
    let lost = false;
    const onError = () => {
      lost = true;
    };
    client.on('error', onError);
    return {
      client,
      release: (broken) => {
        client.off('error', onError);
        client.release(broken || lost);
      },
    };
  }

  /** Streams the rows of a query (as arrays) through a cursor, a page at a time, to `each`: never all of them in memory. */
  async stream<R extends unknown[]>(sql: string, params: readonly unknown[], each: (row: R) => void, pageSize = 5000): Promise<void> {
    await this.snapshot(async (c) => {
      // Every row is read: planned for all of them, not for the first tenth (which once read a
      // location's skill rows through every posting in key order, to spare a sort: 5.6 s).
      await c.run('SET LOCAL cursor_tuple_fraction = 1');
      await c.run(`DECLARE sp_rows NO SCROLL CURSOR FOR ${sql}`, params);
      for (;;) {
        const page = await c.rows<R>(`FETCH ${pageSize} FROM sp_rows`);
        for (const row of page) each(row);
        if (page.length < pageSize) break;
      }
    });
  }
}

export interface PgOpenOptions {
  schema: string;
  readonly: boolean;
  /** A writer refuses a schema that holds no store yet, instead of creating one. */
  mustExist?: boolean;
  /** The URL as messages show it (no password). */
  location: string;
  migrations?: readonly Migration[];
}

/**
 * Connects to PostgreSQL: a pool of at most 4 connections, each with the store's schema as its
 * search_path, UTC as its time zone and JIT compiling off (readers' sessions are read-only). A writer creates the
 * schema if missing and applies pending migrations; a reader refuses a schema that is not a
 * skillpulse store or not up to date. Problems become StopBeforeWorkError naming the URL.
 */
export async function connectPostgres(url: string, o: PgOpenOptions): Promise<PgDb> {
  if (!SCHEMA_NAME.test(o.schema)) {
    throw new StopBeforeWorkError(`database ${o.location}: schema "${o.schema}" is not a plain lower-case name (letters, digits, _)`);
  }
  const settings = [`-c search_path=${o.schema}`, '-c TimeZone=UTC', ...(o.readonly ? ['-c default_transaction_read_only=on'] : [])];
  const fromUrl = takeUrlParam(url, 'options');
  const pool = new pg.Pool({
    connectionString: fromUrl.url,
    max: 4,
    idleTimeoutMillis: 10_000,
    connectionTimeoutMillis: 10_000,
    application_name: 'skillpulse',
    // JIT compiling took longer than the reports' queries run (1.6 s of a 2.4 s query on a million
    // postings): off, unless the URL's options turn it on again.
    options: ['-c jit=off', fromUrl.value, ...settings].filter(Boolean).join(' '),
    types,
  });
  // An idle connection the server dropped: the pool discards it, the next query opens another.
  pool.on('error', () => {});
  const db = new PgDb(pool, o.schema);
  try {
    let client: PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      throw new StopBeforeWorkError(`database ${o.location}: ${describeConnectError(err)}`, { cause: err });
    }
    try {
      const where = o.schema === 'public' ? o.location : `${o.location} (schema ${o.schema})`;
      if (o.readonly) await checkReadable(new Conn(client), where, o.migrations ?? MIGRATIONS);
      else await applyMigrations(client, o.schema, where, o.migrations ?? MIGRATIONS, o.mustExist);
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end();
    if (err instanceof StopBeforeWorkError) throw err;
    throw new StopBeforeWorkError(`database ${o.location}: ${(err as Error).message}`, { cause: err });
  }
  return db;
}

/**
 * The URL without its parameter `name`, and that parameter's value. The `options` parameter is
 * taken off because pg lets the URL's parameters override the configuration's, and the settings
 * above must be added to it, not replaced by it; `schema` is ours, not the server's.
 */
export function takeUrlParam(url: string, name: string): { url: string; value?: string } {
  try {
    const u = new URL(url);
    const value = u.searchParams.get(name);
    if (value === null) return { url };
    u.searchParams.delete(name);
    return { url: u.toString(), value };
  } catch {
    return { url };
  }
}

/** Why connecting failed, in words that say what to check. */
export function describeConnectError(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const code = e.code;
  if (code && /^(?:ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EPIPE)$/.test(code)) return `cannot connect (${code}): is PostgreSQL running?`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot connect (${code}): is the host name right?`;
  if (code === '28P01' || code === '28000') return `cannot connect (${code}: ${e.message}): check the user and password`;
  if (code === '3D000') return `cannot connect (${code}: ${e.message}): create the database or name another`;
  if (/timeout/i.test(e.message ?? '')) return 'cannot connect (timeout): is PostgreSQL running, and reachable from here?';
  return `cannot connect (${code ? `${code}: ` : ''}${e.message ?? String(err)})`;
}

/** A reader needs a skillpulse schema at the current version: it never creates or migrates one. */
async function checkReadable(c: Conn, where: string, migrations: readonly Migration[]): Promise<void> {
  const found = await c.get<{ ok: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS ok");
  if (!found?.ok) {
    const tables = await tablesOf(c);
    const holds = tables.length === 0 ? 'it is empty' : `it holds ${listTables(tables)} and no schema_migrations`;
    throw new StopBeforeWorkError(`database ${where} is not a skillpulse database (${holds}): write to it first (\`skillpulse analyze ... --db <url>\`)`);
  }
  const done = new Set((await c.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version));
  refuseNewerSchema(done, migrations);
  const pending = migrations.filter((m) => !done.has(m.version)).length;
  if (pending > 0) {
    throw new StopBeforeWorkError(`database ${where} lacks ${pending} schema migration${pending === 1 ? '' : 's'}: open it once with a command that writes (readers never migrate a shared store)`);
  }
}

async function tablesOf(c: Conn): Promise<string[]> {
  return (await c.all<{ t: string }>('SELECT tablename AS t FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1')).map((r) => r.t);
}

function listTables(tables: string[]): string {
  return `${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', ...' : ''}`;
}

function refuseNewerSchema(done: Set<number>, migrations: readonly Migration[]): void {
  const newest = Math.max(0, ...done);
  const known = Math.max(0, ...migrations.map((m) => m.version));
  if (newest > known) {
    throw new StopBeforeWorkError(`the database has schema version ${newest}, newer than this skillpulse knows (${known}): upgrade skillpulse`);
  }
}

/**
 * Creates the schema if missing and applies pending migrations, each in a transaction with its
 * record. Workers starting together take turns: a session advisory lock per schema is held
 * throughout, so the second finds the migrations applied.
 */
export async function applyMigrations(client: PoolClient, schema: string, where: string, migrations: readonly Migration[], mustExist = false): Promise<number[]> {
  const c = new Conn(client);
  await c.run('SELECT pg_advisory_lock(?, ?)', [LOCKS.migrations, lockKey(schema, 'migrations')]);
  try {
    if (mustExist && !(await c.get<{ ok: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS ok"))?.ok) {
      throw new StopBeforeWorkError(`database ${where} holds no skillpulse store yet (create one with \`skillpulse analyze ... --db <url>\`)`);
    }
    // Checked first: CREATE SCHEMA IF NOT EXISTS needs the right to create schemas even when it exists.
    if (!(await c.get('SELECT 1 AS one FROM pg_namespace WHERE nspname = ?', [schema]))) {
      await c.run(`CREATE SCHEMA ${schema}`);
      await c.run(`SET search_path TO ${schema}`);
    }
    const tables = await tablesOf(c);
    if (tables.length > 0 && !tables.includes('schema_migrations')) {
      throw new StopBeforeWorkError(`database ${where} is not a skillpulse database (it holds ${listTables(tables)} and no schema_migrations): left as it is`);
    }
    await c.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const done = new Set((await c.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version));
    refuseNewerSchema(done, migrations);
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      try {
        await client.query('BEGIN');
        await client.query(m.postgres);
        await c.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, new Date().toISOString()]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new StopBeforeWorkError(`database ${where}: migration ${m.version} (${m.name}) failed: ${(err as Error).message}`, { cause: err });
      }
      applied.push(m.version);
    }
    return applied;
  } finally {
    // On a broken connection the server has let go of the lock already.
    await c.run('SELECT pg_advisory_unlock(?, ?)', [LOCKS.migrations, lockKey(schema, 'migrations')]).catch(() => 0);
  }
}
