import { BackfillExecutionError } from '../../adapters/aws/backfill-executions.js';
import { SourceReadError } from '../../core/ingest/errors.js';
import { RegistryError } from '../../core/registry/index.js';
import { BACKFILL_USAGE, backfillCommand } from './backfill-command.js';
import { DRILL_USAGE, drillCommand } from './drill-command.js';
import { DRILLS_USAGE, drillsCommand } from './drills-command.js';
import { FILTERS_USAGE, filtersCommand } from './filters-command.js';
import { type CommandIO, EXIT, processIO, UsageError } from './io.js';
import { REPLAY_USAGE, replayCommand } from './replay-command.js';
import { REPORT_USAGE, reportCommand } from './report-command.js';

type Command = (argv: string[], io: CommandIO) => Promise<number>;

/** Commands by name: a table, so an unknown command is one clear error. */
const COMMANDS: Readonly<Record<string, { run: Command; usage: string }>> = {
  replay: { run: replayCommand, usage: REPLAY_USAGE },
  drill: { run: drillCommand, usage: DRILL_USAGE },
  drills: { run: drillsCommand, usage: DRILLS_USAGE },
  report: { run: reportCommand, usage: REPORT_USAGE },
  filters: { run: filtersCommand, usage: FILTERS_USAGE },
  backfill: { run: backfillCommand, usage: BACKFILL_USAGE },
};

const USAGE = `glasswatch — break-glass account monitoring

Commands:
${Object.values(COMMANDS)
  .map((c) => `  ${c.usage.split('\n')[0]}`)
  .join('\n')}

Run "glasswatch COMMAND --help" for details.`;

export async function main(argv: string[], io: CommandIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(USAGE);
    return name ? EXIT.ok : EXIT.fatal;
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
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) io.stderr(`glasswatch ${name}: ${error.message}\n\n${error.usage}`);
    else if (
      error instanceof RegistryError ||
      error instanceof SourceReadError ||
      error instanceof BackfillExecutionError
    )
      io.stderr(error.message);
    else if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`glasswatch ${name}: ${error.message}\n\n${command.usage}`);
    } else io.stderr(`glasswatch ${name}: ${(error as Error).stack ?? String(error)}`);
    return EXIT.fatal;
  }
}
