import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/store/sqlite/lock.js';
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
    expect(runs[0]).toMatchObject({ status: 'ok', new: 275, configHash: expect.stringMatching(/^[0-9a-f]{12}$/), extractorVersion: expect.any(String) });
  });

  it('exits 1 when some inputs fail, listing them, and 2 on a bad config', async () => {
    const { config, dir } = setup();
    cpSync('fixtures/bad/unreadable/invalid.json', join(dir, 'postings', 'invalid.json'));
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
    // 128 + 15, as a shell reports a process SIGTERM stopped (issue 15: 130 for SIGINT).
    expect(r.code).toBe(143);
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

/** The CLI as a child process, optionally with a file size limit (`ulimit -f`, 512-byte blocks in sh) or as another user. */
function cli(args: string[], o: { fileBlocks?: number; uid?: number; env?: Record<string, string> } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const [command, argv] = o.fileBlocks === undefined ? [process.execPath, [BIN, ...args]] : ['sh', ['-c', `ulimit -f ${o.fileBlocks} && exec "$0" "$@"`, process.execPath, BIN, ...args]];
    const p = spawn(command, argv, {
      env: { ...process.env, NO_COLOR: '1', SKILLPULSE_CACHE_DIR: '', ...o.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(o.uid !== undefined && { uid: o.uid, gid: o.uid }),
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => (stdout += c));
    p.stderr.on('data', (c: Buffer) => (stderr += c));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const postingCount = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT COUNT(*) FROM postings').pluck().get();
  } finally {
    db.close();
  }
};

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('issue 14: failures say what happened, with no stack trace', () => {
  // 300 blocks: 150 KB (or 300 KB where a block is 1 KB), far less than the WAL the demo corpus needs.
  const FULL = 300;

  it('a full disk during analyze: a clear message, exit 2, the database intact and the lock free', async () => {
    const db = join(tempDir(), 'p.sqlite');
    expect((await runCli(['analyze', 'fixtures/postings', '--db', db])).code).toBe(0);
    const r = await cli(['analyze', 'fixtures/demo', '--db', db], { fileBlocks: FULL });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^skillpulse analyze: database ${escapeRegExp(db)}: the disk (is full|failed a read or write) \\(SQLITE_\\w+\\): .*rolled back.*run the command again\n$`));
    expect(r.stderr).not.toContain('unexpected error');
    expect(integrity(db)).toBe('ok');
    expect(postingCount(db)).toBe(12);
    const again = await runCli(['analyze', 'fixtures/demo', '--db', db]);
    expect(again.code, again.stderr).toBe(0);
    expect(postingCount(db)).toBe(287);
  });

  it('a full disk during run: a clear message naming the database, exit 2, the database intact', async () => {
    const { config, db } = setup();
    mkdirSync(join(db, '..'), { recursive: true });
    expect((await runCli(['analyze', 'fixtures/postings', '--db', db])).code).toBe(0);
    const r = await cli(['run', '--config', config], { fileBlocks: FULL });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`skillpulse run: database ${escapeRegExp(db)}: the disk (is full|failed a read or write)`));
    expect(r.stderr).not.toContain('unexpected error');
    expect(integrity(db)).toBe('ok');
    // The batches of 20 stored before the disk filled stay; the one being written is rolled back.
    expect(((postingCount(db) as number) - 12) % 20).toBe(0);
  });

  it('report --out: a write that fails leaves the last good report, and says so', async () => {
    const dir = tempDir();
    const db = join(dir, 'p.sqlite');
    expect((await runCli(['analyze', 'fixtures/demo', '--db', db])).code).toBe(0);
    const out = join(dir, 'reports', 'trends.json');
    const args = ['report', '--db', db, '--kind', 'trends', '--top', '0', '--period', 'week', '--format', 'json', '--out', out];
    expect((await runCli(args)).code).toBe(0);
    const good = readFileSync(out, 'utf8');
    // 400 blocks (200 or 400 KB): room for SQLite's 32 KB -shm, not for this report.
    expect(good.length).toBeGreaterThan(400 * 1024);
    const r = await cli(args, { fileBlocks: 400 });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`skillpulse report: cannot write the report ${out}: over the file size limit (EFBIG); a report there before is left as it was`);
    expect(readFileSync(out, 'utf8')).toBe(good);
    expect(readdirSync(join(dir, 'reports'))).toEqual(['trends.json']);
  });

  it('run: a report write that fails leaves the last good report, and the run says which', async () => {
    const dir = tempDir();
    cpSync('fixtures/postings', join(dir, 'postings'), { recursive: true });
    const config = join(dir, 'skillpulse.yaml');
    writeFileSync(config, 'db: data/p.sqlite\nsources: [path:postings]\nreports:\n  - { kind: trends, format: json, period: week, out: reports/t.json }\n');
    expect((await runCli(['run', '--config', config])).code).toBe(0);
    const out = join(dir, 'reports', 't.json');
    const good = readFileSync(out, 'utf8');
    expect(good.length).toBeGreaterThan(400 * 1024);
    const r = await cli(['run', '--config', config], { fileBlocks: 400 });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`warn: failed: report ${out}: EFBIG`);
    expect(readFileSync(out, 'utf8')).toBe(good);
    expect(readdirSync(join(dir, 'reports'))).toEqual(['t.json']);
  });

  it('a read-only database in a read-only folder: reports, db stats, db export and runs read it', async () => {
    const top = tempDir();
    const dir = join(top, 'ro');
    mkdirSync(dir);
    const db = join(dir, 'p.sqlite');
    expect((await runCli(['analyze', 'fixtures/postings', '--db', db])).code).toBe(0);
    const expected = JSON.parse((await runCli(['report', '--db', db, '--format', 'json'])).stdout);
    // A folder left as a writer leaves it: no -wal or -shm (which a reader could use).
    for (const f of [`${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
    // Root may write anything: the commands run as nobody then.
    const uid = process.getuid?.() === 0 ? 65534 : undefined;
    chmodSync(top, 0o755);
    chmodSync(db, 0o444);
    chmodSync(dir, 0o555);
    try {
      const report = await cli(['report', '--db', db, '--format', 'json'], { uid });
      expect(report.code, report.stderr).toBe(0);
      expect(JSON.parse(report.stdout)).toEqual(expected);
      const stats = await cli(['db', 'stats', '--db', db, '--format', 'json'], { uid });
      expect(stats.code, stats.stderr).toBe(0);
      expect(JSON.parse(stats.stdout)).toMatchObject({ postings: 12 });
      const exported = await cli(['db', 'export', '--db', db], { uid });
      expect(exported.code, exported.stderr).toBe(0);
      expect(exported.stdout.trim().split('\n')).toHaveLength(12);
      expect((await cli(['runs', '--db', db], { uid })).code).toBe(0);
      // A writer says what is wrong.
      const analyze = await cli(['analyze', 'fixtures/postings', '--db', db], { uid });
      expect(analyze.code).toBe(2);
      expect(analyze.stderr).not.toContain('unexpected error');
      expect(readdirSync(dir).sort()).toEqual(['p.sqlite', 'p.sqlite.lock.sqlite']);
    } finally {
      chmodSync(dir, 0o755);
    }
  });

  it('an analyze killed with kill -9 is recorded as interrupted by the next command that writes', async () => {
    const db = join(tempDir(), 'p.sqlite');
    // Reading standard input that never ends: the run is recorded as running, and stays so.
    const p = spawn(process.execPath, [BIN, 'analyze', '-', '--db', db], { env: { ...process.env, SKILLPULSE_CACHE_DIR: '' }, stdio: ['pipe', 'ignore', 'ignore'] });
    const running = () => {
      if (!existsSync(db)) return false;
      const d = new Database(db, { readonly: true });
      try {
        return d.prepare("SELECT name FROM sqlite_master WHERE name = 'runs'").get() !== undefined && d.prepare("SELECT COUNT(*) FROM runs WHERE status = 'running'").pluck().get() === 1;
      } catch {
        return false;
      } finally {
        d.close();
      }
    };
    while (!running()) await new Promise((r) => setTimeout(r, 20));
    const gone = new Promise((r) => p.on('close', r));
    p.kill('SIGKILL');
    await gone;
    expect((await runCli(['analyze', 'fixtures/postings', '--db', db])).code).toBe(0);
    const runs = JSON.parse((await runCli(['runs', '--db', db, '--format', 'json'])).stdout);
    expect(runs.map((r: { command: string; status: string }) => [r.command, r.status])).toEqual([
      ['analyze fixtures/postings', 'ok'],
      ['analyze -', 'interrupted'],
    ]);
  });
});
