import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ADAPTERS, parseSourceSpec, registerSource } from '../../src/sources/adapters.js';
import { runCli, tempDir } from '../helpers.js';

describe('the source registry', () => {
  it('takes a new source in one registration: fetch and its help know it, its postings are keyed by it', async () => {
    const remove = registerSource({
      name: 'memo',
      syntax: 'memo:<team>',
      async fetch(arg, ctx) {
        const raw = (id: string, text: string) => ({ source: `memo:${arg}`, externalId: id, fetchedAt: ctx.fetchedAt, contentType: 'text/plain' as const, body: text, hints: { title: `Role ${id}` }, origin: `memo:${arg}/${id}` });
        return { status: 'ok', items: [{ ok: true, raw: raw('1', 'Requirements\n- Rust'), warnings: [] }, { ok: true, raw: raw('2', 'Requirements\n- Elixir'), warnings: [] }], unchanged: [], complete: true };
      },
    });
    try {
      expect(parseSourceSpec('memo:data')).toMatchObject({ arg: 'data', adapter: { name: 'memo' } });
      expect((await runCli(['fetch', '--help'])).stdout).toContain('memo:<team>');
      const db = `${tempDir()}/m.sqlite`;
      const run = await runCli(['fetch', 'memo:data', '--db', db]);
      expect(run).toMatchObject({ code: 0 });
      const rows = new Database(db, { readonly: true }).prepare('SELECT source, external_id, title FROM postings ORDER BY external_id').all();
      expect(rows).toEqual([
        { source: 'memo:data', external_id: '1', title: 'Role 1' },
        { source: 'memo:data', external_id: '2', title: 'Role 2' },
      ]);
      expect(() => registerSource({ ...(ADAPTERS[0] as (typeof ADAPTERS)[number]) })).toThrow(/registered already/);
    } finally {
      remove();
    }
    expect(parseSourceSpec('memo:data')).toEqual({ error: expect.stringContaining('unknown source "memo:data"') });
  });
});
