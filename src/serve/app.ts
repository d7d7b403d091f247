import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { InvalidParameterError, StopBeforeWorkError } from '../errors.js';
import { reportKinds } from '../pipeline/report.js';
import type { ReportQuery } from '../pipeline/report-query.js';
import { PERIOD_KINDS } from '../periods.js';
import { packageVersion } from '../version.js';
import { type ApiContext, MAX_PAGE_SIZE, readMeta, readReportJson, readSkillPage, readView, type SearchQuery, searchPostings } from './api.js';
import { BusyError, TimeLimitError } from './extractor.js';
import { createMetrics, type ServeMetrics } from './metrics.js';

export interface AppOptions extends ApiContext {
  /** Every request must carry it (Authorization: Bearer <token>, or Basic with it as the password). */
  token?: string | undefined;
  /** The one origin allowed to call the API from a browser (CORS); none: CORS off. */
  cors?: string | undefined;
  /** Request bodies larger than this are refused with 413 (default 1 MiB). */
  bodyLimit?: number;
  /**
   * A request whose headers are not all in after this long is cut (default 30 s). Node counts
   * the time a request waits for a busy server too: much less, and a burst of requests on a
   * loaded machine is cut as if it were slow clients.
   */
  headersTimeoutMs?: number;
  /** A request not wholly received after this long is cut (default 60 s). */
  requestTimeoutMs?: number;
  /** Connections open at once at most; more are refused (default 512). */
  maxConnections?: number;
  /** Where requests and extractions are counted (default: a registry of its own). */
  metrics?: ServeMetrics;
  /** Log each request (JSON lines), not only the errors behind 500s. */
  logger?: boolean;
  /** Where the log goes (the CLI gives standard error); none: nowhere. */
  log?: { write(line: string): unknown };
}

/** Where the dashboard's files are: `dashboard/` of the package, beside `src/` and `dist/`. */
export const DASHBOARD_DIR = new URL('../../dashboard/', import.meta.url);
const STATIC_FILES: Record<string, string> = { 'dashboard.js': 'text/javascript; charset=utf-8', 'dashboard.css': 'text/css; charset=utf-8' };

/** Headers on every answer: no framing, no sniffing, no referrer, and scripts from this origin only (never inline). */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cache-control': 'no-store',
};

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Whether a request's Authorization header carries the token: compared in constant time, as hashes of equal length. */
export function hasToken(header: string | undefined, token: string): boolean {
  if (!header) return false;
  const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1];
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header)?.[1];
  const pair = basic === undefined ? undefined : /^[^:]*:(.*)$/s.exec(Buffer.from(basic, 'base64').toString('utf8'));
  const given = bearer ?? pair?.[1];
  return given !== undefined && timingSafeEqual(sha256(given), sha256(token));
}

const FILTERS = {
  period: { type: 'string', enum: [...PERIOD_KINDS], description: 'week, month (default), quarter or year' },
  top: { type: 'string', pattern: '^\\d+$', description: 'at most N skills or pairs (default 25; 0: all)' },
  minSupport: { type: 'string', pattern: '^\\d+$', description: 'postings a change, pair or median needs before it is listed' },
  since: { type: 'string', description: 'postings dated on or after this day (2026-03-01 or 2026-03)' },
  until: { type: 'string', description: 'postings dated up to this day' },
  source: { type: 'string', description: 'postings of this source (greenhouse, or greenhouse:acme)' },
  company: { type: 'string', description: 'postings whose company contains this text (any case)' },
  location: { type: 'string', description: 'postings whose location contains this text (any case)' },
  remote: { type: 'string', enum: ['yes', 'no'] },
  category: { type: 'string', description: 'skills of this category' },
  skill: { type: 'string', description: 'this skill, by its id or any of its names' },
  requirement: { type: 'string', enum: ['required', 'preferred', 'any'] },
  unique: { type: 'string', enum: ['true', 'false'], description: 'true: a text posted again (other id or source) counts once' },
} as const;

/** A report's query string: the report options, `unique` as the text `true` or `false`. */
type ReportParams = Omit<ReportQuery, 'unique'> & { unique?: 'true' | 'false' };

const ERROR = {
  type: 'object',
  properties: { statusCode: { type: 'integer' }, error: { type: 'string' }, message: { type: 'string' } },
  required: ['statusCode', 'error', 'message'],
} as const;
const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ERROR]));
const query = (properties: Record<string, unknown>) => ({ type: 'object', properties, additionalProperties: false });
/** A JSON answer whose shape the README documents (the report kinds' contracts): not restated here. */
const ANY_JSON = { type: 'object', additionalProperties: true } as const;

/** The message of a schema error, naming the parameter: `querystring parameter "top" must match pattern "^\d+$"`. */
function validationMessage(err: FastifyError): string {
  const v = err.validation?.[0];
  if (!v) return err.message;
  const params = v.params as { missingProperty?: string; additionalProperty?: string; allowedValues?: unknown[] };
  const where = { params: 'path', querystring: 'query', body: 'body', headers: 'header' }[err.validationContext ?? 'body'] ?? 'request';
  if (params.additionalProperty) return `${where} parameter "${params.additionalProperty}" is not known here`;
  if (params.missingProperty) return `${where} parameter "${params.missingProperty}" is required`;
  const name = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const what = params.allowedValues ? `must be one of ${params.allowedValues.join(', ')}` : v.message;
  return name ? `${where} parameter "${name}" ${what}` : `${where} ${what}`;
}

/** The HTTP status and message of an error; never a stack trace. */
function describeError(err: FastifyError, bodyLimit: number): { statusCode: number; message: string } {
  if (err.validation) return { statusCode: 400, message: validationMessage(err) };
  if (err instanceof InvalidParameterError || err instanceof StopBeforeWorkError) return { statusCode: 400, message: err.message };
  if (err instanceof BusyError) return { statusCode: 503, message: err.message };
  if (err instanceof TimeLimitError) return { statusCode: 422, message: err.message };
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { statusCode: 413, message: `the request body is larger than the limit of ${bodyLimit} bytes` };
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return { statusCode: 415, message: 'the body must be JSON: send it with content-type: application/json' };
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) return { statusCode: err.statusCode, message: err.message };
  return { statusCode: 500, message: 'internal error (the server log has the details)' };
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Entity', 500: 'Internal Server Error', 503: 'Service Unavailable' };
const errorBody = (statusCode: number, message: string) => ({ statusCode, error: STATUS_TEXT[statusCode] ?? 'Error', message });

/**
 * The HTTP server of `skillpulse serve`: the read API under /api/v1 (reports, postings search, a
 * skill's page, extraction), its OpenAPI document, /metrics and the dashboard at /. Nothing it
 * does writes to the store. Not listening yet: `app.listen()` is the caller's.
 */
export async function buildApp(o: AppOptions): Promise<FastifyInstance> {
  const metrics = o.metrics ?? createMetrics(o.store);
  const bodyLimit = o.bodyLimit ?? 1024 * 1024;
  const app = Fastify({
    // The errors behind 500s are always logged (their messages never reach the client); requests with `logger`.
    logger: o.log ? { level: o.logger ? 'info' : 'error', stream: o.log } : false,
    bodyLimit,
    // Unknown query parameters are errors (not dropped in silence): a typo must not widen a report.
    // and no type is coerced: a body's `"text": 1` is an error, not the text "1" (query values are all strings).
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    // The Node server with its limits on slow clients (Fastify sets only some of them).
    serverFactory: (handler: (req: IncomingMessage, res: ServerResponse) => void): Server => {
      const server = createServer({ headersTimeout: o.headersTimeoutMs ?? 30_000, requestTimeout: o.requestTimeoutMs ?? 60_000, keepAliveTimeout: 5_000, connectionsCheckingInterval: 500 }, handler);
      server.maxConnections = o.maxConnections ?? 512;
      return server;
    },
    return503OnClosing: true,
  });

  // Bodies are JSON only: anything else is a 415.
  app.removeContentTypeParser('text/plain');

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'skillpulse', version: packageVersion(), description: 'The read-only API of skillpulse serve: skill demand reports, postings with their evidence, extraction.' },
      components: { securitySchemes: { token: { type: 'http', scheme: 'bearer' } } },
      ...(o.token && { security: [{ token: [] }] }),
    },
  });

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    reply.headers(SECURITY_HEADERS);
    const origin = req.headers.origin;
    if (o.cors && origin === o.cors) {
      reply.headers({ 'access-control-allow-origin': o.cors, vary: 'Origin' });
      if (req.method === 'OPTIONS') {
        // A preflight carries no credentials: it is answered before the token is checked.
        return reply
          .code(204)
          .headers({ 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'authorization, content-type', 'access-control-max-age': '600' })
          .send();
      }
    }
    if (o.token && !hasToken(req.headers.authorization, o.token)) {
      // Basic lets a browser ask for the token once and send it with every request of the dashboard.
      return reply
        .code(401)
        .header('www-authenticate', ['Bearer realm="skillpulse"', 'Basic realm="skillpulse", charset="UTF-8"'])
        .send(errorBody(401, req.headers.authorization ? 'the token is wrong' : 'this server needs a token: Authorization: Bearer <token>'));
    }
  });
  app.addHook('onResponse', async (req, reply) => {
    metrics.request(req.method, req.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const { statusCode, message } = describeError(err, bodyLimit);
    if (statusCode >= 500) req.log.error(err);
    if (err instanceof BusyError) reply.header('retry-after', '1');
    return reply.code(statusCode).send(errorBody(statusCode, message));
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send(errorBody(404, `no such path: ${req.method} ${req.url.split('?')[0]}`)));

  const ctx: ApiContext = { store: o.store, taxonomy: o.taxonomy, extractor: o.extractor };
  const kinds = reportKinds().map((k) => k.name);

  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get('/api/v1/health', { schema: { summary: 'Whether the server is up', response: { 200: { type: 'object', properties: { status: { type: 'string' } } } } } }, async () => ({ status: 'ok' }));

  app.get('/api/v1/meta', { schema: { summary: 'What the filters can take here: periods, report kinds, categories, sources, the skills mentioned', response: { 200: ANY_JSON } } }, async () => readMeta(ctx));

  app.get<{ Params: { kind: string }; Querystring: ReportParams }>(
    '/api/v1/reports/:kind',
    {
      schema: {
        summary: 'A report, as `skillpulse report --format json` prints it',
        description: 'The same filters as the report command, named without dashes (minSupport). The skill kind takes its skill as `skill`.',
        params: { type: 'object', properties: { kind: { type: 'string', enum: kinds } }, required: ['kind'] },
        querystring: query(FILTERS),
        response: { 200: ANY_JSON, ...errors(400) },
      },
    },
    async (req, reply) => reply.type('application/json; charset=utf-8').send(await readReportJson(ctx, { ...req.query, kind: req.params.kind, unique: req.query.unique === 'true' })),
  );

  app.get<{ Querystring: SearchQuery }>(
    '/api/v1/postings',
    {
      schema: {
        summary: 'Postings, newest first, one page at a time, with the sentences that name their skills',
        querystring: query({
          skill: { type: 'string', description: 'postings naming this skill (id or alias); the evidence is its sentences' },
          q: { type: 'string', description: 'words that must all appear in the title or text (any case)' },
          company: FILTERS.company,
          source: FILTERS.source,
          period: { type: 'string', description: 'a period key: 2026-03, 2026-Q1, 2026-W09 or 2026' },
          since: FILTERS.since,
          until: FILTERS.until,
          page: { type: 'string', pattern: '^\\d+$', description: 'from 1 (default 1)' },
          pageSize: { type: 'string', pattern: '^\\d+$', description: `postings per page, 1 to ${MAX_PAGE_SIZE} (default 20)` },
        }),
        response: { 200: ANY_JSON, ...errors(400) },
      },
    },
    async (req) => searchPostings(ctx, req.query),
  );

  app.get<{ Params: { id: string }; Querystring: ReportParams }>(
    '/api/v1/skills/:id',
    {
      schema: {
        summary: "A skill's page: the skill report (series, levels, breakdowns, co-occurring skills, evidence) and its latest postings",
        params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        querystring: query({ period: FILTERS.period, since: FILTERS.since, until: FILTERS.until, source: FILTERS.source, company: FILTERS.company, location: FILTERS.location, remote: FILTERS.remote, requirement: FILTERS.requirement, top: FILTERS.top, minSupport: FILTERS.minSupport }),
        response: { 200: ANY_JSON, ...errors(400) },
      },
    },
    async (req) => readSkillPage(ctx, req.params.id, { ...req.query, unique: req.query.unique === 'true' }),
  );

  app.get<{ Params: { kind: string }; Querystring: ReportParams & { skills?: string } }>(
    '/api/v1/views/:kind',
    {
      schema: {
        summary: "A report laid out for the dashboard: its tables, and its charts' layouts with what each point stands for",
        params: { type: 'object', properties: { kind: { type: 'string', enum: kinds } }, required: ['kind'] },
        querystring: query({ ...FILTERS, skills: { type: 'string', description: 'skill ids or aliases, comma-separated: their shares in place of the top six' } }),
        response: { 200: ANY_JSON, ...errors(400) },
      },
    },
    async (req) => readView(ctx, { ...req.query, kind: req.params.kind, unique: req.query.unique === 'true' }),
  );

  app.post<{ Body: { text?: string; posting?: Record<string, unknown> } }>(
    '/api/v1/extract',
    {
      schema: {
        summary: 'The skills a posting names: what `skillpulse extract --format json --with-text` prints for it (one element of its array)',
        description: 'A body of { "text": "..." } (plain text, Markdown or HTML) or { "posting": { title, company, description, ... } } (any record of the input formats). Runs on a worker thread with a time limit.',
        body: {
          type: 'object',
          properties: { text: { type: 'string', minLength: 1 }, posting: { type: 'object', additionalProperties: true } },
          additionalProperties: false,
        },
        response: { 200: ANY_JSON, ...errors(400, 413, 415, 422, 503) },
      },
    },
    async (req) => {
      const { text, posting } = req.body;
      if ((text === undefined) === (posting === undefined)) throw new InvalidParameterError('body', 'the body needs "text" (the posting as text) or "posting" (a posting object): one of the two');
      return o.extractor.extract(text ?? (posting as Record<string, unknown>));
    },
  );

  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));

  // The dashboard: a page, a script and a style sheet, read from the package's dashboard/ folder.
  // Only these names are served: a path such as /static/../package.json matches none of them.
  const page = await readFile(new URL('index.html', DASHBOARD_DIR), 'utf8');
  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(page));
  app.get<{ Params: { file: string } }>('/static/:file', { schema: { hide: true } }, async (req, reply) => {
    const type = Object.hasOwn(STATIC_FILES, req.params.file) ? STATIC_FILES[req.params.file] : undefined;
    if (!type) return reply.code(404).send(errorBody(404, `no such file: ${req.params.file}`));
    return reply.type(type).send(await readFile(new URL(req.params.file, DASHBOARD_DIR), 'utf8'));
  });
  return app;
}
