import { parseArgs } from 'node:util';
import { SFNClient } from '@aws-sdk/client-sfn';
import {
  type BackfillProgress,
  backfillProgress,
  findStateMachine,
  startBackfill,
} from '../../adapters/aws/backfill-executions.js';
import { type CommandIO, EXIT, UsageError } from './io.js';
import { BACKFILL_USAGE } from './usage.js';

const DATE = /^\d{4}-\d\d-\d\d$/;

export async function backfillCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      stack: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      account: { type: 'string', multiple: true },
      region: { type: 'string', multiple: true },
      'lookup-events': { type: 'boolean', default: false },
      'no-wait': { type: 'boolean', default: false },
      interval: { type: 'string', default: '15' },
    },
  });
  if (!values.stack) throw new UsageError('backfill needs --stack NAME', BACKFILL_USAGE);
  const lookup = values['lookup-events'];
  if (lookup === Boolean(values.since)) {
    throw new UsageError('backfill needs either --since YYYY-MM-DD or --lookup-events', BACKFILL_USAGE);
  }
  for (const [flag, value] of [
    ['--since', values.since],
    ['--until', values.until],
  ] as const) {
    if (value !== undefined && (!DATE.test(value) || Number.isNaN(Date.parse(value)))) {
      throw new UsageError(`${flag} must be a date YYYY-MM-DD, got ${JSON.stringify(value)}`, BACKFILL_USAGE);
    }
  }
  const intervalMs = Number(values.interval) * 1000;
  if (!Number.isFinite(intervalMs) || intervalMs < 0)
    throw new UsageError('--interval must be seconds ≥ 0', BACKFILL_USAGE);
  const input = lookup
    ? { lookupEvents: true }
    : {
        since: values.since,
        ...(values.until ? { until: values.until } : {}),
        ...(values.account?.length ? { accounts: values.account } : {}),
        ...(values.region?.length ? { regions: values.region } : {}),
      };

  const region = io.env.AWS_REGION || io.env.AWS_DEFAULT_REGION;
  const sfn = new SFNClient(region ? { region } : {});
  try {
    const name = `${values.stack}-backfill`;
    const executionArn = await startBackfill(sfn, await findStateMachine(sfn, name, values.stack), input);
    io.stdout(`Backfill started: ${executionArn}`);
    io.stdout(`  input ${JSON.stringify(input)}`);
    if (values['no-wait']) return EXIT.ok;
    let progress = await backfillProgress(sfn, executionArn);
    while (progress.status === 'RUNNING') {
      io.stdout(`  ${describe(progress)}`);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
      progress = await backfillProgress(sfn, executionArn);
    }
    io.stdout(`Backfill ${describe(progress)}`);
    if (progress.output) io.stdout(`  output ${progress.output.slice(0, 2000)}`);
    if (progress.status !== 'SUCCEEDED') {
      io.stderr(
        `backfill ${progress.status}${progress.error ? `: ${progress.error}` : ''}${progress.cause ? ` — ${progress.cause.slice(0, 2000)}` : ''}`,
      );
      return EXIT.fatal;
    }
    // Batches that failed within a day's tolerance are in the results bucket, not in the day counts.
    io.stdout(
      '  failed batches, each naming the objects it could not read: FAILED_*.json under backfill/objects/ in the results bucket',
    );
    return (progress.days?.failed ?? 0) > 0 ? EXIT.partialFailure : EXIT.ok;
  } finally {
    sfn.destroy();
  }
}

function describe(progress: BackfillProgress): string {
  const days = progress.days;
  if (!days) return progress.status;
  const open = days.running + days.pending;
  return (
    `${progress.status}: ${days.succeeded + days.failed + days.aborted + days.timedOut}/${days.total} day prefixes done ` +
    `(${days.succeeded} read, ${days.failed} failed, ${open} to go)`
  );
}
