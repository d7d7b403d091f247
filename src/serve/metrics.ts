import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Store } from '../store/store.js';

/** The Prometheus metrics of one server: its own registry, so two servers in one process (tests) never mix. */
export interface ServeMetrics {
  registry: Registry;
  request(method: string, route: string, status: number, seconds: number): void;
  extraction(seconds: number, outcome: 'ok' | 'failed' | 'timeout'): void;
}

/**
 * Requests (count, latency) and extractions (time) as they happen; the store's size and its last
 * runs read when /metrics is scraped (stats() and listRuns(): what `db stats` and `runs` show).
 */
export function createMetrics(store: Store): ServeMetrics {
  const registry = new Registry();
  const requests = new Counter({ name: 'skillpulse_http_requests_total', help: 'HTTP requests answered, by method, route and status', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const latency = new Histogram({
    name: 'skillpulse_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and route',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const extraction = new Histogram({
    name: 'skillpulse_extraction_duration_seconds',
    help: 'Time of one POST /api/v1/extract extraction on the worker threads, by outcome (ok, failed, timeout)',
    labelNames: ['outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  // The gauges are collected at once: one stats() read per scrape serves them all.
  let stats: { at: number; value: ReturnType<Store['stats']> } | undefined;
  const readStats = () => {
    if (!stats || performance.now() - stats.at > 1000) stats = { at: performance.now(), value: store.stats() };
    return stats.value;
  };
  const storeGauge = (name: string, help: string, pick: (s: Awaited<ReturnType<Store['stats']>>) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        this.set(pick(await readStats()));
      },
    });
  storeGauge('skillpulse_store_size_bytes', 'Size of the store (SQLite: the file and its journal)', (s) => s.sizeBytes);
  storeGauge('skillpulse_store_postings', 'Postings stored', (s) => s.postings);
  storeGauge('skillpulse_store_open_postings', 'Postings stored and still listed', (s) => s.open);
  storeGauge('skillpulse_store_mentions', 'Skill mentions stored', (s) => s.mentions);
  new Gauge({
    name: 'skillpulse_last_run_timestamp_seconds',
    help: 'When the latest run of each command (analyze, fetch, run, reextract) finished (or started, while running), by its status: alert when it is too old or not ok',
    labelNames: ['command', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      const seen = new Set<string>();
      for (const r of await store.listRuns(200)) {
        if (seen.has(r.command)) continue;
        seen.add(r.command);
        this.set({ command: r.command, status: r.status }, Date.parse(r.finished_at ?? r.started_at) / 1000);
      }
    },
  });
  return {
    registry,
    request(method, route, status, seconds) {
      requests.inc({ method, route, status: String(status) });
      latency.observe({ method, route }, seconds);
    },
    extraction(seconds, outcome) {
      extraction.observe({ outcome }, seconds);
    },
  };
}
