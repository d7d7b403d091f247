/**
 * Errors, named after what the pipeline does next. Causes are wrapped with `{ cause }`.
 */

// A bad input item (an unreadable file, an invalid record) is not thrown: sources yield it as a
// failed SourceItem with its reason, and the batch goes on.

/** One problem found while validating a taxonomy: file, entry and field named. */
export interface TaxonomyProblem {
  file: string;
  entry?: string;
  field?: string;
  message: string;
}

/** Bad configuration, taxonomy or command line: stops before any work (exit code 2). */
export class StopBeforeWorkError extends Error {
  override name = 'StopBeforeWorkError';
}

/**
 * A bad parameter of a request (a report's filter, a search's page): stops before any work. The
 * CLI shows it as a usage error (exit 2), serve as a 400 naming `parameter` as the caller spelled it.
 */
export class InvalidParameterError extends StopBeforeWorkError {
  override name = 'InvalidParameterError';
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

/** An invalid taxonomy: stops before any work, listing every problem found. */
export class InvalidTaxonomyError extends StopBeforeWorkError {
  override name = 'InvalidTaxonomyError';
  constructor(readonly problems: TaxonomyProblem[]) {
    super(
      `invalid taxonomy (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  ${formatTaxonomyProblem(p)}`).join('\n'),
    );
  }
}

/** `file: entry <id>: field <name>: message`, leaving out the parts that are unknown. */
export function formatTaxonomyProblem(p: TaxonomyProblem): string {
  return [p.file, p.entry && `entry "${p.entry}"`, p.field && `field "${p.field}"`, p.message]
    .filter(Boolean)
    .join(': ');
}

/** A failed fetch, with the URL and the HTTP status when there was one. */
abstract class FetchError extends Error {
  constructor(
    readonly url: string,
    message: string,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A fetch that failed for good (4xx, bad redirect, body too large, robots.txt): the item fails, no retry. */
export class NotRetriedError extends FetchError {
  override name = 'NotRetriedError';
}

/** A fetch that may work next time (network error, timeout, 5xx, 408): retried with backoff. */
export class RetriedError extends FetchError {
  override name = 'RetriedError';
}

/**
 * The host could not be reached at all: the connection refused, the name not resolved, no route
 * (an offline machine). Retried once, soon, then the item fails as "network unreachable".
 */
export class UnreachableError extends RetriedError {
  override name = 'UnreachableError';
}

/** The server asked us to slow down (429, or 503 with Retry-After): waited out, costs no retry. */
export class ThrottledError extends RetriedError {
  override name = 'ThrottledError';
  constructor(
    url: string,
    message: string,
    readonly retryAfterMs: number | undefined,
    status?: number,
  ) {
    super(url, message, status);
  }
}

/** A run stopped by SIGINT or SIGTERM at a batch boundary: recorded as interrupted; the next run picks up. */
export class InterruptedError extends Error {
  override name = 'InterruptedError';
}

/** Another run holds the database's lock: this run does nothing (exit code 3). */
export class LockHeldError extends Error {
  override name = 'LockHeldError';
}

/** What the file system's error codes mean, for messages that name the path (reading and writing alike). */
const FS_PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'too many levels of symbolic links (a link loop)',
  ENAMETOOLONG: 'path too long',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EROFS: 'read-only file system',
  ENOSPC: 'the disk is full',
  EDQUOT: 'over the disk quota',
  EFBIG: 'over the file size limit',
  EEXIST: 'it exists',
};

/**
 * Why a file operation failed, in words ("permission denied"), or the error's own message for a
 * code not in the table. `withCode` adds the system's code: "permission denied (EACCES)".
 */
export function describeFsError(err: unknown, withCode = false): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const words = code === undefined ? undefined : FS_PROBLEMS[code];
  if (words === undefined) return (err as Error | undefined)?.message ?? String(err);
  return withCode ? `${words} (${code})` : words;
}
