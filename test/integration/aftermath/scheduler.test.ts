import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConflictException,
  CreateScheduleCommand,
  InternalServerException,
  SchedulerClient,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RespondersInput } from '../../../shared/core/act/config-schema.js';
import { SCHEDULER, SESSION_DAY } from '../../unit/act/aftermath/support.js';
import { session } from '../../unit/act/support/incidents.js';
import { aftermathHarness } from './support/harness.js';

/**
 * EventBridge Scheduler has no local server: it is stubbed at SDK level (aws-sdk-client-mock), behind
 * the real driver built by `createAftermathDrivers`.
 */
const scheduler = mockClient(SchedulerClient);
afterAll(() => {
  scheduler.restore();
});

let dir: string;
beforeEach(async () => {
  scheduler.reset();
  dir = await mkdtemp(join(tmpdir(), 'glasswatch-aftermath-aws-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What the SDK puts on a service error: its message (both spellings, as Scheduler models it) and the status. */
const answer = (message: string, httpStatusCode: number) => ({
  message,
  Message: message,
  $metadata: { httpStatusCode },
});
const config = (extra: RespondersInput = {}): RespondersInput => ({ outbox: { dir }, ...SCHEDULER, ...extra });

describe('EventBridge Scheduler', () => {
  it('creates one-time schedules for the review and the rotation, in the documented shape, once', async () => {
    scheduler
      .on(CreateScheduleCommand)
      .resolves({ ScheduleArn: 'arn:aws:scheduler:us-east-1:111122223333:schedule/default/x' });
    const { responders } = aftermathHarness(config(), {}, SESSION_DAY);
    const changes = session('inc-s1', 1);
    expect((await responders.handle(changes)).complete).toBe(true);

    const calls = scheduler.commandCalls(CreateScheduleCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.Name)).toEqual(['gw-review-inc-s1', 'gw-rotation-inc-s1']);
    expect(calls[0]).toMatchObject({
      GroupName: 'default',
      ScheduleExpression: 'at(2022-11-14T10:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: {
        Arn: 'arn:aws:sqs:us-east-1:111122223333:glasswatch-responders',
        RoleArn: 'arn:aws:iam::111122223333:role/glasswatch-scheduler',
        DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:111122223333:glasswatch-scheduler-dlq' },
      },
    });
    expect(JSON.parse(calls[0]?.Target?.Input ?? '')).toEqual({
      source: 'glasswatch.aftermath',
      version: 1,
      task: 'review',
      incidentId: 'inc-s1',
      dueAt: '2022-11-14T10:00:00Z',
    });
    expect(calls[1]?.ScheduleExpression).toMatch(/^at\(2022-11-10T1[78]:\d\d:\d\d\)$/);

    await responders.handle(changes.slice(-1));
    expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(2);
  });

  it('ConflictException: already scheduled, so delivered (a redelivery after a lost ledger write)', async () => {
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException(answer('Schedule gw-review-inc-s2 already exists.', 409)));
    const { responders } = aftermathHarness(config(), {}, SESSION_DAY);
    const report = await responders.handle(session('inc-s2', 1));
    const review = report.incidents[0]?.actions.find((a) => a.key === 'review:scheduler');
    expect(review).toMatchObject({
      status: 'delivered',
      attempts: 1,
      ref: { name: 'gw-review-inc-s2', how: 'already scheduled' },
    });
    expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(2);
  });

  it('a 500 is retried after a backoff, with the same name and ClientToken', async () => {
    scheduler
      .on(CreateScheduleCommand)
      .rejectsOnce(new InternalServerException(answer('internal', 500)))
      .resolves({});
    const { responders, clock } = aftermathHarness(config(), {}, SESSION_DAY);
    const report = await responders.handle(session('inc-s3', 1));
    expect(report.complete).toBe(true);
    const [first, second] = scheduler.commandCalls(CreateScheduleCommand).map((c) => c.args[0].input);
    expect(second?.Name).toBe(first?.Name);
    expect(second?.ClientToken).toBe(first?.ClientToken);
    expect(clock.sleeps.length).toBeGreaterThanOrEqual(1);
  });

  it('a 400 ValidationException fails at once, naming the schedule', async () => {
    scheduler.on(CreateScheduleCommand).rejects(new ValidationException(answer('Invalid RoleArn', 400)));
    const { responders } = aftermathHarness(config(), {}, SESSION_DAY);
    const report = await responders.handle(session('inc-s4', 1));
    expect(report.incidents[0]?.actions.find((a) => a.key === 'review:scheduler')).toMatchObject({
      status: 'failed',
      attempts: 1,
      httpStatus: 400,
      detail: expect.stringMatching(
        /^scheduler 400: CreateSchedule gw-review-inc-s4: ValidationException: Invalid RoleArn/,
      ),
    });
  });

  it('a review time already past (replaying old logs) fires two minutes from now', async () => {
    scheduler.on(CreateScheduleCommand).resolves({});
    const { responders } = aftermathHarness(config(), {}, Date.parse('2026-01-01T00:00:00Z'));
    await responders.handle(session('inc-s5', 1));
    const calls = scheduler.commandCalls(CreateScheduleCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => [c.Name, c.ScheduleExpression])).toEqual([['gw-review-inc-s5', 'at(2026-01-01T00:02:00)']]);
  });
});
