import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers.js';
import { demoDatabase, scratchDir } from './helpers.js';

// Issue 18: `skillpulse mcp` driven by the SDK's own client, as an assistant would start it.

const scratch = scratchDir();
let db: string;
let client: Client;
let transport: StdioClientTransport;
let stderr = '';

beforeAll(async () => {
  db = await demoDatabase(scratch.dir);
  transport = new StdioClientTransport({ command: process.execPath, args: ['dist/cli/bin.js', 'mcp', '--db', db], stderr: 'pipe', env: { PATH: process.env.PATH ?? '', SKILLPULSE_CACHE_DIR: '' } });
  transport.stderr?.on('data', (d) => (stderr += String(d)));
  client = new Client({ name: 'skillpulse-test', version: '1.0.0' });
  await client.connect(transport);
}, 60_000);
afterAll(async () => {
  await client?.close();
  scratch.remove();
});

type Text = { content: { type: string; text: string }[]; isError?: boolean };

describe('skillpulse mcp', () => {
  it('lists its tools with their input schemas', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['meta', 'report', 'skill', 'search_postings', 'extract']);
    const report = tools.find((t) => t.name === 'report');
    expect(report?.inputSchema.required).toEqual(['kind']);
    expect(Object.keys(report?.inputSchema.properties ?? {})).toEqual(expect.arrayContaining(['kind', 'period', 'since', 'skill', 'minSupport']));
    expect(stderr).toMatch(/skillpulse mcp: serving tools on standard input and output/);
  });

  it('report: the JSON of report --format json', async () => {
    const r = (await client.callTool({ name: 'report', arguments: { kind: 'trends', period: 'quarter', top: 5, category: 'devops' } })) as Text;
    const cli = await runCli(['report', '--db', db, '--kind', 'trends', '--period', 'quarter', '--top', '5', '--category', 'devops', '--format', 'json']);
    expect(r.isError).toBeFalsy();
    expect(r.content[0]?.text).toBe(cli.stdout);
  });

  it('skill and search_postings: a skill page and the sentences behind it', async () => {
    const page = JSON.parse(((await client.callTool({ name: 'skill', arguments: { id: 'k8s' } })) as Text).content[0]?.text ?? '{}');
    expect(page.skill.id).toBe('kubernetes');
    expect(page.postings.items).toHaveLength(10);
    const found = JSON.parse(((await client.callTool({ name: 'search_postings', arguments: { skill: 'python', period: '2026-03', pageSize: 3 } })) as Text).content[0]?.text ?? '{}');
    expect(found.items).toHaveLength(3);
    expect(found.items[0].evidence[0].sentence).toContain('Python');
  });

  it('extract: the extract --format json --with-text record, on a worker thread', async () => {
    const r = (await client.callTool({ name: 'extract', arguments: { text: 'Requirements: 5+ years of Python and Kubernetes. No PHP needed.' } })) as Text;
    const record = JSON.parse(r.content[0]?.text ?? '{}');
    expect(record.skills.map((s: { id: string }) => s.id).sort()).toEqual(['kubernetes', 'php', 'python']);
    expect(record.skills.find((s: { id: string }) => s.id === 'python').years).toBe(5);
    expect(record.text).toContain('Kubernetes');
  });

  it('a bad parameter is a tool error naming it', async () => {
    const r = (await client.callTool({ name: 'report', arguments: { kind: 'summary', category: 'nope' } })) as Text;
    expect(r.isError).toBe(true);
    expect(r.content[0]?.text).toMatch(/^category "nope" is not a category here/);
    const s = (await client.callTool({ name: 'search_postings', arguments: { period: 'March' } })) as Text;
    expect(s.isError).toBe(true);
    expect(s.content[0]?.text).toMatch(/^period must be a period key/);
  });
});
