import { terminalText } from '../report/model.js';

/** What a command may touch of the outside world; the bin passes the real process, tests pass fakes. */
export interface CliIO {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  readStdin: () => Promise<string>;
  env: Record<string, string | undefined>;
  /** Aborted on SIGINT or SIGTERM: long commands stop at the next batch boundary. */
  signal?: AbortSignal;
}

/** A usage error: the message is printed with the command's usage line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Exit codes (documented in the README). */
export const EXIT = { ok: 0, itemsFailed: 1, fatal: 2, lockHeld: 3 } as const;

/** Prints the warnings and failures of a batch on stderr, each naming its input; what postings say is shown, never run by the terminal. */
export function printProblems(io: CliIO, failures: { input: string; reason: string }[], warnings: { input: string; reason: string }[] = []): void {
  for (const w of warnings) io.stderr.write(`skillpulse: warning: ${terminalText(w.input)}: ${terminalText(w.reason)}\n`);
  for (const f of failures) io.stderr.write(`skillpulse: ${terminalText(f.input)}: ${terminalText(f.reason)}\n`);
}
