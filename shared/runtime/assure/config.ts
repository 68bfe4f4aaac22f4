import { z } from 'zod';
import {
  HEARTBEAT_SOURCES,
  type HeartbeatSource,
  parseSourceKey,
  type SourceKey,
  type Thresholds,
} from '../../core/assure/heartbeat.js';
import { ConfigError } from '../aws/errors.js';

/**
 * The assurance functions' own environment variables (the shared ones are in runtime/aws/config.ts),
 * read once at cold start; every bad variable is named.
 */
export interface AssuranceSettings {
  /** The ingest bus the drill puts its `glasswatch.drill` event on. */
  GLASSWATCH_INGEST_BUS?: string;
  /** Accounts the scheduled drill exercises when its input names none; empty: every registry account. */
  GLASSWATCH_DRILL_ACCOUNTS: string[];
  /** Sources that must be heard from, `cloudtrail-s3,cloudtrail-eventbridge#eu-west-1`. */
  GLASSWATCH_HEARTBEAT_SOURCES: SourceKey[];
  /** Threshold overrides in minutes, `cloudtrail-s3=30,workspace-login=2880`. */
  GLASSWATCH_HEARTBEAT_THRESHOLDS: Thresholds;
  /** Dead-letter queue URLs whose depth pages as `pipeline.failing`. */
  GLASSWATCH_DEAD_LETTER_QUEUES: string[];
  /** Among them, the responders' own: its alert goes through the SNS fallback too. */
  GLASSWATCH_PAGER_DEAD_LETTER_QUEUES: string[];
}

const list = z
  .string()
  .optional()
  .transform((s) =>
    (s ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== ''),
  );

const sources = list.transform((items, ctx) =>
  items.flatMap((item) => {
    try {
      return [parseSourceKey(item)];
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return [];
    }
  }),
);

const thresholds = list.transform((items, ctx) => {
  const out: Thresholds = {};
  for (const item of items) {
    const [source, minutes] = item.split('=', 2);
    const value = Number(minutes);
    if (!(HEARTBEAT_SOURCES as readonly string[]).includes(source ?? '') || !Number.isInteger(value) || value < 1) {
      ctx.addIssue({ code: 'custom', message: `"${item.slice(0, 60)}": expected SOURCE=MINUTES with a known source` });
      continue;
    }
    out[source as HeartbeatSource] = value * 60_000;
  }
  return out;
});

const queueUrls = list.pipe(z.array(z.url('a queue URL')));

const schema = z.object({
  GLASSWATCH_INGEST_BUS: z.string().trim().min(1).optional(),
  GLASSWATCH_DRILL_ACCOUNTS: list,
  GLASSWATCH_HEARTBEAT_SOURCES: sources,
  GLASSWATCH_HEARTBEAT_THRESHOLDS: thresholds,
  GLASSWATCH_DEAD_LETTER_QUEUES: queueUrls,
  GLASSWATCH_PAGER_DEAD_LETTER_QUEUES: queueUrls,
});

/**
 * @example
 * const { GLASSWATCH_HEARTBEAT_SOURCES } = readAssuranceSettings(process.env);
 */
export function readAssuranceSettings(env: Readonly<Record<string, string | undefined>>): AssuranceSettings {
  const input = Object.fromEntries(Object.keys(schema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${String(i.path[0] ?? 'environment')}: ${i.message}`));
  }
  return parsed.data as AssuranceSettings;
}
