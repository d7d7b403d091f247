import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file whole or not at all: into a temporary file in the same folder (created if
 * missing), flushed, then renamed over `path`. A write that fails (a full disk, a killed process)
 * leaves the file that was there as it was. `write` gets a function that appends text.
 */
export async function writeFileAtomically(path: string, write: string | ((append: (text: string) => void) => void | Promise<void>)): Promise<void> {
  makeDirectories(dirname(path));
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    try {
      if (typeof write === 'string') writeAll(fd, write);
      else await write((text) => writeAll(fd, text));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
}

/**
 * mkdir -p, one level at a time from the first folder that exists. Node 20's mkdirSync with
 * `recursive` spins for ever under /proc (each mkdir there says ENOENT; issue 15); this one fails
 * with the error of the first folder that cannot be made.
 */
export function makeDirectories(dir: string): void {
  if (existsSync(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) makeDirectories(parent);
  try {
    mkdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}
