import { z } from 'zod';
import {
  REVIEW_DEFAULTS,
  ROTATION_DEFAULTS,
  reviewSchema,
  rotationSchema,
  schedulerSchema,
} from './aftermath/config.js';

/**
 * The `responders` section of the registry/config file. Strict like the rest of the registry: a typo in
 * the block that decides who gets paged must fail loudly. Credentials are never inline values: they are
 * references (environment variable, Secrets Manager secret, SSM parameter) resolved at run time. The one
 * exception is `pagerduty.routingKey`, an integration key that can only enqueue events, not read or
 * change anything (accepted inline because scripted checks set it that way).
 */

/** Hosts allowed over plain http: the local contract servers and a developer's own proxy, nothing else. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https everywhere; http only on loopback, so credentials never cross a network in clear text. */
export const endpointUrl = z.url().refine(
  (raw) => {
    const url = new URL(raw);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
  },
  { message: 'must be an https URL (http is accepted only for localhost/127.0.0.1)' },
);

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]{0,127}$/, 'an environment variable name (A-Z, 0-9, _)');

/** Where a credential lives. Resolved by a SecretResolver; the value is never logged or reported. */
export const secretRefSchema = z.union([
  z.object({ env: envName }).strict(),
  z
    .object({
      secretsManager: z.string().min(1).max(2048),
      /** Field of a JSON secret; the whole SecretString when absent. */
      jsonKey: z.string().min(1).max(256).optional(),
    })
    .strict(),
  z.object({ ssm: z.string().regex(/^[A-Za-z0-9_.\-/]{1,2048}$/, 'an SSM parameter name') }).strict(),
]);

export type SecretRef = z.output<typeof secretRefSchema>;

/**
 * PagerDuty's REST API, for what Events API v2 cannot do: a note on an open incident (the session
 * ended, the ticket was closed). Events v2 has only trigger/acknowledge/resolve, and a trigger on an
 * open alert's key is merged into it silently, while one on a resolved key pages again.
 */
const pagerdutyRestSchema = z
  .object({
    /** EU accounts: https://api.eu.pagerduty.com */
    url: endpointUrl.default('https://api.pagerduty.com'),
    /** A REST API key (`Authorization: Token token=…`). */
    token: secretRefSchema,
    /** The `From` header notes require: the e-mail of a valid user of the account. */
    from: z.email(),
  })
  .strict();

const pagerdutySchema = z
  .object({
    /** EU accounts: https://events.eu.pagerduty.com/v2/enqueue */
    eventsUrl: endpointUrl.default('https://events.pagerduty.com/v2/enqueue'),
    routingKey: z.string().min(1).max(128).optional(),
    routingKeySecret: secretRefSchema.optional(),
    /** Optional: notes on the alert when the session ends or the ticket is closed. */
    restApi: pagerdutyRestSchema.optional(),
  })
  .strict()
  .refine((p) => (p.routingKey === undefined) !== (p.routingKeySecret === undefined), {
    message: 'pagerduty needs exactly one of routingKey or routingKeySecret',
  });

const opsgenieSchema = z
  .object({
    /** EU accounts: https://api.eu.opsgenie.com. Opsgenie reaches end of support on 2027-04-05. */
    apiUrl: endpointUrl.default('https://api.opsgenie.com'),
    apiKey: secretRefSchema.default({ env: 'GLASSWATCH_OPSGENIE_API_KEY' }),
  })
  .strict();

const snsSchema = z
  .object({
    topicArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/, 'an SNS topic ARN'),
  })
  .strict();

const chatSchema = z
  .object({
    kind: z.enum(['slack', 'teams']),
    /** The webhook URL is itself a credential (anyone holding it can post), so it is a reference too. */
    webhookUrl: secretRefSchema.default({ env: 'GLASSWATCH_CHAT_WEBHOOK_URL' }),
  })
  .strict();

const jiraSchema = z
  .object({
    /** The Jira Cloud site, e.g. https://example.atlassian.net */
    baseUrl: endpointUrl,
    projectKey: z.string().regex(/^[A-Z][A-Z0-9_]{1,9}$/, 'a Jira project key (e.g. SEC)'),
    issueType: z.string().min(1).max(60).default('Task'),
    /** Issue type of the review and rotation tasks, created as sub-tasks of the incident's issue. */
    subtaskIssueType: z.string().min(1).max(60).default('Subtask'),
    email: secretRefSchema.default({ env: 'GLASSWATCH_JIRA_EMAIL' }),
    apiToken: secretRefSchema.default({ env: 'GLASSWATCH_JIRA_API_TOKEN' }),
  })
  .strict();

const servicenowSchema = z
  .object({
    /** e.g. https://example.service-now.com */
    instanceUrl: endpointUrl,
    username: secretRefSchema.default({ env: 'GLASSWATCH_SERVICENOW_USERNAME' }),
    password: secretRefSchema.default({ env: 'GLASSWATCH_SERVICENOW_PASSWORD' }),
    /** sys_id or name of the group the incident is assigned to. */
    assignmentGroup: z.string().min(1).max(100).optional(),
  })
  .strict();

const outboxSchema = z.object({ dir: z.string().min(1).max(1024).default('.glasswatch/outbox') }).strict();

export const retrySchema = z
  .object({
    /** Attempts per action within one run (a later run, e.g. an SQS redelivery, tries again). */
    maxAttempts: z.number().int().min(1).max(20).default(5),
    baseDelayMs: z.number().int().min(1).max(60_000).default(500),
    maxDelayMs: z
      .number()
      .int()
      .min(1)
      .max(15 * 60_000)
      .default(30_000),
    /** Longest Retry-After honoured; a vendor asking for more is retried after this instead. */
    maxRetryAfterMs: z
      .number()
      .int()
      .min(1)
      .max(15 * 60_000)
      .default(60_000),
    timeoutMs: z.number().int().min(1).max(120_000).default(10_000),
  })
  .strict()
  .refine((r) => r.baseDelayMs <= r.maxDelayMs, { message: 'baseDelayMs must not exceed maxDelayMs' });

export type RetryConfig = z.output<typeof retrySchema>;

export const respondersSchema = z
  .object({
    pagerduty: pagerdutySchema.optional(),
    opsgenie: opsgenieSchema.optional(),
    sns: snsSchema.optional(),
    chat: chatSchema.optional(),
    jira: jiraSchema.optional(),
    servicenow: servicenowSchema.optional(),
    outbox: outboxSchema.optional(),
    /**
     * `sns`: SNS is the fallback pager. It pages only when the primary pager (PagerDuty, else Opsgenie)
     * has failed `fallbackAfterAttempts` times for that page. Absent: SNS, when configured, pages always.
     */
    fallbackPager: z.literal('sns').optional(),
    fallbackAfterAttempts: z.number().int().min(1).max(20).default(3),
    /**
     * Resolve real pages when the session ends. Off by default: a session that ended is not an incident
     * that was handled, and a resolved page stops its escalation policy. Drills always resolve.
     */
    autoResolve: z.boolean().default(false),
    retry: retrySchema.default({
      maxAttempts: 5,
      baseDelayMs: 500,
      maxDelayMs: 30_000,
      maxRetryAfterMs: 60_000,
      timeoutMs: 10_000,
    }),
    /** Post-incident review: N business days after the session ends (aftermath/config.ts). */
    review: reviewSchema.default(REVIEW_DEFAULTS),
    /** Credential rotation after use, and how long to wait to see it in the audit logs. */
    rotation: rotationSchema.default(ROTATION_DEFAULTS),
    /** EventBridge Scheduler one-time schedules for the review and the delayed rotation (AWS). */
    scheduler: schedulerSchema.optional(),
  })
  .strict()
  .refine((r) => r.fallbackPager === undefined || r.sns !== undefined, {
    message: 'fallbackPager: sns needs responders.sns.topicArn',
    path: ['fallbackPager'],
  });

export type RespondersInput = z.input<typeof respondersSchema>;
export type RespondersConfig = z.output<typeof respondersSchema>;
