/** PostgreSQL's error classes (SQLSTATE), as they reach a command mid-run, with what they mean for whoever ran it. */
const PG_PROBLEMS: [RegExp, string][] = [
  [/^53100$/, 'the database server is out of disk space ($code): what was stored before is intact, the batch being written was rolled back; free some space and run the command again'],
  [/^53/, 'the database server ran out of a resource ($code: $message): the batch being written was rolled back; run the command again'],
  [/^57P0[123]$|^08/, 'the connection to PostgreSQL was lost ($code: $message): what was stored before is intact, the batch being written was rolled back; run the command again once the server is back'],
  [/^25006$/, 'the database is read-only here ($code): this command writes; reports, db stats and db export only read'],
  [/^42501$/, 'permission denied ($code: $message): the database user may not do this'],
];

/** What a PostgreSQL error means, in words that say what to do; undefined when `err` is no PostgreSQL error. */
export function describePostgresError(err: unknown): string | undefined {
  const e = err as { code?: unknown; severity?: unknown; message?: unknown } | undefined;
  const message = typeof e?.message === 'string' ? e.message : '';
  // node-postgres' own words when the server goes away between queries.
  if (/^Connection terminated/.test(message)) return `the connection to PostgreSQL was lost (${message}): what was stored before is intact, the batch being written was rolled back; run the command again once the server is back`;
  const code = e?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code) || typeof e?.severity !== 'string') return undefined;
  const problem = PG_PROBLEMS.find(([pattern]) => pattern.test(code));
  return (problem ? problem[1] : 'PostgreSQL failed ($code: $message)').replace('$code', code).replace('$message', message);
}
