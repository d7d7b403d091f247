import { InterruptedError, LockHeldError, StopBeforeWorkError } from '../errors.js';
import { packageVersion } from '../version.js';
import type { Command } from './args.js';
import { COMMANDS } from './commands.js';
import { terminalLines } from '../report/model.js';
import { type CliIO, EXIT, UsageError } from './io.js';

/** The text of `skillpulse --help`. */
export function renderHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'skillpulse: which skills job postings ask for, and how demand moves',
    '',
    'Usage: skillpulse <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `skillpulse <command> --help` for a command\'s options.',
    'Exit codes: 0 done, 1 done but some inputs failed (listed on stderr), 2 usage, config or fatal error',
    '(or interrupted), 3 another run holds the database lock, 4 fetch or run: every source failed.',
    '',
  ].join('\n');
}

async function renderCommandHelp(c: Command): Promise<string> {
  const options = (await Promise.all(c.options.map((o) => (typeof o === 'string' ? o : o())))).flat();
  return [`Usage: ${c.usage}`, '', c.summary, '', ...options.map((o) => `  ${o}`), ''].join('\n');
}

/** Runs the command line `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...args] = argv;
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
      say(`${err.message}\nUsage: ${command.usage}`);
      return EXIT.fatal;
    }
    if (err instanceof StopBeforeWorkError || err instanceof InterruptedError) {
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

/** `database <path>: what went wrong and what to do` for a SQLite error (a full disk, a read-only file), naming the --db given. */
async function databaseProblem(err: unknown, args: string[]): Promise<string | undefined> {
  if ((err as Error | undefined)?.name !== 'SqliteError') return undefined;
  // Loaded only here: most commands never need SQLite, and --help starts without it.
  const { describeSqliteError } = await import('../store/db.js');
  const problem = describeSqliteError(err);
  if (!problem) return undefined;
  const at = args.indexOf('--db');
  const db = args.find((a) => a.startsWith('--db='))?.slice(5) ?? (at >= 0 ? args[at + 1] : undefined);
  return db === undefined ? `database: ${problem}` : `database ${db}: ${problem}`;
}
