import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

export type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;

export interface TestServer {
  url: string;
  /** Requests per path (query included). */
  hits: Map<string, number>;
  /** Request headers in arrival order. */
  requests: { path: string; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

/**
 * A real HTTP server on 127.0.0.1, port 0, answering from a path -> handler map (the path may
 * include the query). Unknown paths are 404. Closed after each test.
 */
export async function startServer(routes: Record<string, Handler>): Promise<TestServer> {
  const hits = new Map<string, number>();
  const requests: TestServer['requests'] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    const n = (hits.get(path) ?? 0) + 1;
    hits.set(path, n);
    requests.push({ path, headers: req.headers });
    const handler = routes[path] ?? routes[path.split('?')[0] as string];
    if (!handler) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    handler(req, res, n);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A handler answering JSON (or text) with status 200 and an optional ETag; 304 when the ETag matches. */
export function serve(body: string | object, headers: Record<string, string> = {}): Handler {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return (req, res) => {
    if (headers.etag && req.headers['if-none-match'] === headers.etag) {
      res.writeHead(304, { etag: headers.etag }).end();
      return;
    }
    res.writeHead(200, { 'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json', ...headers }).end(text);
  };
}
