import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type CliIO, UsageError } from './io.js';

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Option lines for --help; a function for a line that needs a module loaded to be written. */
  options: (string | (() => Promise<string | string[]>))[];
  run(args: string[], io: CliIO): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** The options of every command that matches skills: which taxonomy to use. */
export const TAXONOMY_OPTIONS = { taxonomy: { type: 'string' }, 'add-taxonomy': { type: 'string', multiple: true } } as const;
export const THREADS_HELP = '--threads <N>          worker threads for extraction of large batches (default: cores - 1, at least 1; 0: none)';

export const QUIET_HELP = '--quiet                no progress line on the terminal; warnings, errors and the summary only';
export const STDIN_ID_HELP = '--id <id>              identity of a posting read from - (default: its content, so a new text is a new posting)';

/** The options of the queue commands: which queue. */
export const QUEUE_HELP = [
  '--config <file>        the run config: its sources, db and queue settings',
  '--queue <redis url>    the Redis of the queue (default: the config\'s queue.url, $SKILLPULSE_QUEUE_URL)',
  '--prefix <p>           the queue\'s key prefix (default: queue.prefix, $SKILLPULSE_QUEUE_PREFIX, skillpulse)',
];

export const TAXONOMY_HELP = [
  '--taxonomy <dir>       use this taxonomy directory instead of the shipped one',
  '--add-taxonomy <dir>   add the skills of this directory to the taxonomy (repeatable)',
];

type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;

/** Parses a command's arguments strictly; unknown options are usage errors. */
export function parseCommandArgs<O extends Options>(args: string[], options: O): Parsed<O> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
}

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], option: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${option} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}

export function positiveInt(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${option} must be a whole number of 1 or more (got "${value}")`);
  return Number(value);
}

