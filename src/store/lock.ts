import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
  command: string;
}

export type LockResult = { ok: true; release: () => void; tookOver?: LockInfo } | { ok: false; holder: LockInfo };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but is not ours.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): LockInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
    return typeof info.pid === 'number' ? info : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the lock file at `path` (created exclusively). A lock whose process is gone (killed, or the
 * machine restarted) is stale and taken over; a lock held by a live process, or by another host
 * whose processes we cannot see, is refused.
 */
export function acquireLock(path: string, command: string): LockResult {
  const mine: LockInfo = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), command };
  let tookOver: LockInfo | undefined;
  // The lock appears whole or not at all: written to a file of our own, then linked into place
  // (link fails if the lock exists), so no run ever reads a half-written lock.
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(mine));
  try {
    return take();
  } finally {
    unlinkSync(tmp);
  }

  function take(): LockResult {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        linkSync(tmp, path);
        return {
        ok: true,
        ...(tookOver && { tookOver }),
        release: () => {
            if (readLock(path)?.pid === mine.pid) unlinkSync(path);
          },
        };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const holder = readLock(path);
      if (holder && (holder.host !== mine.host || alive(holder.pid))) return { ok: false, holder };
      tookOver = holder ?? { pid: 0, host: mine.host, startedAt: '?', command: '(unreadable lock file)' };
      try {
        unlinkSync(path);
      } catch {
        // another run removed it first; the exclusive link decides
      }
    }
    const holder = readLock(path);
    return holder ? { ok: false, holder } : { ok: false, holder: { pid: 0, host: '?', startedAt: '?', command: '?' } };
  }
}
