// From errors.ts, not backfill-executions.ts: every command would load the Step Functions client first.
import { BackfillExecutionError } from '../../adapters/aws/errors.js';
import { SourceReadError } from '../../core/ingest/errors.js';
import { RegistryError } from '../../core/registry/errors.js';
import { UsageError } from './io.js';

/**
 * What a command's failure tells the person at the terminal: one line naming what and where, never a
 * stack trace unless `--debug` is given. A file that cannot be read names its path and the reason in
 * words; a registry the parser or the schema refuses names the file (and, with several problems, one
 * line per problem); a usage error comes with the usage. Anything else is a bug or an outage: its
 * name and message on one line, the stack under `--debug`.
 */

/** errno codes in words, as people know them from `ls` and `cat`. */
const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
};

/** System calls that write: their failure is "cannot write", every other one "cannot read". */
const WRITES = new Set(['mkdir', 'open:w', 'write', 'rename', 'unlink', 'rmdir', 'copyfile']);

interface Errno {
  code?: string;
  path?: string;
  syscall?: string;
}

/** The lines to print on stderr for a failed command. */
export function describeFailure(command: string, error: unknown, usage: string, debug: boolean): string[] {
  const prefix = `glasswatch ${command}:`;
  if (error instanceof UsageError) return [`${prefix} ${error.message}`, '', error.usage];
  if (isParseArgsError(error)) return [`${prefix} ${error.message}`, '', usage];
  if (error instanceof RegistryError) {
    const lines =
      error.problems.length === 1
        ? [`${error.file}: invalid break-glass registry: ${error.problems[0]}`]
        : [error.message];
    return debug && error.cause instanceof Error ? [...lines, stackOf(error.cause)] : lines;
  }
  if (error instanceof BackfillExecutionError) return [error.message];
  if (error instanceof SourceReadError) {
    const errno = error.cause as Errno | undefined;
    const reason = REASONS[errno?.code ?? ''] ?? error.reason;
    return [`${prefix} cannot read ${error.location}: ${reason}`];
  }
  const errno = error as Errno | undefined;
  if (errno && typeof errno.path === 'string' && typeof errno.code === 'string') {
    const verb = WRITES.has(errno.syscall ?? '') ? 'cannot write' : 'cannot read';
    const line = `${prefix} ${verb} ${errno.path}: ${REASONS[errno.code] ?? errno.code}`;
    return debug ? [line, stackOf(error)] : [line];
  }
  if (debug) return [`${prefix} ${stackOf(error)}`];
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return [`${prefix} ${firstLine(text)} (--debug shows the stack trace)`];
}

function isParseArgsError(error: unknown): error is TypeError {
  return error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
}

function stackOf(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 500 ? `${line.slice(0, 500)}…` : line;
}
