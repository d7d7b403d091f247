import { describeFsError, InterruptedError } from '../errors.js';
import { terminalText } from '../report/model.js';

/** What a command may touch of the outside world; the bin passes the real process, tests pass fakes. */
export interface CliIO {
  /** `columns`: the terminal's width when `isTTY` (process.stdout gives both). */
  stdout: { write(s: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(s: string): unknown; isTTY?: boolean; columns?: number };
  readStdin: () => Promise<string>;
  env: Record<string, string | undefined>;
  /** Aborted on SIGINT or SIGTERM: commands that write stop at the next batch boundary, extract at once (exit 130 or 143). */
  signal?: AbortSignal;
}

/** A usage error: the message is printed with the command's usage line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Exit codes (documented in the README): 128 + the signal's number for a command stopped by SIGINT or SIGTERM, as shells do. */
export const EXIT = { ok: 0, itemsFailed: 1, fatal: 2, lockHeld: 3, allFailed: 4, interrupted: 130, terminated: 143 } as const;

/**
 * The width tables and prose on standard output fit: $COLUMNS when it is a whole number (set by
 * hand, or passed down to a pipe), else the terminal's width, else no limit (a file or a program
 * reading the output gets every column whole).
 */
export function outputWidth(io: Pick<CliIO, 'stdout' | 'env'>): number | undefined {
  const env = io.env.COLUMNS?.trim();
  if (env && /^\d+$/.test(env) && Number(env) > 0) return Number(env);
  if (io.stdout.isTTY === true && io.stdout.columns !== undefined && io.stdout.columns > 0) return io.stdout.columns;
  return undefined;
}

/** `promise`, or an InterruptedError as soon as `signal` aborts (standard input that never ends must not outlast Ctrl-C). */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(new InterruptedError(`interrupted (${String(signal.reason ?? 'signal')})`));
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}

/** `1 posting`, `2 postings`: a count with its noun in the right number. */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** Prints the warnings and failures of a batch on stderr, each naming its input; what postings say is shown, never run by the terminal. */
export function printProblems(io: CliIO, failures: { input: string; reason: string }[], warnings: { input: string; reason: string }[] = []): void {
  for (const w of warnings) io.stderr.write(`skillpulse: warning: ${terminalText(w.input)}: ${terminalText(w.reason)}\n`);
  for (const f of failures) io.stderr.write(`skillpulse: ${terminalText(f.input)}: ${terminalText(f.reason)}\n`);
}

/** `--id <id>`: the identity of a posting read from standard input; only with `-` among the inputs. */
export function stdinIdOption(id: string | undefined, inputs: string[]): { stdinId?: string } {
  if (id === undefined) return {};
  if (!inputs.includes('-')) throw new UsageError('--id names a posting read from standard input: give - as an input too');
  if (id.trim() === '') throw new UsageError('--id must not be empty');
  return { stdinId: id };
}

/**
 * Why a file could not be written, in words and with the system's code: "permission denied
 * (EACCES)". A missing path here means the folder is missing (or is no folder).
 */
export function describeWriteError(err: unknown): string {
  if ((err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return 'the folder does not exist or takes no files (ENOENT)';
  return describeFsError(err, true);
}
