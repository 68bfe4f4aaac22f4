import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { awsPlumbing } from '../../adapters/aws/plumbing.js';
import type { DeliveryReport } from '../../core/act/report.js';
import { type OpenAlert, reconcileAlerts } from '../../core/assure/health.js';
import { type AwsPlumbing, verifyAws } from '../../core/assure/verify/aws.js';
import { verifyAzure } from '../../core/assure/verify/azure.js';
import { verifyGcp } from '../../core/assure/verify/gcp.js';
import type { CheckResult } from '../../core/assure/verify/result.js';
import { misconfigurationSignals } from '../../core/assure/verify/result.js';
import type { AssuranceStore } from '../../core/ports/assurance-store.js';
import type { Registry } from '../../core/registry/index.js';
import { deliverAlertPlan } from './alert-plan.js';
import type { AlertSender } from './alert-sender.js';
import type { CloudPlumbing } from './verify-clouds.js';

export interface VerifyRunResult {
  results: CheckResult[];
  opened: OpenAlert[];
  resolved: OpenAlert[];
  /** Alerts whose page is not delivered yet: tried again at the next run. */
  undelivered: { alertId: string; report: DeliveryReport }[];
}

/**
 * The scheduled verify: the checks' results are stored (the posture report shows them) and become
 * `pipeline.misconfigured` alerts through the same reconciliation and sender as `pipeline.silent` (one
 * page per failing setting, resolved when a later run sees it pass). It reconciles only its own kind: the heartbeat check owns the others.
 *
 * @example
 * await runVerify({ store, alerts, check: () => verifyAws(plumbing, registry.pipeline, busArn) }, Date.now());
 */
export async function runVerify(
  deps: { store: AssuranceStore; alerts: AlertSender; check: () => Promise<CheckResult[]> },
  nowMs: number,
): Promise<VerifyRunResult> {
  const results = await deps.check();
  // Stored first: the posture report shows the last results even when a page below fails.
  await deps.store.saveChecks(results, nowMs);
  const own = (await deps.store.openAlerts()).filter((a) => a.kind === 'pipeline.misconfigured');
  const checked = new Set(results.filter((r) => r.status === 'unchecked').map((r) => `misconfigured:${r.key}`));
  // An unchecked setting (a call that could not be made) keeps its alert open rather than resolving it.
  const signals = misconfigurationSignals(results);
  const plan = reconcileAlerts(
    signals,
    own.filter((a) => !checked.has(a.key)),
    nowMs,
  );
  const { opened, resolved, undelivered } = await deliverAlertPlan(plan, deps, nowMs);
  return { results, opened, resolved, undelivered };
}

/**
 * SDK clients for the AWS checks: CloudTrail in the trail's home Region (from its ARN), EventBridge per
 * forwarder Region, S3 following the bucket's Region. `wrap` adds tracing in Lambda.
 */
export function awsPlumbingFor(registry: Registry, wrap: <T>(client: T) => T = (c) => c): AwsPlumbing {
  const home = registry.pipeline?.aws.trailArn?.split(':')[3] || registry.pipeline?.aws.forwarderRegions[0];
  const region = home ? { region: home } : {};
  const eventBridge = new Map<string, EventBridgeClient>();
  return awsPlumbing({
    cloudTrail: wrap(new CloudTrailClient(region)),
    eventBridge: (r) => {
      const client = eventBridge.get(r) ?? wrap(new EventBridgeClient({ region: r }));
      eventBridge.set(r, client);
      return client;
    },
    s3: wrap(new S3Client({ ...region, followRegionRedirects: true })),
  });
}

/**
 * The deployed function's checks, ready for {@link runVerify}: the AWS path read back, and the GCP and
 * Azure paths with the clients of {@link verifyClouds} (the pollers' credentials); a cloud the stack
 * has no credentials for is listed as not checked, with why, so the report shows it as unproven
 * rather than leaving it out.
 */
export function stackChecks(
  registry: Registry,
  clouds: CloudPlumbing,
  options: { wrap?: <T>(client: T) => T; ingestBusArn?: string } = {},
): () => Promise<CheckResult[]> {
  const plumbing = awsPlumbingFor(registry, options.wrap);
  return async () => [
    ...(await verifyAws(plumbing, registry.pipeline, options.ingestBusArn)),
    ...(await verifyGcp(clouds.gcp, registry, clouds.missing.gcp)),
    ...(await verifyAzure(clouds.azure, registry.pipeline, clouds.missing.azure)),
  ];
}
