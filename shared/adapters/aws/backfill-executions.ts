import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ListMapRunsCommand,
  ListStateMachinesCommand,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { BackfillExecutionError, describeAwsError } from './errors.js';

/**
 * The backfill state machine seen from outside (Step Functions API): found by its name
 * (`<stack>-backfill`, infra/template.yaml), started, and followed through its Distributed Map runs.
 */

export interface MapRunCounts {
  total: number;
  succeeded: number;
  failed: number;
  running: number;
  pending: number;
  aborted: number;
  timedOut: number;
}

export interface BackfillProgress {
  status: string;
  /** The day map's children (one per account, Region and day), once it runs. */
  days?: MapRunCounts;
  output?: string;
  error?: string;
  cause?: string;
}

async function call<T>(what: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw new BackfillExecutionError(`Step Functions ${what} failed: ${describeAwsError(error)}`, { cause: error });
  }
}

/** The ARN of the state machine named `name`, or an error naming the stack it should have come from. */
export async function findStateMachine(sfn: SFNClient, name: string, stack: string): Promise<string> {
  let token: string | undefined;
  do {
    const page = await call('ListStateMachines', () =>
      sfn.send(new ListStateMachinesCommand({ ...(token ? { nextToken: token } : {}) })),
    );
    const found = page.stateMachines?.find((m) => m.name === name);
    if (found?.stateMachineArn) return found.stateMachineArn;
    token = page.nextToken;
  } while (token);
  throw new BackfillExecutionError(
    `no state machine ${name} in this account and Region: is stack ${stack} deployed here (AWS_REGION) with this template version?`,
  );
}

export async function startBackfill(sfn: SFNClient, stateMachineArn: string, input: object): Promise<string> {
  const started = await call('StartExecution', () =>
    sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) })),
  );
  if (!started.executionArn) throw new BackfillExecutionError('Step Functions StartExecution returned no executionArn');
  return started.executionArn;
}

export async function backfillProgress(sfn: SFNClient, executionArn: string): Promise<BackfillProgress> {
  const execution = await call('DescribeExecution', () => sfn.send(new DescribeExecutionCommand({ executionArn })));
  const progress: BackfillProgress = { status: execution.status ?? 'UNKNOWN' };
  if (execution.output) progress.output = execution.output;
  if (execution.error) progress.error = execution.error;
  if (execution.cause) progress.cause = execution.cause;
  const runs = await call('ListMapRuns', () => sfn.send(new ListMapRunsCommand({ executionArn })));
  const mapRunArn = runs.mapRuns?.[0]?.mapRunArn;
  if (mapRunArn) {
    const run = await call('DescribeMapRun', () => sfn.send(new DescribeMapRunCommand({ mapRunArn })));
    const c = run.itemCounts;
    progress.days = {
      total: c?.total ?? 0,
      succeeded: c?.succeeded ?? 0,
      failed: c?.failed ?? 0,
      running: c?.running ?? 0,
      pending: c?.pending ?? 0,
      aborted: c?.aborted ?? 0,
      timedOut: c?.timedOut ?? 0,
    };
  }
  return progress;
}
