import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { InvalidParameterError, StopBeforeWorkError } from '../errors.js';
import { reportKinds } from '../pipeline/report.js';
import type { ReportQuery } from '../pipeline/report-query.js';
import { PERIOD_KINDS } from '../periods.js';
import { packageVersion } from '../version.js';
import { type ApiContext, MAX_PAGE_SIZE, readMeta, readReportJson, readSkillPage, type SearchQuery, searchPostings } from './api.js';
import { BusyError, TimeLimitError } from './extractor.js';

const FILTERS = {
  period: { type: 'string', enum: [...PERIOD_KINDS], description: 'week, month (default), quarter or year' },
  since: { type: 'string', description: 'first day counted: 2026-03-01 or 2026-03' },
  until: { type: 'string', description: 'last day counted' },
  source: { type: 'string', description: 'greenhouse, or greenhouse:acme' },
  company: { type: 'string', description: 'company contains this text (any case)' },
  location: { type: 'string', description: 'location contains this text (any case)' },
  remote: { type: 'string', enum: ['yes', 'no'] },
  category: { type: 'string', description: 'skills of this category' },
  skill: { type: 'string', description: 'a skill id or alias' },
  requirement: { type: 'string', enum: ['required', 'preferred', 'any'] },
  top: { type: 'integer', minimum: 0, description: 'at most N skills or pairs (default 25; 0: all)' },
  minSupport: { type: 'integer', minimum: 1 },
  unique: { type: 'boolean', description: 'count a text posted again once' },
} as const;

/** The tools: the read API of serve and its extractor, under the same names and parameters. */
function tools() {
  return [
    {
      name: 'meta',
      description: 'What the database holds: postings, report kinds, categories, sources and the skills mentioned (ids, names, postings)',
      inputSchema: { type: 'object', properties: {} },
    },
    {
      name: 'report',
      description: `A skill demand report as JSON, as \`skillpulse report --format json\` prints it. Kinds: ${reportKinds()
        .map((k) => `${k.name} (${k.summary})`)
        .join('; ')}`,
      inputSchema: { type: 'object', properties: { kind: { type: 'string', enum: reportKinds().map((k) => k.name) }, ...FILTERS }, required: ['kind'] },
    },
    {
      name: 'skill',
      description: "A skill's page: its share per period, how it is asked for, breakdowns, the skills named with it, and its latest postings with the sentences naming it",
      inputSchema: { type: 'object', properties: { id: { type: 'string', description: 'skill id or alias' }, period: FILTERS.period, since: FILTERS.since, until: FILTERS.until, source: FILTERS.source, company: FILTERS.company }, required: ['id'] },
    },
    {
      name: 'search_postings',
      description: 'Postings, newest first, with the sentences that name their skills',
      inputSchema: {
        type: 'object',
        properties: {
          skill: FILTERS.skill,
          q: { type: 'string', description: 'words that must all appear in the title or text' },
          company: FILTERS.company,
          source: FILTERS.source,
          period: { type: 'string', description: 'a period key: 2026-03, 2026-Q1, 2026-W09 or 2026' },
          since: FILTERS.since,
          until: FILTERS.until,
          page: { type: 'integer', minimum: 1 },
          pageSize: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE },
        },
      },
    },
    {
      name: 'extract',
      description: 'The skills a job posting names, with requirement level, years, negation and the evidence offsets: what `skillpulse extract --format json --with-text` prints for it',
      inputSchema: { type: 'object', properties: { text: { type: 'string', description: 'the posting: plain text, Markdown or HTML' } }, required: ['text'] },
    },
  ];
}

/** Tool arguments as the string parameters the API reads (numbers and booleans as the CLI would type them). */
function asStrings(args: Record<string, unknown>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(args).flatMap(([k, v]) => (v === undefined || v === null || typeof v === 'boolean' ? [] : [[k, String(v)]])));
}

/** Runs one tool: its JSON as text, or an error result naming the bad parameter. */
export async function callTool(ctx: ApiContext, name: string, args: Record<string, unknown>): Promise<{ content: { type: 'text'; text: string }[]; isError?: boolean }> {
  const text = (t: string) => ({ content: [{ type: 'text' as const, text: t }] });
  try {
    const s = asStrings(args);
    switch (name) {
      case 'meta':
        return text(JSON.stringify(await readMeta(ctx)));
      case 'report':
        return text(await readReportJson(ctx, { ...(s as ReportQuery), unique: args.unique === true }));
      case 'skill': {
        const { id, ...rest } = s;
        if (!id) throw new InvalidParameterError('id', 'id is required: a skill id or alias');
        return text(JSON.stringify(await readSkillPage(ctx, id, rest)));
      }
      case 'search_postings':
        return text(JSON.stringify(await searchPostings(ctx, s as SearchQuery)));
      case 'extract':
        if (typeof args.text !== 'string' || args.text === '') throw new InvalidParameterError('text', 'text is required: the posting');
        return text(JSON.stringify(await ctx.extractor.extract(args.text)));
      default:
        throw new InvalidParameterError('name', `no tool "${name}" (known: ${tools().map((t) => t.name).join(', ')})`);
    }
  } catch (err) {
    if (err instanceof StopBeforeWorkError || err instanceof BusyError || err instanceof TimeLimitError) return { ...text(err.message), isError: true };
    throw err;
  }
}

/** Serves the tools over standard input and output until the client closes them. */
export async function runMcpServer(ctx: ApiContext, streams?: { stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream }): Promise<void> {
  const server = new Server({ name: 'skillpulse', version: packageVersion() }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: tools() }));
  server.setRequestHandler(CallToolRequestSchema, async (req) => callTool(ctx, req.params.name, req.params.arguments ?? {}));
  const transport = streams ? new StdioServerTransport(streams.stdin as NodeJS.ReadStream, streams.stdout as NodeJS.WriteStream) : new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    server.onclose = () => resolve();
  });
  await server.connect(transport);
  // The transport does not notice the end of its input by itself.
  (streams?.stdin ?? process.stdin).once('end', () => void server.close());
  await closed;
}
