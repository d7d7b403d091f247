import { limitsFromEnv } from '../normalize/limits.js';
import { redactUrl } from '../store/open.js';
import { isLoopbackHost, startServer } from '../serve/server.js';
import { parseCommandArgs, positiveInt, TAXONOMY_OPTIONS } from './args.js';
import { type CliIO, EXIT, UsageError } from './io.js';
import { dbOption } from './store-option.js';
import { taxonomyCacheDir } from './taxonomy-option.js';

/** `skillpulse serve`: the read-only HTTP API and dashboard, until SIGINT or SIGTERM. */
export async function runServe(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    db: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    token: { type: 'string' },
    cors: { type: 'string' },
    threads: { type: 'string' },
    log: { type: 'boolean' },
    ...TAXONOMY_OPTIONS,
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const db = dbOption(values.db, io.env);
  const port = values.port === '0' ? 0 : (positiveInt(values.port, '--port') ?? 8080);
  if (port > 65535) throw new UsageError(`--port must be at most 65535 (got "${values.port}")`);
  const host = values.host ?? '127.0.0.1';
  const token = values.token ?? (io.env.SKILLPULSE_TOKEN || undefined);
  if (!isLoopbackHost(host) && !token) throw new UsageError(`--host ${host} reaches beyond this machine: give --token <secret> (or SKILLPULSE_TOKEN), which every request must then carry`);
  if (token !== undefined && token.length < 16) throw new UsageError('--token must be at least 16 characters (openssl rand -hex 24 makes one)');
  if (values.cors !== undefined && !/^https?:\/\/[^/\s]+$/.test(values.cors)) throw new UsageError(`--cors must be an origin like https://example.org, without a path (got "${values.cors}")`);
  const threads = positiveInt(values.threads, '--threads') ?? 1;
  const cacheDir = taxonomyCacheDir(io.env);
  const server = await startServer({
    db,
    host,
    port,
    token,
    cors: values.cors,
    threads,
    logger: values.log === true,
    log: io.stderr,
    limits: limitsFromEnv(io.env),
    ...(values.taxonomy && { taxonomy: values.taxonomy }),
    ...(values['add-taxonomy'] && { addTaxonomy: values['add-taxonomy'] }),
    ...(cacheDir && { cacheDir }),
  });
  io.stderr.write(`skillpulse serve: ${server.url}/ (dashboard), ${server.url}/api/v1/openapi.json (API), ${server.url}/metrics; read-only on ${redactUrl(db)}${token ? '; every request needs the token' : ''}\n`);
  await new Promise<void>((resolve) => {
    if (!io.signal) return;
    if (io.signal.aborted) return resolve();
    io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
  io.stderr.write(`skillpulse serve: stopped (${String(io.signal?.reason ?? 'signal')})\n`);
  return EXIT.ok;
}
