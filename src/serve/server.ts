import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { type InputLimits, limitsFromEnv } from '../normalize/limits.js';
import { loadCompiledTaxonomy } from '../sources/taxonomy-files.js';
import { openStore } from '../store/open.js';
import type { CompiledTaxonomy } from '../taxonomy/compile.js';
import { type AppOptions, buildApp } from './app.js';
import { createExtractor } from './extractor.js';
import { createMetrics } from './metrics.js';

/** Whether a host name or address is this machine only: binding it needs no token. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

export interface ServeOptions extends Pick<AppOptions, 'token' | 'cors' | 'logger' | 'log' | 'bodyLimit' | 'headersTimeoutMs' | 'requestTimeoutMs' | 'maxConnections'> {
  /** A SQLite file or a postgres:// URL: opened read-only. */
  db: string;
  host?: string;
  /** 0: any free port. */
  port?: number;
  /** Extraction worker threads (default 1). */
  threads?: number;
  taxonomy?: string;
  addTaxonomy?: string[];
  /** Where compiled taxonomy snapshots are kept. */
  cacheDir?: string;
  /** The longest one extraction may take (default 10 s, or the posting limit when lower). */
  extractTimeLimitMs?: number;
  /** Extractions running or waiting at most; more are answered 503 (default 8 per thread). */
  maxQueuedExtractions?: number;
  limits?: InputLimits;
  /** Start the extraction workers at once, in the background (default); false: on the first extraction. */
  warm?: boolean;
}

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** The time limit of one extraction when no other is given. */
const EXTRACT_TIME_LIMIT_MS = 10_000;

/**
 * Opens the store read-only, builds the app and listens. Refuses an address other than loopback
 * without a token: a server reachable from the network must ask every request for it.
 */
export async function startServer(o: ServeOptions): Promise<RunningServer> {
  const host = o.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && !o.token) throw new Error(`binding ${host} (not loopback) needs a token`);
  const limits = o.limits ?? limitsFromEnv({});
  const store = await openStore(o.db, { readonly: true, mustExist: true });
  let compiled: CompiledTaxonomy | undefined;
  // Compiled on first need only (aliases in a skill parameter, the emerging report): most requests never need it.
  const taxonomy = () => (compiled ??= loadCompiledTaxonomy({ dir: o.taxonomy, extra: o.addTaxonomy ?? [], ...(o.cacheDir && { cacheDir: o.cacheDir }) }));
  let app: FastifyInstance | undefined;
  const metrics = createMetrics(store);
  const extractor = createExtractor({
    ...(o.threads !== undefined && { threads: o.threads }),
    ...(o.cacheDir && { cacheDir: o.cacheDir }),
    ...(o.taxonomy && { taxonomy: o.taxonomy }),
    ...(o.addTaxonomy && { addTaxonomy: o.addTaxonomy }),
    timeLimitMs: o.extractTimeLimitMs ?? Math.min(EXTRACT_TIME_LIMIT_MS, limits.maxPostingMs),
    maxQueued: o.maxQueuedExtractions ?? Math.max(1, o.threads ?? 1) * 8,
    limits,
    onExtracted: (ms, outcome) => metrics.extraction(ms / 1000, outcome),
  });
  try {
    app = await buildApp({ ...o, store, taxonomy, extractor, metrics });
    await app.listen({ host, port: o.port ?? 8080 });
  } catch (err) {
    await app?.close();
    await extractor.close();
    await store.close();
    throw err;
  }
  // The workers compile the taxonomy (and keep its snapshot, which the main thread then loads in
  // milliseconds) while the server already answers.
  if (o.warm !== false) extractor.warm();
  const address = app.server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const running = app;
  return {
    app: running,
    url: `http://${shown}:${address.port}`,
    async close() {
      await running.close();
      await extractor.close();
      await store.close();
    },
  };
}
