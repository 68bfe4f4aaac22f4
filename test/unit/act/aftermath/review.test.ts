import { describe, expect, it } from 'vitest';
import { reviewSchema, rotationSchema, schedulerSchema } from '../../../../shared/core/act/aftermath/config.js';
import { planReview, scheduleName } from '../../../../shared/core/act/aftermath/review.js';
import { parseAftermathTrigger } from '../../../../shared/core/act/aftermath/types.js';
import { respondersSchema } from '../../../../shared/core/act/config-schema.js';
import { RegistryMatcher } from '../../../../shared/core/registry/index.js';
import { awsRootSignIn, HOSTILE, hostileEvent, incident } from '../support/incidents.js';
import { registry } from './support.js';

const matcher = new RegistryMatcher(registry());
const account = matcher.account('aws-root-prod');
const closedIncident = (overrides = {}) =>
  incident([awsRootSignIn()], { id: 'gw-0123456789abcdef0123', status: 'closed', ...overrides });

describe('planReview', () => {
  it('names the task and invite after the account; invites every owner; UID from the incident', () => {
    const review = planReview(closedIncident(), account, reviewSchema.parse({ timezone: 'Europe/Paris' }), 30 * 60_000);
    expect(review.task.title).toBe('Post-incident review: aws-root-prod break-glass use');
    expect(review.task.doc.blocks.at(-1)).toMatchObject({ type: 'checklist' });
    expect(review.invite).toMatchObject({
      uid: 'gw-0123456789abcdef0123-review@glasswatch',
      organizer: 'alice@example.com',
      attendees: ['alice@example.com', 'bob@example.com'],
      start: '2022-11-14T09:00:00.000Z',
      end: '2022-11-14T10:00:00.000Z',
      // DTSTAMP is the session end, so re-rendering the invite gives the same file.
      stamp: '2022-11-10T16:54:34.000Z',
    });
    expect(review.schedule).toMatchObject({
      name: 'gw-review-gw-0123456789abcdef0123',
      expression: 'at(2022-11-14T09:00:00)',
      localTime: 'Mon 2022-11-14 10:00 Europe/Paris',
    });
  });

  it('tampering by someone outside the registry is titled as what it is, not as break-glass use', () => {
    const tamper = closedIncident({
      account: null,
      principal: 'arn:aws:iam::111122223333:user/mallory',
      detections: ['audit.tamper'],
    });
    const review = planReview(tamper, undefined, reviewSchema.parse({}), 0);
    expect(review.task.title).toBe(
      'Post-incident review: Audit logging tampered with by arn:aws:iam::111122223333:user/mallory',
    );
    expect(review.task.doc.blocks[0]).toMatchObject({
      text: expect.stringMatching(/^Review of the audit-logging tampering of incident/),
    });
  });

  it('drills say so first; a configured organizer sends the invite', () => {
    const review = planReview(
      closedIncident({ drill: true }),
      account,
      reviewSchema.parse({ organizer: 'soc@example.com' }),
      0,
    );
    expect(review.task.title).toBe('DRILL · Post-incident review: aws-root-prod break-glass use');
    expect(review.invite?.organizer).toBe('soc@example.com');
  });

  it('no owners: no invite (there is nobody to send it to), the task still goes out', () => {
    const review = planReview(
      closedIncident({ account: 'gws-superadmin' }),
      matcher.account('gws-superadmin'),
      reviewSchema.parse({}),
      0,
    );
    expect(review.invite).toBeUndefined();
    expect(review.task.doc.blocks[1]).toMatchObject({ type: 'facts' });
  });

  it('hostile principals and ids end up inert and bounded in titles, UIDs and schedule names', () => {
    const evil = incident([hostileEvent()], {
      id: `../../${HOSTILE.rtl}\n${'x'.repeat(300)}`,
      account: null,
      principal: HOSTILE.slackHere + HOSTILE.newline,
    });
    const review = planReview(evil, undefined, reviewSchema.parse({}), 0);
    expect(review.task.title).not.toMatch(/[\n\r\u202E\u200B]/);
    expect(review.task.title.length).toBeLessThanOrEqual(200);
    expect(review.schedule.name).toMatch(/^gw-review-[0-9a-f]+$/);
    expect(review.schedule.name.length).toBeLessThanOrEqual(64);
    expect(review.schedule.description.length).toBeLessThanOrEqual(512);
    expect(scheduleName('rotation', 'gw-plain.id_1')).toBe('gw-rotation-gw-plain.id_1');
  });
});

describe('aftermath configuration', () => {
  it('has the documented defaults', () => {
    const config = respondersSchema.parse({});
    expect(config.review).toEqual({
      businessDays: 2,
      time: '10:00',
      durationMinutes: 60,
      timezone: 'UTC',
      holidays: [],
    });
    expect(config.rotation).toEqual({ delayMinutes: 60, seenWithinHours: 24 });
    expect(config.scheduler).toBeUndefined();
  });

  it.each([
    [reviewSchema, { timezone: 'Europe/Pariss' }, 'IANA time zone'],
    [reviewSchema, { holidays: ['2024-13-01'] }, 'holidays'],
    [reviewSchema, { time: '25:00' }, 'HH:MM'],
    [rotationSchema, { aws: { region: 'mars-1' } }, 'AWS Region'],
    [rotationSchema, { seenWithinHours: 0 }, 'seenWithinHours'],
    [
      schedulerSchema,
      {
        targetArn: 'arn:aws:sqs:us-east-1:111122223333:q',
        roleArn: 'arn:aws:iam::111122223333:user/x',
        deadLetterArn: 'arn:aws:sqs:us-east-1:111122223333:dlq',
      },
      'IAM role ARN',
    ],
    [
      schedulerSchema,
      { targetArn: 'arn:aws:sqs:us-east-1:111122223333:q', roleArn: 'arn:aws:iam::111122223333:role/r' },
      'deadLetterArn',
    ],
  ])('rejects %#', (schema, input, message) => {
    const result = (schema as typeof reviewSchema).safeParse(input);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(message);
  });
});

describe('parseAftermathTrigger', () => {
  it('reads back what a schedule sends, and names the field of anything else', () => {
    const trigger = {
      source: 'glasswatch.aftermath',
      version: 1,
      task: 'review',
      incidentId: 'gw-1',
      dueAt: '2024-03-12T09:00:00Z',
    };
    expect(parseAftermathTrigger(trigger)).toEqual(trigger);
    const bad = parseAftermathTrigger({ ...trigger, task: 'reboot' });
    expect(bad).toBeInstanceOf(Error);
    expect((bad as Error).message).toMatch(/^not a Glasswatch aftermath trigger: task:/);
  });
});
