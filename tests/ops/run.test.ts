import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/store/lock.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { runCli, tempDir } from '../helpers.js';
import { type Handler, serve, startServer } from '../server.js';

const BIN = join(process.cwd(), 'dist/cli/bin.js');

/** A config over our demo corpus (275 postings), small batches so a run has many boundaries. */
function setup(extra = ''): { dir: string; config: string; db: string } {
  const dir = tempDir();
  cpSync('fixtures/demo', join(dir, 'postings'), { recursive: true });
  const config = join(dir, 'skillpulse.yaml');
  writeFileSync(
    config,
    `db: data/p.sqlite\nsources: [path:postings]\nbatchSize: 20\nreports:\n  - { kind: summary, format: md, out: "reports/summary-{date}.md" }\n  - { kind: trends, format: json, out: reports/trends.json, period: quarter }\n${extra}`,
  );
  return { dir, config, db: join(dir, 'data', 'p.sqlite') };
}

/**
 * The contents a run leaves, without what depends on when and where it ran: local postings are
 * keyed by their path, so the temporary folder is cut out and posting keys become external ids.
 */
function contents(path: string, dir: string) {
  const db = new Database(path, { readonly: true });
  try {
    const key = new Map((db.prepare('SELECT key, external_id FROM postings').all() as { key: number; external_id: string }[]).map((r) => [r.key, r.external_id.replace(dir, '')]));
    const rekey = <T extends { posting_key: number }>(rows: T[]) => rows.map((r) => ({ ...r, posting_key: key.get(r.posting_key) })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    return {
      postings: (db.prepare('SELECT source, external_id, title, content_hash, period_date, taxonomy_version, extractor_version, closed_at FROM postings').all() as { external_id: string }[])
        .map((r) => ({ ...r, external_id: r.external_id.replace(dir, '') }))
        .sort((a, b) => a.external_id.localeCompare(b.external_id)),
      skills: rekey(db.prepare('SELECT * FROM posting_skills').all() as { posting_key: number }[]),
      mentions: rekey(db.prepare('SELECT * FROM mentions').all() as { posting_key: number }[]),
      cache: db.prepare('SELECT url, etag FROM fetch_cache ORDER BY url').all(),
    };
  } finally {
    db.close();
  }
}

function integrity(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

/** Runs the CLI as a child process, calling `onLine` for each stderr line (it may kill the child). */
function child(args: string[], env: Record<string, string> = {}, onLine?: (line: string, p: ChildProcess) => void): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let pending = '';
    p.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
      pending += chunk;
      let nl = pending.indexOf('\n');
      while (nl >= 0) {
        onLine?.(pending.slice(0, nl), p);
        pending = pending.slice(nl + 1);
        nl = pending.indexOf('\n');
      }
    });
    p.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe('skillpulse run', () => {
  it('does the whole batch, logs JSON lines that parse, and records the run', async () => {
    const { config, db, dir } = setup();
    const r = await runCli(['run', '--config', config, '--log-format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.every((l) => typeof l.time === 'string' && typeof l.level === 'string' && typeof l.msg === 'string')).toBe(true);
    expect(lines.at(-1)).toMatchObject({ msg: 'summary', status: 'ok', new: 275, failed: 0 });
    const date = new Date().toISOString().slice(0, 10);
    expect(existsSync(join(dir, 'reports', `summary-${date}.md`))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'reports', 'trends.json'), 'utf8')).totalPostings).toBe(275);
    const runs = JSON.parse((await runCli(['runs', '--db', db, '--format', 'json'])).stdout);
    expect(runs[0]).toMatchObject({ status: 'ok', new: 275, config_hash: expect.stringMatching(/^[0-9a-f]{12}$/), extractor_version: expect.any(String) });
  });

  it('exits 1 when some inputs fail, listing them, and 2 on a bad config', async () => {
    const { config, dir } = setup();
    cpSync('fixtures/bad/invalid.json', join(dir, 'postings', 'invalid.json'));
    const r = await runCli(['run', '--config', config]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/warn: failed: .*invalid\.json: invalid JSON/);
    expect(r.stderr).toMatch(/run \d+ partial: 0 new|run \d+ partial: 275 new/);
    writeFileSync(config, 'db: x.sqlite\nsources: [monster:x]\n');
    expect(await runCli(['run', '--config', config])).toMatchObject({ code: 2, stderr: expect.stringContaining('sources[0]: unknown source "monster:x"') });
    expect(await runCli(['config', 'check', config])).toMatchObject({ code: 2 });
    expect(await runCli(['run', '--config', join(dir, 'missing.yaml')])).toMatchObject({ code: 2, stderr: expect.stringContaining('cannot read it (ENOENT)') });
  });

  it('refuses to run while another run holds the lock (exit 3), and takes over a stale lock', async () => {
    const { config, db } = setup();
    mkdirSync(join(db, '..'), { recursive: true });
    const held = acquireLock(`${db}.lock`, 'test holds it');
    expect(held.ok).toBe(true);
    const r = await runCli(['run', '--config', config]);
    expect(r).toMatchObject({ code: 3, stderr: expect.stringContaining(`another run holds ${db}.lock (pid ${process.pid}`) });
    if (held.ok) held.release();
    // A lock left by a process that no longer exists.
    writeFileSync(`${db}.lock`, JSON.stringify({ pid: 999_999_9, host: (await import('node:os')).hostname(), startedAt: '2026-01-01T00:00:00Z', command: 'killed' }));
    const again = await runCli(['run', '--config', config]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('took over a stale lock');
    expect(existsSync(`${db}.lock`)).toBe(false);
  });

  it('two concurrent runs: the second exits 3 while the first works', async () => {
    // The first run waits on a board request the server holds until the second run has ended.
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const s = await startServer({ '/acme/jobs': (req, res, n) => void held.then(() => serve(JSON.parse(readFileSync('fixtures/boards/greenhouse-acme.json', 'utf8')))(req, res, n)) });
    const { config } = setup();
    writeFileSync(config, readFileSync(config, 'utf8').replace('sources: [path:postings]', 'sources: [path:postings, greenhouse:acme]'));
    const env = { SKILLPULSE_GREENHOUSE_BASE_URL: s.url };
    let second: Promise<{ code: number | null }> | undefined;
    const first = child(['run', '--config', config, '--log-format', 'json'], env, (line) => {
      if (!second && line.includes('reading local postings')) second = child(['run', '--config', config], env);
    });
    while (!second) await new Promise((r) => setTimeout(r, 20));
    expect((await second).code).toBe(3);
    release();
    expect((await first).code).toBe(0);
  });

  it('stops at a batch boundary on SIGTERM and records the run as interrupted', async () => {
    const { config, db } = setup();
    let sent = false;
    const r = await child(['run', '--config', config, '--log-format', 'json', '--verbose'], {}, (line, p) => {
      if (!sent && line.includes('"batch stored"')) p.kill('SIGTERM');
      sent ||= line.includes('"batch stored"');
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('interrupted (SIGTERM); stopped at a batch boundary');
    const runs = JSON.parse((await runCli(['runs', '--db', db, '--format', 'json'])).stdout);
    expect(runs[0].status).toBe('interrupted');
    expect(integrity(db)).toBe('ok');
  });

  it('survives SIGKILL at several points: the database stays consistent and a re-run ends like an uninterrupted run', async () => {
    // A board on the loopback server: one kill lands while its request is in flight (the server
    // holds the request and kills the run).
    let killOnRequest: ChildProcess | undefined;
    const board: Handler = (req, res, n) => {
      if (killOnRequest) {
        killOnRequest.kill('SIGKILL');
        killOnRequest = undefined;
        res.destroy();
        return;
      }
      serve(JSON.parse(readFileSync('fixtures/boards/greenhouse-acme.json', 'utf8')), { etag: '"g1"' })(req, res, n);
    };
    const s = await startServer({ '/acme/jobs': board });
    const extra = `  - { kind: skill, skill: python, format: html, out: reports/python.html }\n`;
    const withBoard = (cfg: string) => writeFileSync(cfg, readFileSync(cfg, 'utf8').replace('sources: [path:postings]', 'sources: [path:postings, greenhouse:acme]'));
    const env = { SKILLPULSE_GREENHOUSE_BASE_URL: s.url };

    const reference = setup(extra);
    withBoard(reference.config);
    expect((await child(['run', '--config', reference.config], env)).code).toBe(0);
    const expected = contents(reference.db, reference.dir);
    expect(expected.postings).toHaveLength(277);

    const points: [string, (line: string) => boolean][] = [
      ['after the first stored batch', (l) => l.includes('"batch stored"') && l.includes('"stored":20')],
      ['in the middle of the files', (l) => l.includes('"batch stored"') && l.includes('"stored":140')],
      ['while the board fetch is in flight', () => false],
      ['while writing reports', (l) => l.includes('wrote summary report')],
    ];
    for (const [label, at] of points) {
      const run = setup(extra);
      withBoard(run.config);
      let started = false;
      const killed = await child(['run', '--config', run.config, '--log-format', 'json', '--verbose'], env, (line, p) => {
        if (!started && label.includes('board')) killOnRequest = p;
        started = true;
        if (at(line)) p.kill('SIGKILL');
      });
      expect(killed.signal, label).toBe('SIGKILL');
      expect(integrity(run.db), label).toBe('ok');
      const rerun = await child(['run', '--config', run.config, '--log-format', 'json'], env);
      expect(rerun.code, `${label}: ${rerun.stderr}`).toBe(0);
      expect(rerun.stderr, label).toContain('recorded as interrupted');
      expect(contents(run.db, run.dir), label).toEqual(expected);
    }
  }, 120_000);

  it('re-extracts stored postings when the taxonomy changes, and the reports change with it', async () => {
    const { config, dir } = setup();
    expect((await runCli(['run', '--config', config])).code).toBe(0);
    const before = JSON.parse(readFileSync(join(dir, 'reports', 'trends.json'), 'utf8'));
    expect(before.skills.some((s: { id: string }) => s.id === 'on-call')).toBe(false);
    // A taxonomy that adds a skill the demo postings name.
    mkdirSync(join(dir, 'extra'));
    writeFileSync(join(dir, 'extra', 'practice-extra.yaml'), '- {id: on-call, name: On-call rotation, aliases: [on-call rotation]}\n');
    writeFileSync(config, `${readFileSync(config, 'utf8')}addTaxonomy: [extra]\n`);
    // Re-extraction from the stored text alone, no postings read again:
    const db = join(dir, 'data', 'p.sqlite');
    const re = await runCli(['reextract', '--db', db, '--add-taxonomy', join(dir, 'extra')]);
    expect(re.stderr).toMatch(/re-extracted 275 postings with taxonomy [0-9a-f]{12}/);
    expect((await runCli(['reextract', '--db', db, '--add-taxonomy', join(dir, 'extra')])).stderr).toContain('re-extracted 0 postings');
    // And the next run, whose taxonomy now matches, writes reports that count the new skill.
    const r = await runCli(['run', '--config', config]);
    expect(r.code, r.stderr).toBe(0);
    const after = JSON.parse(readFileSync(join(dir, 'reports', 'trends.json'), 'utf8'));
    expect(after.skills.find((s: { id: string }) => s.id === 'on-call')?.count).toBeGreaterThan(0);
    const stats = JSON.parse((await runCli(['db', 'stats', '--db', join(dir, 'data', 'p.sqlite'), '--format', 'json'])).stdout);
    expect(stats.versions).toHaveLength(1);
  });
});

describe('init, runs, db', () => {
  it('init writes the example config once', async () => {
    const dir = tempDir();
    const path = join(dir, 'sp.yaml');
    expect((await runCli(['init', path])).code).toBe(0);
    expect(await runCli(['init', path])).toMatchObject({ code: 2, stderr: expect.stringContaining('exists; use --force') });
    expect((await runCli(['config', 'check', path])).code).toBe(0);
  });

  it('db stats, export, prune and vacuum', async () => {
    const { config, db, dir } = setup();
    await runCli(['run', '--config', config]);
    const stats = JSON.parse((await runCli(['db', 'stats', '--db', db, '--format', 'json'])).stdout);
    expect(stats).toMatchObject({ postings: 275, open: 275, closed: 0, runs: 1, schemaVersion: MIGRATIONS.length });
    const out = join(dir, 'export.jsonl');
    expect((await runCli(['db', 'export', '--db', db, '--out', out])).stderr).toContain('exported 275 postings');
    const first = JSON.parse(readFileSync(out, 'utf8').split('\n')[0] as string);
    expect(first).toMatchObject({ id: expect.any(String), source: 'file', skills: expect.any(Array) });
    expect((await runCli(['db', 'prune', '--db', db, '--keep-text', '1'])).stderr).toContain('cleared the text of 0 postings');
    expect((await runCli(['db', 'vacuum', '--db', db])).code).toBe(0);
    expect(await runCli(['db', 'explode', '--db', db])).toMatchObject({ code: 2 });
  });
});
