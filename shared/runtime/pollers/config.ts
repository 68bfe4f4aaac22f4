import { z } from 'zod';
import { GUID } from '../../core/text.js';
import { type SettingsOf, settingsReader } from '../settings.js';

/**
 * The variables only the pollers and the GCP push function read (the table, the incident bus and the
 * bundled registry are the shared runtime's: shared/runtime/aws/config.ts). Read once, typed, every
 * bad variable named. Credentials are Secrets Manager secret ids, never values.
 */

const name = z.string().trim().min(1, 'must be set');
const guid = z.string().trim().regex(GUID, 'a GUID');
const pageSize = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);

/** `organizations/123, projects/p` → resource names Cloud Logging reads. */
const gcpResources = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== ''),
  )
  .pipe(
    z
      .array(
        z
          .string()
          .regex(
            /^(organizations|folders|projects|billingAccounts)\/[A-Za-z0-9._-]+(\/locations\/[a-z0-9-]+\/buckets\/[A-Za-z0-9._-]+\/views\/[A-Za-z0-9._-]+)?$/,
            'organizations/…, folders/…, projects/… or billingAccounts/…, or a log view …/locations/L/buckets/B/views/V',
          ),
      )
      .min(1),
  );

const VARIABLES = {
  /**
   * Where the GCP poller reads. `organizations/123` holds the organization's own logs (Workspace logins,
   * org-level sinks and IAM); project audit logs live in each project, so an aggregated sink copies them
   * to one log bucket whose view is read too (infra/gcp/poller.tf):
   * `organizations/123,projects/sec/locations/global/buckets/glasswatch-audit/views/_AllLogs`.
   */
  GLASSWATCH_GCP_RESOURCES: gcpResources,
  /** Secrets Manager id of the Google credentials (workload identity federation config, or a service-account key). */
  GLASSWATCH_GCP_CREDENTIALS_SECRET_REF: name,
  GLASSWATCH_GCP_PAGE_SIZE: pageSize(1000, 1000),
  /** The Log Analytics workspace (customer) id. */
  GLASSWATCH_AZURE_WORKSPACE_ID: guid,
  /** Secrets Manager id of `{tenantId, clientId, clientSecret | certificatePem}`. */
  GLASSWATCH_AZURE_CREDENTIALS_SECRET_REF: name,
  GLASSWATCH_AZURE_PAGE_SIZE: pageSize(10_000, 2000),
  /** Secrets Manager id of the Event Hubs listen connection string (with `EntityPath`). */
  GLASSWATCH_EVENTHUB_CONNECTION_SECRET_REF: name,
  /** A consumer group of Glasswatch's own, so no other reader moves its checkpoints. */
  GLASSWATCH_EVENTHUB_CONSUMER_GROUP: name.default('glasswatch'),
  /** How long one scheduled run receives (seconds); a little under the schedule interval. */
  GLASSWATCH_EVENTHUB_RUN_SECONDS: z.coerce.number().int().min(5).max(840).default(50),
  /** GCP push function: region of the table and the bus. */
  GLASSWATCH_AWS_REGION: z
    .string()
    .trim()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS Region name such as eu-west-1'),
  /** GCP push function: the role its Google identity assumes. */
  GLASSWATCH_AWS_ROLE_ARN: z
    .string()
    .trim()
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'an IAM role ARN'),
  /** GCP push function: audience of its Google ID token, as the role's trust policy expects it. */
  GLASSWATCH_AWS_AUDIENCE: name,
} as const;

export type PollerSettings<K extends keyof typeof VARIABLES> = SettingsOf<typeof VARIABLES, K>;

/**
 * @example
 * const { GLASSWATCH_AZURE_WORKSPACE_ID } = readPollerSettings(process.env, ['GLASSWATCH_AZURE_WORKSPACE_ID']);
 */
export const readPollerSettings = settingsReader(VARIABLES);
