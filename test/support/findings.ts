import type { AuditEvent } from '../../shared/core/model/audit-event.js';
import type { DetectionKind, Finding } from '../../shared/core/model/finding.js';

/** A finding for correlation tests: only the fields correlation reads are meaningful. */
export function finding(
  overrides: { id: string; time: string; kind?: DetectionKind; account?: string | null; key?: string } & Partial<
    Pick<AuditEvent, 'action' | 'cloud'>
  >,
): Finding {
  const account = overrides.account === undefined ? 'aws-prod-root' : overrides.account;
  const cloud = overrides.cloud ?? 'aws';
  const event: AuditEvent = {
    id: `${cloud}:${overrides.id}`,
    nativeId: overrides.id,
    cloud,
    source: 'aws.cloudtrail',
    time: new Date(overrides.time).toISOString(),
    timeMs: Date.parse(overrides.time),
    category: 'api',
    service: 'iam.amazonaws.com',
    action: overrides.action ?? 'ListUsers',
    outcome: 'success',
    providerGenerated: false,
    actor: { type: 'Root', arn: 'arn:aws:iam::111122223333:root', display: 'root (111122223333)' },
    targets: [],
    resources: [],
    src: { ip: '203.0.113.7' },
    origin: { location: 'test.json', index: 0 },
    raw: {},
  };
  return {
    ruleId: 'test',
    kind: overrides.kind ?? 'activity',
    account,
    cloud,
    correlationKey: overrides.key ?? (account ? `acct:${account}` : 'actor:aws:someone'),
    principal: event.actor.display,
    title: `test: ${event.action}`,
    event,
  };
}
