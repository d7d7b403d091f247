import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import Database from 'better-sqlite3';

export interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
  command: string;
}

export type LockResult = { ok: true; release: () => void; tookOver?: LockInfo } | { ok: false; holder: LockInfo };

const UNKNOWN_HOLDER: LockInfo = { pid: 0, host: '?', startedAt: '?', command: '?' };

/**
 * The file the operating system's lock is held on, beside the lock file `path`: an empty SQLite
 * file, kept for good (removing it while a run holds it would let the next run lock a new file).
 */
export function osLockFile(path: string): string {
  return `${path}.sqlite`;
}

/**
 * Takes the lock `path` (`<db>.lock`) for `command`. The lock itself is the operating system's
 * (SQLite's exclusive lock on `osLockFile(path)`): taken atomically by one process at most, and
 * released by the system when its process ends, however it ends. `path` says who holds it: the
 * holder writes it after taking the lock and removes it on release, so one found by the next
 * holder was left by a run that was killed (`tookOver`).
 */
export function acquireLock(path: string, command: string): LockResult {
  const held = holdOsLock(osLockFile(path));
  if (!held) return { ok: false, holder: readLock(path) ?? UNKNOWN_HOLDER };
  const mine: LockInfo = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), command };
  try {
    const left = readLock(path);
    writeLock(path, mine);
    let released = false;
    return {
      ok: true,
      ...(left && { tookOver: left }),
      release: () => {
        if (released) return;
        released = true;
        removeLock(path, mine);
        held.close();
      },
    };
  } catch (err) {
    held.close();
    throw err;
  }
}

/** An open transaction holding SQLite's exclusive lock on `file`, or undefined when another connection holds it. */
function holdOsLock(file: string): Database.Database | undefined {
  const db = new Database(file, { timeout: 0 });
  try {
    db.exec('BEGIN EXCLUSIVE');
    return db;
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return undefined;
    throw err;
  }
}

/** Who the lock file says holds it; undefined when there is none. A file that does not parse names no one. */
function readLock(path: string): LockInfo | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const info = JSON.parse(text) as LockInfo;
    if (typeof info.pid === 'number') return info;
  } catch {
    // not JSON: named as unreadable below
  }
  return { ...UNKNOWN_HOLDER, command: '(unreadable lock file)' };
}

/** Writes the lock file whole or not at all: to a file of our own, renamed into place. */
function writeLock(path: string, info: LockInfo): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(info));
  renameSync(tmp, path);
}

function removeLock(path: string, mine: LockInfo): void {
  const now = readLock(path);
  if (now?.pid !== mine.pid || now.startedAt !== mine.startedAt) return;
  try {
    unlinkSync(path);
  } catch {
    // removed by hand already
  }
}
