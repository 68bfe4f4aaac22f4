import { readFileSync } from 'node:fs';
import { describeFailure } from './failure.js';
import { type CommandIO, EXIT, processIO } from './io.js';
import {
  BACKFILL_USAGE,
  DRILL_USAGE,
  DRILLS_USAGE,
  FILTERS_USAGE,
  REPLAY_USAGE,
  REPORT_USAGE,
  VERIFY_USAGE,
} from './usage.js';

/** The package version, written into the bundle by the build (`npm run build`); the source reads package.json. */
const VERSION = packageVersion();

/** Defined by the build (scripts/build.mjs) from package.json. */
declare const __GLASSWATCH_VERSION__: string | undefined;

function packageVersion(): string {
  if (typeof __GLASSWATCH_VERSION__ === 'string') return __GLASSWATCH_VERSION__;
  // Running from source (tests): package.json is three folders up from shared/runtime/cli/.
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

type Command = (argv: string[], io: CommandIO) => Promise<number>;

/**
 * Commands by name: a table, so an unknown command is one clear error. Each is loaded when it runs: a
 * replay does not load the backfill's Step Functions client or verify's CloudTrail and IAM clients.
 */
const COMMANDS: Readonly<Record<string, { load: () => Promise<Command>; usage: string }>> = {
  replay: { load: async () => (await import('./replay-command.js')).replayCommand, usage: REPLAY_USAGE },
  drill: { load: async () => (await import('./drill-command.js')).drillCommand, usage: DRILL_USAGE },
  drills: { load: async () => (await import('./drills-command.js')).drillsCommand, usage: DRILLS_USAGE },
  report: { load: async () => (await import('./report-command.js')).reportCommand, usage: REPORT_USAGE },
  filters: { load: async () => (await import('./filters-command.js')).filtersCommand, usage: FILTERS_USAGE },
  backfill: { load: async () => (await import('./backfill-command.js')).backfillCommand, usage: BACKFILL_USAGE },
  verify: { load: async () => (await import('./verify-command.js')).verifyCommand, usage: VERIFY_USAGE },
};

const USAGE = `glasswatch — break-glass account monitoring

Usage: glasswatch [--debug] COMMAND [OPTIONS]   ·   glasswatch --version

Commands:
${Object.values(COMMANDS)
  .map((c) => `  ${c.usage.split('\n')[0]}`)
  .join('\n')}

  --debug     print the stack trace of an unexpected error (otherwise one line)
  --version   print the version

Run "glasswatch COMMAND --help" for details.
Exit: 0 ok · 1 usage, registry or fatal error · 2 some input failed · 3 an action undelivered · 4 drill failed ·
5 drill skipped · 6 verify: a check failed · 7 verify: nothing checked (each command's --help lists its own)`;

/**
 * The CLI: `glasswatch [--debug] COMMAND …`. Usage errors go to stderr with the usage; a failure is one
 * line naming what and where (failure.ts), with the stack only under `--debug`.
 */
export async function main(argv: string[], io: CommandIO = processIO()): Promise<number> {
  const debug = argv.includes('--debug');
  const [name, ...rest] = argv.filter((a) => a !== '--debug');
  if (name === '--version' || name === '-V') {
    io.stdout(`glasswatch ${VERSION}`);
    return EXIT.ok;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(USAGE);
    return EXIT.ok;
  }
  if (!name) {
    io.stderr(USAGE);
    return EXIT.fatal;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`glasswatch: unknown command "${name}"\n\n${USAGE}`);
    return EXIT.fatal;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage);
    return EXIT.ok;
  }
  try {
    return await (await command.load())(rest, io);
  } catch (error) {
    for (const line of describeFailure(name, error, command.usage, debug)) io.stderr(line);
    return EXIT.fatal;
  }
}
