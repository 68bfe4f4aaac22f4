import { createHash } from 'node:crypto';
import { CreateScheduleCommand, type CreateScheduleCommandOutput } from '@aws-sdk/client-scheduler';
import type { Action } from '../../core/act/actions.js';
import { utcSeconds } from '../../core/act/aftermath/business-days.js';
import type { SchedulerConfig } from '../../core/act/aftermath/config.js';
import type { DeliveryContext, OutputDriver } from '../../core/act/driver.js';
import type { AttemptResult } from '../../core/act/retry-policy.js';
import { failedAttempt, sdkError } from './aws-attempt.js';

/**
 * EventBridge Scheduler one-time schedules (`CreateSchedule`, `at(yyyy-mm-ddThh:mm:ss)` in UTC): the
 * review's and a delayed rotation's wake-ups. The name is derived from the incident, so a second
 * create answers ConflictException: already scheduled, i.e. delivered. The flexible window is off, the
 * schedule deletes itself after it fired, and failed invocations go to the dead-letter queue.
 */

/** What the driver needs of a SchedulerClient (also lets tests stub the transport). */
export interface ScheduleSender {
  send(command: CreateScheduleCommand, options?: { abortSignal?: AbortSignal }): Promise<CreateScheduleCommandOutput>;
}

export interface SchedulerDeps {
  client: ScheduleSender;
  timeoutMs: number;
  now: () => number;
}

/** A time already past (a replay of old logs) fires this long from now instead. */
const MIN_LEAD_MS = 2 * 60_000;
/** The target is retried by the Scheduler for a day before the event goes to the dead-letter queue. */
const RETRY_POLICY = { MaximumRetryAttempts: 20, MaximumEventAgeInSeconds: 24 * 3600 };

export function createSchedulerDriver(config: SchedulerConfig, deps: SchedulerDeps): OutputDriver {
  return {
    async deliver(action: Action, _context: DeliveryContext): Promise<AttemptResult> {
      if (action.kind !== 'schedule.create')
        return { ok: false, retryable: false, error: `scheduler cannot ${action.kind}` };
      const { schedule } = action;
      const atMs = Math.max(Date.parse(schedule.at), deps.now() + MIN_LEAD_MS);
      const expression = `at(${utcSeconds(atMs)})`;
      try {
        const output = await deps.client.send(
          new CreateScheduleCommand({
            Name: schedule.name,
            GroupName: config.groupName,
            ScheduleExpression: expression,
            ScheduleExpressionTimezone: 'UTC',
            Description: schedule.description,
            State: 'ENABLED',
            FlexibleTimeWindow: { Mode: 'OFF' },
            ActionAfterCompletion: 'DELETE',
            // Same token on a retry: the Scheduler treats the repeat as the same request.
            ClientToken: createHash('sha256').update(`${config.groupName}/${schedule.name}`).digest('hex').slice(0, 64),
            Target: {
              Arn: config.targetArn,
              RoleArn: config.roleArn,
              Input: JSON.stringify(schedule.input),
              DeadLetterConfig: { Arn: config.deadLetterArn },
              RetryPolicy: RETRY_POLICY,
            },
          }),
          { abortSignal: AbortSignal.timeout(deps.timeoutMs) },
        );
        return {
          ok: true,
          ref: { name: schedule.name, expression, ...(output?.ScheduleArn ? { scheduleArn: output.ScheduleArn } : {}) },
        };
      } catch (error) {
        if (sdkError(error).name === 'ConflictException') {
          return { ok: true, ref: { name: schedule.name, how: 'already scheduled' } };
        }
        return failedAttempt('scheduler', error, `CreateSchedule ${schedule.name}`);
      }
    },
  };
}
