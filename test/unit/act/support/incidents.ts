import type { DetectionKind, Severity } from '../../../../shared/core/model/finding.js';
import type { Incident, IncidentChange, IncidentEvent } from '../../../../shared/core/model/incident.js';
import { readFixtureJsonl } from '../../../support/fixtures.js';

/**
 * Incidents for act-stage tests. The three `…Event()` builders read real samples from test/fixtures
 * and map the handful of fields an IncidentEvent keeps by hand (normalizing is another stage's job;
 * act tests must not depend on it). `incident()` and `change()` build the rest with overrides.
 */

type Raw = Record<string, unknown>;

/** AWS docs: root ConsoleLogin without MFA (real browser user agent). */
export function awsRootSignIn(): IncidentEvent {
  const [row] = readFixtureJsonl<{ event: Raw }>('aws/aws-docs-cc-by-sa/act_root_console_login.jsonl');
  const e = row?.event as Raw & { userIdentity: Raw; additionalEventData: Raw };
  return {
    id: `aws:${e.eventID as string}`,
    time: new Date(e.eventTime as string).toISOString(),
    cloud: 'aws',
    service: e.eventSource as string,
    action: e.eventName as string,
    outcome: 'success',
    kinds: ['signin.success', 'signin.without-mfa'],
    actor: `root (${e.recipientAccountId as string})`,
    resources: [],
    src: { ip: e.sourceIPAddress as string, userAgent: e.userAgent as string },
    mfa: { used: e.additionalEventData.MFAUsed === 'Yes', methods: [] },
    region: e.awsRegion as string,
    where: e.recipientAccountId as string,
    origin: 'test/fixtures/aws/aws-docs-cc-by-sa/act_root_console_login.jsonl:1',
  };
}

/** Panther: Entra sign-in with a location (city, state, country). */
export function entraSignIn(): IncidentEvent {
  const [row] = readFixtureJsonl<{ log: Raw }>('azure/panther/act_entra_signin_with_location.jsonl');
  const log = row?.log as Raw & { properties: Raw & { location: Raw } };
  const p = log.properties;
  return {
    id: `azure:${log.correlationId as string}`,
    time: new Date(p.createdDateTime as string).toISOString(),
    cloud: 'azure',
    service: log.category as string,
    action: log.operationName as string,
    outcome: 'success',
    kinds: ['signin.success'],
    actor: p.userPrincipalName as string,
    resources: [p.resourceDisplayName as string],
    src: {
      ip: p.ipAddress as string,
      geo: `${p.location.city as string}, ${p.location.state as string}, ${p.location.countryOrRegion as string}`,
    },
    mfa: { used: undefined, methods: [] },
    where: log.tenantId as string,
    origin: 'test/fixtures/azure/panther/act_entra_signin_with_location.jsonl:1',
  };
}

/** Panther: GCP SetIamPolicy by a user (real Chrome user agent and insertId). */
export function gcpSetIamPolicy(): IncidentEvent {
  const [row] = readFixtureJsonl<{ log: Raw }>('gcp/panther/act_gcp_setiampolicy.jsonl');
  const log = row?.log as Raw & {
    protoPayload: Raw & { requestMetadata: Raw; authenticationInfo: Raw };
    resource: { labels: Raw };
  };
  const proto = log.protoPayload;
  return {
    id: `gcp:${log.insertId as string}`,
    time: new Date(log.timestamp as string).toISOString(),
    cloud: 'gcp',
    service: proto.serviceName as string,
    action: proto.methodName as string,
    outcome: 'success',
    kinds: ['activity', 'account.change'],
    actor: proto.authenticationInfo.principalEmail as string,
    resources: [proto.resourceName as string],
    src: {
      ip: proto.requestMetadata.callerIp as string,
      userAgent: proto.requestMetadata.callerSuppliedUserAgent as string,
    },
    where: log.resource.labels.project_id as string,
    origin: 'test/fixtures/gcp/panther/act_gcp_setiampolicy.jsonl:1',
  };
}

/**
 * Written from the Secrets Manager CloudTrail page: GetSecretValue of the root credential by the
 * custodian role (test/fixtures/aws/written-from-docs/credential_reads.jsonl), as the credential-access
 * rule records it; `approval` as the rule would judge another reader.
 */
export function awsCredentialRead(
  approval: NonNullable<IncidentEvent['opening']>['approval'] = 'approved',
): IncidentEvent {
  const rows = readFixtureJsonl<{ name: string; event: Raw }>('aws/written-from-docs/credential_reads.jsonl');
  const e = rows.find((r) => r.name === 'custodian-get-full-arn')?.event as Raw & { userIdentity: Raw };
  return {
    id: `aws:${e.eventID as string}`,
    time: new Date(e.eventTime as string).toISOString(),
    cloud: 'aws',
    service: e.eventSource as string,
    action: e.eventName as string,
    outcome: 'success',
    kinds: ['credential.access'],
    actor: e.userIdentity.arn as string,
    resources: [],
    src: { ip: e.sourceIPAddress as string, userAgent: e.userAgent as string },
    region: e.awsRegion as string,
    where: e.recipientAccountId as string,
    origin: 'test/fixtures/aws/written-from-docs/credential_reads.jsonl:1',
    severities: { 'credential.access': approval === 'outside' ? 'critical' : 'high' },
    opening: { store: 'AWS Secrets Manager prod/breakglass/root', approval },
  };
}

let counter = 0;

/** An API event in the same AWS session, unique per call. */
export function awsActivity(overrides: Partial<IncidentEvent> = {}): IncidentEvent {
  counter++;
  const hex = counter.toString(16).padStart(12, '0');
  return {
    id: `aws:0000${hex.slice(0, 4)}-aaaa-4bbb-8ccc-${hex}`,
    time: new Date(Date.UTC(2022, 10, 10, 16, 30, 0) + counter * 1000).toISOString(),
    cloud: 'aws',
    service: 's3.amazonaws.com',
    action: 'CreateBucket',
    outcome: 'success',
    kinds: ['activity'],
    actor: 'root (111122223333)',
    resources: [`arn:aws:s3:::bucket-${counter}`],
    src: { ip: '192.0.2.0', userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/5.10.0 exe/x86_64' },
    region: 'us-east-1',
    where: '111122223333',
    origin: `generated:${counter}`,
    ...overrides,
  };
}

/** An incident built around some events; severity and detections follow the events unless given. */
export function incident(events: IncidentEvent[], overrides: Partial<Incident> = {}): Incident {
  const first = events[0] as IncidentEvent;
  const detections = [...new Set(events.flatMap((e) => e.kinds))] as DetectionKind[];
  return {
    id: overrides.id ?? `inc-${first.id.replace(/[^A-Za-z0-9]/g, '').slice(-12)}`,
    correlationKey: 'acct:aws-root-prod',
    account: 'aws-root-prod',
    cloud: first.cloud,
    principal: first.actor,
    detections,
    severity: 'critical',
    drill: false,
    status: 'open',
    firstSeen: first.time,
    lastSeen: (events[events.length - 1] as IncidentEvent).time,
    events,
    version: 1,
    ...overrides,
  };
}

/** The next change of an incident: appends events, bumps the version, records what came before. */
export function extend(
  previous: Incident,
  newEvents: IncidentEvent[],
  overrides: Partial<Incident> = {},
): IncidentChange {
  const events = [...previous.events, ...newEvents];
  const detections = [...new Set([...previous.detections, ...newEvents.flatMap((e) => e.kinds)])] as DetectionKind[];
  const next: Incident = {
    ...previous,
    events,
    detections,
    lastSeen: (events[events.length - 1] as IncidentEvent).time,
    version: previous.version + 1,
    ...overrides,
  };
  return {
    kind: 'extended',
    incident: next,
    newEvents,
    previous: { severity: previous.severity, detections: previous.detections },
  };
}

export function opened(incident: Incident): IncidentChange {
  return { kind: 'opened', incident, newEvents: incident.events };
}

export function closed(previous: Incident): IncidentChange {
  return { kind: 'closed', incident: { ...previous, status: 'closed', version: previous.version + 1 }, newEvents: [] };
}

/** A whole session: opened, `updates` activity extensions, optionally a tamper escalation, closed. */
export function session(
  id: string,
  updates: number,
  options: { tamper?: boolean; drill?: boolean; severity?: Severity } = {},
): IncidentChange[] {
  const first = awsRootSignIn();
  let current = incident([{ ...first, id: `aws:${id}-signin` }], {
    id,
    drill: options.drill ?? false,
    severity: options.severity ?? 'critical',
  });
  const changes: IncidentChange[] = [opened(current)];
  for (let i = 0; i < updates; i++) {
    const change = extend(current, [awsActivity()]);
    changes.push(change);
    current = change.incident;
  }
  if (options.tamper) {
    const change = extend(
      current,
      [awsActivity({ service: 'cloudtrail.amazonaws.com', action: 'StopLogging', kinds: ['audit.tamper'] })],
      { severity: 'critical' },
    );
    changes.push(change);
    current = change.incident;
  }
  changes.push(closed(current));
  return changes;
}

/** Strings an attacker controls (user agent, resource names, UPNs) trying every format's markup. */
export const HOSTILE = {
  slackHere: '<!here> <!channel> <@U024BE7LH>',
  slackLink: '<https://evil.example/steal|click here>',
  markdownLink: '[link](http://evil.example/x) ![img](http://evil.example/i.png)',
  mention: '@channel @here [~accountid:5b10a2844c20165700ede21g]',
  jiraMacro: '{{jira macro}} {panel}x{panel} [x|http://evil.example]',
  snowCode: '[code]<script>alert(1)</script>[/code] [ CODE ]<img src=x onerror=alert(2)>',
  html: '<b>bold</b><a href="http://evil.example">a</a>',
  rtl: 'invoice\u202Etxt.exe \u2066hidden\u2069 zero\u200Bwidth',
  control: 'bell\u0007 null\u0000 esc\u001b[31m ansi',
  newline: 'line1\nline2\r\nSubject: spoofed',
  bigUserAgent: `Mozilla/5.0 ${'A'.repeat(10_240)}`,
} as const;

/** Every hostile string at once, as a resource list and user agent of one event. */
export function hostileEvent(): IncidentEvent {
  return awsActivity({
    actor: `${HOSTILE.mention} ${HOSTILE.slackHere}`,
    action: `CreateBucket ${HOSTILE.jiraMacro}`,
    resources: [
      HOSTILE.slackLink,
      HOSTILE.markdownLink,
      HOSTILE.snowCode,
      HOSTILE.html,
      HOSTILE.rtl,
      HOSTILE.control,
      HOSTILE.newline,
    ],
    src: { ip: `203.0.113.7 ${HOSTILE.slackHere}`, userAgent: HOSTILE.bigUserAgent, geo: HOSTILE.html },
  });
}
