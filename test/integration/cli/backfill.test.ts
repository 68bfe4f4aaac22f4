import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ListMapRunsCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';

/**
 * `glasswatch backfill` against an SDK-level stub of Step Functions (no local server exists): it finds
 * the stack's state machine by name, starts it with the range, follows the day map's counts to the end,
 * and says how it ended.
 */

const sfn = mockClient(SFNClient);
const MACHINE = 'arn:aws:states:us-east-1:111122223333:stateMachine:gw-backfill';
const EXECUTION = 'arn:aws:states:us-east-1:111122223333:execution:gw-backfill/run-1';
const MAP_RUN = 'arn:aws:states:us-east-1:111122223333:mapRun:gw-backfill/run-1:ReadDays:1';
const env = { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };

const counts = (succeeded: number, failed: number, running: number) => ({
  total: 6,
  succeeded,
  failed,
  running,
  pending: 6 - succeeded - failed - running,
  aborted: 0,
  timedOut: 0,
  resultsWritten: succeeded + failed,
});

beforeEach(() => {
  sfn.reset();
  sfn
    .on(ListStateMachinesCommand)
    .resolvesOnce({
      stateMachines: [{ name: 'other-backfill', stateMachineArn: 'x', type: 'STANDARD', creationDate: new Date() }],
      nextToken: 'p2',
    })
    .resolves({
      stateMachines: [{ name: 'gw-backfill', stateMachineArn: MACHINE, type: 'STANDARD', creationDate: new Date() }],
    });
  sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION, startDate: new Date() });
  sfn.on(ListMapRunsCommand).resolves({
    mapRuns: [{ executionArn: EXECUTION, mapRunArn: MAP_RUN, stateMachineArn: MACHINE, startDate: new Date() }],
  });
});
afterAll(() => sfn.restore());

describe('glasswatch backfill', () => {
  it("starts the stack's state machine with the range and follows it to the end", async () => {
    sfn
      .on(DescribeExecutionCommand)
      .resolvesOnce({ status: 'RUNNING', executionArn: EXECUTION, stateMachineArn: MACHINE, startDate: new Date() })
      .resolves({
        status: 'SUCCEEDED',
        executionArn: EXECUTION,
        stateMachineArn: MACHINE,
        startDate: new Date(),
        output: '{"ResultWriterDetails":{"Bucket":"gw-results","Key":"backfill/days/x/manifest.json"}}',
      });
    sfn
      .on(DescribeMapRunCommand)
      .resolvesOnce({ itemCounts: counts(2, 0, 3) } as never)
      .resolves({ itemCounts: counts(6, 0, 0) } as never);

    const run = await runCli(
      [
        'backfill',
        '--stack',
        'gw',
        '--since',
        '2026-09-01',
        '--until',
        '2026-09-03',
        '--account',
        '111122223333',
        '--region',
        'eu-west-1',
        '--interval',
        '0',
      ],
      env,
    );
    expect(run.stderr).toEqual([]);
    expect(run.code).toBe(0);
    const input = JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.input ?? '{}');
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.stateMachineArn).toBe(MACHINE);
    expect(input).toEqual({
      since: '2026-09-01',
      until: '2026-09-03',
      accounts: ['111122223333'],
      regions: ['eu-west-1'],
    });
    expect(run.stdout[0]).toBe(`Backfill started: ${EXECUTION}`);
    expect(run.stdout).toContain('  RUNNING: 2/6 day prefixes done (2 read, 0 failed, 4 to go)');
    expect(run.stdout).toContain('Backfill SUCCEEDED: 6/6 day prefixes done (6 read, 0 failed, 0 to go)');
    expect(run.stdout.join('\n')).toContain('gw-results');
  });

  it('sweeps event history with --lookup-events, and exits 2 when days failed', async () => {
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ status: 'SUCCEEDED', executionArn: EXECUTION, stateMachineArn: MACHINE, startDate: new Date() });
    sfn.on(DescribeMapRunCommand).resolves({ itemCounts: counts(5, 1, 0) } as never);
    const run = await runCli(['backfill', '--stack', 'gw', '--lookup-events', '--interval', '0'], env);
    expect(JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.input ?? '{}')).toEqual({
      lookupEvents: true,
    });
    expect(run.code).toBe(2);
  });

  it('names the stack when its state machine is not deployed, and refuses bad arguments', async () => {
    const missing = await runCli(['backfill', '--stack', 'nope', '--since', '2026-09-01'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr.join('\n')).toMatch(/no state machine nope-backfill .*stack nope/);
    expect((await runCli(['backfill', '--stack', 'gw'], env)).stderr.join('\n')).toMatch(/either --since/);
    expect((await runCli(['backfill', '--stack', 'gw', '--since', '1 Sept'], env)).stderr.join('\n')).toMatch(
      /--since must be a date/,
    );
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});
