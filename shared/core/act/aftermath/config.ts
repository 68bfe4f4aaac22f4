import { z } from 'zod';

/**
 * Configuration of the aftermath: when the post-incident review is held, when the break-glass
 * credential is rotated and how long Glasswatch waits to see that rotation in the audit logs, and where
 * EventBridge Scheduler sends its one-time wake-ups. Strict like the rest of the registry.
 */

/** True for a zone the runtime's Intl knows (IANA names such as Europe/Paris, and UTC). */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const timeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(isTimeZone, { message: 'an IANA time zone such as Europe/Paris or America/New_York' });

const awsRegion = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'an AWS Region such as eu-west-1');

export const reviewSchema = z
  .object({
    /** Business days after the session ends; Saturday, Sunday and `holidays` do not count. */
    businessDays: z.number().int().min(0).max(30).default(2),
    /** Local start time of the review in `timezone`. */
    time: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time HH:MM')
      .default('10:00'),
    durationMinutes: z
      .number()
      .int()
      .min(15)
      .max(8 * 60)
      .default(60),
    timezone: timeZone.default('UTC'),
    /** Dates (YYYY-MM-DD, in `timezone`) that are not business days. */
    holidays: z.array(z.iso.date()).max(400).default([]),
    /** Organizer of the invite (a team mailbox). Default: the account's first owner. */
    organizer: z.email().optional(),
  })
  .strict();

export const rotationSchema = z
  .object({
    /** Minutes after the session ends before the credential is rotated (tampering and a failed-then-successful sign-in rotate at once). */
    delayMinutes: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60)
      .default(60),
    /** Hours after the rotation is requested within which the audit logs must show it; else a high page. */
    seenWithinHours: z
      .number()
      .int()
      .min(1)
      .max(14 * 24)
      .default(24),
    /**
     * AWS executors. Present: Secrets Manager RotateSecret on the account's `rotation.secretId`, and
     * access keys created during the session set Inactive. Absent: AWS gets a rotation task like the others.
     */
    aws: z
      .object({
        rotateSecret: z.boolean().default(true),
        deactivateAccessKeys: z.boolean().default(true),
        /** Region of Secrets Manager when `secretId` is a name rather than an ARN. */
        region: awsRegion.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

const arn = (service: string, what: string) =>
  z
    .string()
    .max(1600)
    .regex(new RegExp(`^arn:aws[a-z-]*:${service}:[a-z0-9-]*:\\d{12}:.+$`), what);

export const schedulerSchema = z
  .object({
    /** What a schedule invokes when it fires, e.g. the responders queue (SQS ARN). */
    targetArn: z
      .string()
      .max(1600)
      .regex(/^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]+:\d{12}:.+$/, 'an ARN in a Region (queue, function, bus…)'),
    /** Role EventBridge Scheduler assumes to invoke the target. */
    roleArn: arn('iam', 'an IAM role ARN').refine((v) => v.includes(':role/'), { message: 'an IAM role ARN' }),
    /** SQS queue for invocations that fail (required: a lost review or rotation wake-up must be seen). */
    deadLetterArn: arn('sqs', 'an SQS queue ARN'),
    groupName: z
      .string()
      .regex(/^[0-9a-zA-Z._-]{1,64}$/, 'a schedule group name')
      .default('default'),
  })
  .strict();

export type ReviewConfig = z.output<typeof reviewSchema>;
export type RotationConfig = z.output<typeof rotationSchema>;
export type SchedulerConfig = z.output<typeof schedulerSchema>;

/** The defaults, spelled once for `respondersSchema`. */
export const REVIEW_DEFAULTS: ReviewConfig = reviewSchema.parse({});
export const ROTATION_DEFAULTS: RotationConfig = rotationSchema.parse({});
