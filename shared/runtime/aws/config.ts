import { join } from 'node:path';
import { z } from 'zod';
import { type SettingsOf, settingsReader } from '../settings.js';
import { ConfigError } from './errors.js';

/**
 * Lambda configuration: environment variables read once at cold start, typed, failing fast with every
 * bad variable named. Only names and plain settings live here; credentials never do (vendor secrets
 * are read from Secrets Manager / SSM at run time, see shared/adapters/aws/secret-resolver.ts).
 */

const name = z.string().trim().min(1, 'must be set');
const positiveInt = (max: number) => z.coerce.number().int().min(1).max(max);

/** Comma-separated list, blanks dropped (`" us-east-1, eu-west-1 "`). */
const commaList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== ''),
  )
  .pipe(z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS Region name such as eu-west-1')).min(1));

/** Every variable any function reads, by environment name. Each function picks what it needs. */
const VARIABLES = {
  /** The incident table (heads, copies, publication ledger, delivery records). */
  GLASSWATCH_TABLE: name,
  /** Powertools idempotency records of processed S3 objects (TTL on `expiration`). */
  GLASSWATCH_IDEMPOTENCY_TABLE: name,
  /** The event bus incident changes are published on. */
  GLASSWATCH_INCIDENT_BUS: name,
  /** The ingest bus (name or ARN): the GCP push function puts its audit entries there. */
  GLASSWATCH_INGEST_BUS: name,
  /** Regions the sweeper looks up, comma-separated. */
  GLASSWATCH_SWEEP_REGIONS: commaList,
  /** Trailing window of every sweep. 90 min at a 15 min schedule: each event is looked up ~6 times. */
  GLASSWATCH_SWEEP_WINDOW_MINUTES: positiveInt(7 * 24 * 60).default(90),
  /** Spacing of LookupEvents calls in one Region: the quota is 2 per second per account and Region. */
  GLASSWATCH_SWEEP_CALL_INTERVAL_MS: z.coerce.number().int().min(0).max(10_000).default(550),
  /** Pages of 50 events per lookup before the sweep says it was truncated. */
  GLASSWATCH_SWEEP_MAX_PAGES: positiveInt(200).default(20),
  /** How far back the reconciler compares stored incidents with what was published. */
  GLASSWATCH_RECONCILE_DAYS: positiveInt(90).default(14),
  /** How long a processed S3 object is remembered (duplicate notifications, whole-batch retries). */
  GLASSWATCH_IDEMPOTENCY_HOURS: positiveInt(14 * 24).default(48),
  /** The validated registry the build writes beside each bundle; default `$LAMBDA_TASK_ROOT/registry.json`. */
  GLASSWATCH_REGISTRY_PATH: name.optional(),
  LAMBDA_TASK_ROOT: name.optional(),
} as const;

export type VariableName = keyof typeof VARIABLES;
export type Settings<K extends VariableName> = SettingsOf<typeof VARIABLES, K>;

/**
 * Reads the named variables from `env`; throws {@link ConfigError} listing every missing or invalid one.
 *
 * @example
 * const { GLASSWATCH_TABLE } = readSettings(process.env, ['GLASSWATCH_TABLE']);
 */
export const readSettings = settingsReader(VARIABLES);

/** Where the bundled registry is: `GLASSWATCH_REGISTRY_PATH`, else `registry.json` in the function's code folder. */
export function registryPath(env: Readonly<Record<string, string | undefined>>): string {
  const { GLASSWATCH_REGISTRY_PATH, LAMBDA_TASK_ROOT } = readSettings(env, [
    'GLASSWATCH_REGISTRY_PATH',
    'LAMBDA_TASK_ROOT',
  ]);
  if (GLASSWATCH_REGISTRY_PATH) return GLASSWATCH_REGISTRY_PATH;
  if (LAMBDA_TASK_ROOT) return join(LAMBDA_TASK_ROOT, 'registry.json');
  throw new ConfigError(['GLASSWATCH_REGISTRY_PATH: must be set outside Lambda (no LAMBDA_TASK_ROOT)']);
}
