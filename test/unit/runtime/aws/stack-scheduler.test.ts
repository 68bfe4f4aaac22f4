import { describe, expect, it } from 'vitest';
import { respondersSchema } from '../../../../shared/core/act/config-schema.js';
import { withStackScheduler } from '../../../../shared/runtime/aws/responders.js';

/** The responders take `responders.scheduler` from the stack's environment: no stack outputs in the registry, one deploy. */

const ENV = {
  GLASSWATCH_SCHEDULER_TARGET_ARN: 'arn:aws:sqs:us-east-1:111122223333:glasswatch-IncidentChangeQueue-abc',
  GLASSWATCH_SCHEDULER_ROLE_ARN: 'arn:aws:iam::111122223333:role/glasswatch-AftermathSchedulerRole-abc',
  GLASSWATCH_SCHEDULER_DEAD_LETTER_ARN: 'arn:aws:sqs:us-east-1:111122223333:glasswatch-ScheduleDeadLetterQueue-abc',
  GLASSWATCH_SCHEDULER_GROUP: 'glasswatch-aftermath',
};
const PAGER = { pagerduty: { routingKeySecret: { secretsManager: 'glasswatch/pd' } } };

describe('withStackScheduler', () => {
  it('fills responders.scheduler from the stack, valid for the responders schema', () => {
    const config = respondersSchema.parse(withStackScheduler(PAGER, ENV));
    expect(PAGER).not.toHaveProperty('scheduler');
    expect(config.scheduler).toMatchObject({
      targetArn: ENV.GLASSWATCH_SCHEDULER_TARGET_ARN,
      roleArn: ENV.GLASSWATCH_SCHEDULER_ROLE_ARN,
      deadLetterArn: ENV.GLASSWATCH_SCHEDULER_DEAD_LETTER_ARN,
      groupName: 'glasswatch-aftermath',
    });
  });

  it('keeps a scheduler block the registry sets, and adds none without the stack settings', () => {
    const own = { ...PAGER, scheduler: { targetArn: 'from-the-registry' } };
    expect(withStackScheduler(own, ENV)).toBe(own);
    expect(withStackScheduler(PAGER, {})).toBe(PAGER);
    expect(withStackScheduler(PAGER, { ...ENV, GLASSWATCH_SCHEDULER_GROUP: '' })).toBe(PAGER);
  });
});
