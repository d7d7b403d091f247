import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { extractPosting } from '../../src/extract/extract.js';
import { normalizePosting } from '../../src/normalize/posting.js';
import { openStore } from '../../src/store/open.js';
import { EVIDENCE_PER_POSTING, type PostingQuery, type Store } from '../../src/store/store.js';
import { shippedTaxonomy, sqliteStore, taxonomyFrom, tempDir } from '../helpers.js';
import { PG_URL, pgAvailable, serviceSuite } from '../services.js';

// Issue 18: Store.searchPostings and readYears, held to the contract in their doc comments, on
// both stores (PostgreSQL in a schema of its own per test).

const pgProbe = await pgAvailable();
const admin = pgProbe.available ? new pg.Pool({ connectionString: PG_URL, max: 2 }) : undefined;
const opened: Store[] = [];
const schemas: string[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  for (const schema of schemas.splice(0)) await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
});
afterAll(async () => {
  await admin?.end();
});

const KINDS: { name: string; suite: (title: string, fn: () => void) => void; open(): Promise<Store> }[] = [
  { name: 'SQLite', suite: (title, fn) => describe(title, fn), open: async () => sqliteStore() },
  {
    name: 'PostgreSQL',
    suite: serviceSuite('PostgreSQL store', pgProbe),
    open: async () => {
      const schema = `sp_test_${process.pid}_${randomBytes(4).toString('hex')}`;
      schemas.push(schema);
      const store = await openStore(PG_URL, { schema });
      opened.push(store);
      return store;
    },
  },
];

for (const kind of KINDS) {

const POSTINGS = [
  { id: '1', source: 'greenhouse:acme', date: '2026-03-02', title: 'Data Engineer', company: 'Acme Corp', text: 'Requirements: Python and SQL. Python daily.' },
  { id: '2', source: 'greenhouse:beta', date: '2026-03-02', title: 'ML Engineer', company: 'Beta 100% Remote', text: 'Requirements: PyTorch and Python. No Java needed.' },
  { id: '3', source: 'lever:acme', date: '2026-02-15', title: 'Platform Engineer', company: 'ACME corp', text: 'Requirements: Kubernetes, Go and Terraform.' },
  { id: '4', source: 'file', date: '2026-04-01', title: 'Analyst 📊', company: null, text: '📊 Dashboards 📊 all day. Requirements: 📊 SQL 📊 and Tableau. Java is a plus.' },
  { id: '5', source: 'file', date: '2026-01-10', title: 'Backend Engineer', company: 'Gamma_Ltd', text: 'Requirements: Java, Python, SQL, Docker and Kubernetes. Python 3, Python tooling.' },
];

async function store() {
  const s = await kind.open();
  const compiled = shippedTaxonomy();
  await s.upsertSkills(compiled.taxonomy);
  await s.savePostings(
    POSTINGS.map((p) => {
      const posting = normalizePosting({ source: p.source, externalId: p.id, fetchedAt: '2026-04-02T00:00:00Z', contentType: 'text/plain', body: p.text, hints: { title: p.title, ...(p.company && { company: p.company }), postedAt: p.date }, origin: `test:${p.id}` });
      return { posting, extraction: extractPosting(posting, compiled) };
    }),
    '2026-04-02T00:00:00Z',
  );
  return s;
}

const origins = async (q: Partial<PostingQuery>) => {
  const s = await store();
  const r = await s.searchPostings({ offset: 0, limit: 50, ...q });
  return { total: r.total, origins: r.items.map((i) => i.origin) };
};

kind.suite(`searchPostings on ${kind.name}`, () => {
  it('with no condition: every posting, newest first, the later stored first within a day', async () => {
    expect(await origins({})).toEqual({ total: 5, origins: ['test:4', 'test:2', 'test:1', 'test:3', 'test:5'] });
  });

  it.each<[Partial<PostingQuery>, string[]]>([
    [{ skill: 'python' }, ['test:2', 'test:1', 'test:5']],
    [{ skill: 'java' }, ['test:4', 'test:5']], // "No Java needed" is negated: not a match
    [{ text: 'python' }, ['test:2', 'test:1', 'test:5']],
    [{ text: 'REQUIREMENTS   sql' }, ['test:4', 'test:1', 'test:5']],
    [{ text: 'analyst' }, ['test:4']], // the title counts
    [{ text: '100%' }, []], // literal: % is no wildcard (and the company is not searched by text)
    [{ company: 'acme CORP' }, ['test:1', 'test:3']],
    [{ company: '%' }, ['test:2']],
    [{ company: 'm_l' }, []], // _ is no wildcard: "Gamma_Ltd" has no "m_l"
    [{ company: 'gamma_' }, ['test:5']],
    [{ source: 'greenhouse' }, ['test:2', 'test:1']],
    [{ source: 'greenhouse:acme' }, ['test:1']],
    [{ source: 'green' }, []],
    [{ since: '2026-02-15', until: '2026-03-02' }, ['test:2', 'test:1', 'test:3']],
    [{ skill: 'python', since: '2026-03-01', company: 'beta' }, ['test:2']],
  ])('%j', async (q, expected) => {
    expect((await origins(q)).origins).toEqual(expected);
  });

  it('pages: total counts every match, pages neither overlap nor skip', async () => {
    const s = await store();
    const pages = await Promise.all([0, 2, 4].map((offset) => s.searchPostings({ offset, limit: 2 })));
    expect(pages.map((p) => p.total)).toEqual([5, 5, 5]);
    expect(pages.flatMap((p) => p.items.map((i) => i.origin))).toEqual(['test:4', 'test:2', 'test:1', 'test:3', 'test:5']);
    expect((await s.searchPostings({ offset: 10, limit: 2 })).items).toEqual([]);
  });

  it('gives each posting its skills (negated ones marked) and its evidence sentences', async () => {
    const s = await store();
    const [ml] = (await s.searchPostings({ skill: 'pytorch', offset: 0, limit: 10 })).items;
    expect(ml).toMatchObject({ id: expect.any(String), date: '2026-03-02', title: 'ML Engineer', company: 'Beta 100% Remote', location: null, remote: null, source: 'greenhouse:beta', origin: 'test:2', url: null });
    expect(ml?.skills.find((k) => k.id === 'java')).toEqual({ id: 'java', requirement: expect.any(String), years: null, negated: true });
    expect(ml?.evidence).toEqual([{ skillId: 'pytorch', start: expect.any(Number), end: expect.any(Number), text: 'PyTorch', section: 'requirements', sentence: 'Requirements: PyTorch and Python.' }]);
  });

  it(`keeps at most ${EVIDENCE_PER_POSTING} sentences a posting, in text order; of any skill without one`, async () => {
    const s = await store();
    const [backend] = (await s.searchPostings({ skill: 'python', company: 'gamma', offset: 0, limit: 1 })).items;
    expect(backend?.evidence.map((e) => e.skillId)).toEqual(['python', 'python', 'python']);
    const starts = backend?.evidence.map((e) => e.start) ?? [];
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    const [any] = (await s.searchPostings({ company: 'gamma', offset: 0, limit: 1 })).items;
    expect(any?.evidence.map((e) => e.text)).toEqual(['Java', 'Python', 'SQL']);
  });

  it('cuts sentences at UTF-16 offsets, as stored (text outside the Basic Multilingual Plane before them)', async () => {
    const s = await store();
    const [analyst] = (await s.searchPostings({ skill: 'sql', text: 'tableau', offset: 0, limit: 1 })).items;
    const e = analyst?.evidence[0];
    expect(e?.text).toBe('SQL');
    expect(e?.sentence).toBe('Requirements: 📊 SQL 📊 and Tableau.');
  });
});

kind.suite(`readYears on ${kind.name}`, () => {
  it('counts postings per stated number of years of a skill, negated mentions left out', async () => {
    const s = await kind.open();
    const compiled = shippedTaxonomy();
    await s.upsertSkills(compiled.taxonomy);
    const texts = ['Requirements: 3+ years of Python.', 'Requirements: 5 years of Python.', 'Requirements: 3 years of Python and SQL.', 'Requirements: Python.', 'No Python needed, 4 years of Java.'];
    await s.savePostings(
      texts.map((body, i) => {
        const posting = normalizePosting({ source: 'file', externalId: String(i), fetchedAt: '2026-04-02T00:00:00Z', contentType: 'text/plain', body, hints: { postedAt: '2026-03-01' }, origin: `y:${i}` });
        return { posting, extraction: extractPosting(posting, compiled) };
      }),
      '2026-04-02T00:00:00Z',
    );
    expect(await s.readYears('python')).toEqual([
      { years: 3, postings: 2 },
      { years: 5, postings: 1 },
    ]);
    expect(await s.readYears('python', { since: '2026-04-01' })).toEqual([]);
  });
});
}

describe('the skills a read-only connection keeps', () => {
  it('are read again once another connection commits a change (issue 18: serve reads them for every report)', async () => {
    const path = `${tempDir()}/skills.sqlite`;
    const writer = sqliteStore(path);
    await writer.upsertSkills(taxonomyFrom({ 'tools.yaml': '- {id: alpha, name: Alpha}' }).taxonomy);
    const reader = sqliteStore(path, { readonly: true });
    expect((await reader.readSkills()).map((s) => s.id)).toEqual(['alpha']);
    expect((await reader.readSkills()).map((s) => s.id)).toEqual(['alpha']);
    await writer.upsertSkills(taxonomyFrom({ 'tools.yaml': '- {id: alpha, name: Alpha}\n- {id: beta, name: Beta}' }).taxonomy);
    expect((await reader.readSkills()).map((s) => s.id)).toEqual(['alpha', 'beta']);
    await reader.close();
    await writer.close();
  });
});
