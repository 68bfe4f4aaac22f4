import type { AuditEvent } from '../../shared/core/model/audit-event.js';
import { normalize } from '../../shared/core/normalize/index.js';
import type { RecordFormat } from '../../shared/core/normalize/types.js';
import { parseRegistry } from '../../shared/core/registry/index.js';
import { readFixtureJsonl } from './fixtures.js';
import { normalized } from './normalize.js';

/**
 * The tamper table's documented records (test/fixtures/tamper/, the page named on each line) and the
 * registry whose `pipeline:` section names the path they act on, for the table's own tests and for
 * the tests of the paths derived from it (forwarding rule, sink filter, KQL).
 */

export interface TamperCase {
  doc: string;
  fires: boolean;
  case: string;
  format: RecordFormat;
  record: Record<string, unknown>;
}

export const TAMPER_PIPELINE = `
accounts:
  - { id: aws-root, cloud: aws, match: { arn: "arn:aws:iam::111122223333:root" } }
pipeline:
  namePrefix: glasswatch
  aws:
    stacks: [gw-forwarder-us]
    trailArn: arn:aws:cloudtrail:eu-west-1:111122223333:trail/org-trail
    trailBucket: org-trail-logs-111122223333
    trailKmsKeyArn: arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab
    forwarderRegions: [eu-west-1, us-east-1]
    scheduleGroups: [glasswatch-aftermath]
  gcp:
    sink: organizations/123456789012/sinks/glasswatch
    topic: projects/gw-prod/topics/glasswatch
    subscription: projects/gw-prod/subscriptions/glasswatch-push
    pushEndpoint: https://glasswatch-push-7x2kq3-ew.a.run.app/
    pushFunction: projects/gw-prod/locations/europe-west1/functions/glasswatch-push
    logBuckets: [projects/gw-prod/locations/global/buckets/_Default]
  azure:
    diagnosticSettings:
      - { id: /subscriptions/00000000-1111-2222-3333-444444444444/providers/microsoft.insights/diagnosticSettings/glasswatch, categories: [Administrative] }
      - { id: /providers/microsoft.aadiam/diagnosticSettings/glasswatch-entra, categories: [AuditLogs, SignInLogs] }
    eventHubNamespace: /subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/glasswatch/providers/Microsoft.EventHub/namespaces/glasswatch-ns
    eventHub: /subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/glasswatch/providers/Microsoft.EventHub/namespaces/glasswatch-ns/eventhubs/insights-activity-logs
    workspace: /subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/glasswatch/providers/Microsoft.OperationalInsights/workspaces/glasswatch-logs
`;

export const tamperRegistry = parseRegistry(TAMPER_PIPELINE, 'tamper-cases.ts');

export const TAMPER_FILES = ['tamper/aws-cloudtrail.jsonl', 'tamper/gcp-audit.jsonl', 'tamper/azure-activity.jsonl'];

export function tamperEvent(c: TamperCase, location: string): AuditEvent {
  return normalized(normalize({ format: c.format, value: c.record, origin: { location } }));
}

/** Every documented record, normalized, with a label naming its file and line. */
export const TAMPER_CASES = TAMPER_FILES.flatMap((file) =>
  readFixtureJsonl<TamperCase>(file).map((c, index) => {
    const label = `${file}:${index + 1} ${c.case}`;
    return { ...c, event: tamperEvent(c, label), label };
  }),
);

/**
 * The same call, failed: denied in CloudTrail (`errorCode`, no response), a `google.rpc.Status` code 7
 * without response or policy delta (a denied call has none), an Activity log status of Failure in the
 * record's own spelling. A failed attempt to blind the pipeline is news too.
 */
export function failedVariant(c: TamperCase): TamperCase {
  const record = structuredClone(c.record);
  if (c.format === 'aws.cloudtrail') {
    Object.assign(record, { errorCode: 'AccessDenied', errorMessage: 'not authorized', responseElements: null });
  } else if (c.format === 'gcp.log-entry') {
    const payload = record.protoPayload as Record<string, unknown>;
    payload.status = { code: 7, message: 'PERMISSION_DENIED' };
    delete payload.response;
    delete payload.serviceData;
  } else if (c.format === 'azure.diagnostic') {
    Object.assign(record, { resultType: 'Failure', resultSignature: 'Failed.Forbidden' });
  } else if (c.format === 'azure.log-analytics') {
    Object.assign(record, {
      ActivityStatusValue: 'Failure',
      ActivityStatus: 'Failed',
      ActivitySubstatusValue: 'Forbidden',
    });
  } else {
    throw new Error(`failedVariant: no failed spelling for ${c.format}`);
  }
  return { ...c, record, case: `${c.case}, failed` };
}
