import { DOCS } from '../references.js';
import type { Rule } from '../rule.js';
import { tamperMatchOf } from '../tamper/match.js';

/** Anyone stopping, deleting or weakening audit logging or its delivery. */
export const auditTamper: Rule = {
  id: 'audit-tamper',
  kind: 'audit.tamper',
  title: 'Audit logging stopped or weakened',
  description:
    'Someone stopped, deleted or weakened audit logging or its delivery to Glasswatch: CloudTrail trails, ' +
    'selectors and event data stores, the trail bucket and key; the pipeline’s own rules, buses, functions, ' +
    'queues, schedules and stacks; leaving the AWS organization; GCP sinks, exclusions, log buckets, audit ' +
    'configs, the Pub/Sub topic, subscription and push function; Azure and Entra diagnostic settings, the ' +
    'Event Hub and the Log Analytics workspace (shared/core/detect/tamper-actions.ts lists each call). It ' +
    'fires for any actor, in the registry or not (then the finding has no account and correlates on the ' +
    'actor). Failed attempts fire too: an attempt to blind us is news even when it was denied.',
  severity: 'high',
  runbook: [
    'Restore the path first: StartLogging or recreate the trail, selectors, rule, queue mapping or function (redeploy the stack); recreate the GCP sink, subscription or audit config; recreate the diagnostic setting; then run `glasswatch verify` and check the heartbeat is green again.',
    'Identify the actor and look for the change ticket; an unplanned change, or one made by a break-glass session, is an attack until shown otherwise.',
    'Review what happened while logging was down from sources the actor could not switch off: CloudTrail event history (90 days), GCP Admin Activity logs in the _Required bucket, Entra and Activity logs in the portal.',
  ],
  references: [DOCS.awsStopLogging, DOCS.gcpDataAccessLogs, DOCS.gcpLogRouting, DOCS.azureDiagnosticSettings],
  falsePositives: [
    'Planned logging changes and Glasswatch deployments (CloudFormation replacing code or settings opens a ticket, not a page; the same change made directly pages).',
    'Without a `pipeline:` section in the registry every rule, function, queue, bucket or setting of the kinds listed counts as Glasswatch’s: name the pipeline to narrow it.',
    'Data Access logging reduced on purpose to cut cost.',
  ],
  needsBreakGlass: false,
  evaluate(event, ctx) {
    const match = tamperMatchOf(event, ctx.registry.registry.pipeline);
    if (!match) return undefined;
    const { entry, unknown, pagesAtOnce } = match;
    return {
      account: ctx.actorAccount ?? null,
      severity: entry.severity,
      pagesAtOnce,
      ...(unknown
        ? { detail: `${entry.what} — unknown: the record does not say what changed or on which resource` }
        : {}),
    };
  },
};
