import { InterruptedError, LockHeldError, StopBeforeWorkError } from '../errors.js';
import { packageVersion } from '../version.js';
import { COMMANDS } from './commands.js';
import { renderCommandHelp, renderOptions, renderUsage } from './help.js';
import { terminalLines, terminalText } from '../report/model.js';
import { type CliIO, EXIT, UsageError } from './io.js';

/** The text of `skillpulse --help`, in 80 columns. */
export function renderHelp(): string {
  return [
    'skillpulse: which skills job postings ask for, and how demand moves',
    '',
    'Usage: skillpulse <command> [options]',
    '',
    'Commands:',
    ...renderOptions(COMMANDS.map((c) => `${c.name}  ${c.summary}`)),
    '',
    'Run `skillpulse help <command>` (same as `<command> --help`) for its options.',
    '',
    'Exit codes:',
    ...renderOptions(EXIT_CODES.map(([code, meaning]) => `${code}  ${meaning}`)),
    '',
  ].join('\n');
}

/** The exit codes, for --help (the README has the same table). */
export const EXIT_CODES: [number, string][] = [
  [EXIT.ok, 'done'],
  [EXIT.itemsFailed, 'done, but some inputs failed (listed on stderr)'],
  [EXIT.fatal, 'usage, configuration, taxonomy or fatal error'],
  [EXIT.lockHeld, 'another command holds the database lock'],
  [EXIT.allFailed, 'fetch or run: every source failed'],
  [EXIT.interrupted, 'interrupted by Ctrl-C (SIGINT); 143: stopped by SIGTERM'],
];

/** Runs the command line `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...args] = argv;
  if (name === 'help' && args[0] !== undefined) {
    // `skillpulse help <command>` is `skillpulse <command> --help`.
    const command = COMMANDS.find((c) => c.name === args[0]);
    if (!command) {
      io.stderr.write(`skillpulse: unknown command "${terminalText(args[0])}"\n\n${renderHelp()}`);
      return EXIT.fatal;
    }
    io.stdout.write(await renderCommandHelp(command));
    return EXIT.ok;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(renderHelp());
    return name === undefined ? EXIT.fatal : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${packageVersion()}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`skillpulse: unknown command "${name}"\n\n${renderHelp()}`);
    return EXIT.fatal;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(await renderCommandHelp(command));
    return EXIT.ok;
  }
  try {
    return await command.run(args, io);
  } catch (err) {
    // Messages may quote inputs (paths, posting text): shown, never acted on by the terminal.
    const say = (message: string) => io.stderr.write(`skillpulse ${name}: ${terminalLines(message)}\n`);
    if (err instanceof UsageError) {
      say(`${err.message}\n${renderUsage(command.usage).join('\n')}`);
      return EXIT.fatal;
    }
    if (err instanceof InterruptedError) {
      say(err.message);
      return interruptedCode(io);
    }
    if (err instanceof StopBeforeWorkError) {
      say(err.message);
      return EXIT.fatal;
    }
    if (err instanceof LockHeldError) {
      say(err.message);
      return EXIT.lockHeld;
    }
    const database = await databaseProblem(err, args);
    if (database) {
      say(database);
      return EXIT.fatal;
    }
    say(`unexpected error: ${(err as Error).stack ?? String(err)}`);
    return EXIT.fatal;
  }
}

/** `database <path>: what went wrong and what to do` for a store's error (a full disk, a read-only file, a lost connection), naming the --db given (its password hidden). */
async function databaseProblem(err: unknown, args: string[]): Promise<string | undefined> {
  if (!(err instanceof Error)) return undefined;
  // Loaded only here: most commands never need a store, and --help starts without it.
  const { describeStoreError, redactUrl } = await import('../store/open.js');
  const problem = describeStoreError(err);
  if (!problem) return undefined;
  const at = args.indexOf('--db');
  const db = args.find((a) => a.startsWith('--db='))?.slice(5) ?? (at >= 0 ? args[at + 1] : undefined);
  return db === undefined ? `database: ${problem}` : `database ${redactUrl(db)}: ${problem}`;
}

/** The exit code of a command stopped by a signal, as a shell gives it: 130 for SIGINT (Ctrl-C), 143 for SIGTERM. */
export function interruptedCode(io: CliIO): number {
  return io.signal?.reason === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
}
