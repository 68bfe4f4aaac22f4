import type { CoverageRecord } from '../../../../shared/core/assure/coverage.js';
import type { DrillResult } from '../../../../shared/core/assure/drill/steps.js';
import type { HeartbeatStatus } from '../../../../shared/core/assure/heartbeat.js';
import { buildPostureReport, type PostureReport } from '../../../../shared/core/assure/report.js';
import type { Incident, IncidentEvent } from '../../../../shared/core/model/incident.js';
import type { DeliveryRecord } from '../../../../shared/core/ports/delivery-ledger.js';
import type { RotationWatch } from '../../../../shared/core/ports/rotation-watch-store.js';
import { parseRegistry } from '../../../../shared/core/registry/index.js';

/** Strings an attacker controls (principal names, error text) or a careless registry holds. */
export const HOSTILE = {
  script: '<script>window.__pwned = 1</script>',
  img: '"><img src=x onerror="window.__pwned=2">',
  style: '</style><style>body{display:none}</style>',
  link: 'javascript:alert(1) https://evil.example/x',
  bidi: 'root\u202Etxt.exe',
  attr: "' onmouseover='window.__pwned=3",
};

export const HOSTILE_REGISTRY = parseRegistry(
  `accounts:
  - id: aws-prod-root
    cloud: aws
    match: { arn: "arn:aws:iam::111122223333:root" }
    description: ${JSON.stringify(`prod root ${HOSTILE.script}`)}
    credential:
      stores: [{ secretsManager: prod/breakglass/root }, { ssmParameter: /breakglass/root }]
      approvedReaders: ["arn:aws:iam::111122223333:role/BreakGlassCustodian"]
  - { id: gcp-super-admin, cloud: gcp, match: { email: breakglass@example.com } }
  - { id: entra-emergency, cloud: azure, match: { userPrincipalName: emergency@contoso.onmicrosoft.com } }
drills:
  - { account: aws-prod-root, start: "2016-02-20T00:00:00Z", end: "2016-02-20T04:00:00Z" }
responders:
  jira: { baseUrl: "https://example.atlassian.net", projectKey: SEC }
`,
  'r.yaml',
);

export const NOW = Date.parse('2026-03-02T12:00:00Z');

function event(id: string, time: string, action: string, principal: string): IncidentEvent {
  return {
    id,
    time,
    cloud: 'aws',
    service: action === 'PasswordUpdated' ? 'signin.amazonaws.com' : 'iam.amazonaws.com',
    action,
    outcome: 'success',
    kinds: action === 'PasswordUpdated' ? ['signin.success', 'account.change'] : ['activity', 'account.change'],
    actor: principal,
    resources: [],
    src: {},
    mfa: { used: false, methods: [] },
    where: '111122223333',
    origin: 'x',
  };
}

function incident(
  id: string,
  principal: string,
  firstSeen: string,
  drill = false,
  action = 'PasswordUpdated',
): Incident {
  return {
    id,
    correlationKey: 'acct:aws-prod-root',
    account: 'aws-prod-root',
    cloud: 'aws',
    principal,
    detections: ['signin.success', 'account.change'],
    severity: drill ? 'low' : 'critical',
    drill,
    status: 'closed',
    firstSeen,
    lastSeen: firstSeen,
    events: [event(`aws:${id}`, firstSeen, action, principal)],
    version: 1,
  };
}

/** A read of the root credential from its store by a reader outside the approval path (hostile name). */
function opening(id: string, time: string): Incident {
  const read: IncidentEvent = {
    ...event(`aws:${id}`, time, 'GetSecretValue', `${HOSTILE.script} ${HOSTILE.bidi}`),
    service: 'secretsmanager.amazonaws.com',
    kinds: ['credential.access'],
    severities: { 'credential.access': 'critical' },
    opening: { store: 'AWS Secrets Manager prod/breakglass/root', approval: 'outside' },
  };
  return {
    ...incident(id, read.actor, time),
    detections: ['credential.access'],
    events: [read],
  };
}

const drill = (id: string, startedAt: string, status: DrillResult['status'], reason?: string): DrillResult => ({
  drillId: id,
  account: 'aws-prod-root',
  cloud: 'aws',
  kind: 'synthetic',
  runtime: 'local',
  startedAt,
  finishedAt: startedAt,
  status,
  ...(reason ? { reason } : {}),
  steps: [
    { step: 'incident', status: 'passed', latencyMs: 1200, boundMs: 60_000, detail: 'ok' },
    {
      step: 'page',
      status: status === 'passed' ? 'passed' : 'failed',
      latencyMs: 4300,
      boundMs: 120_000,
      detail: 'ok',
    },
    { step: 'ticket', status: 'passed', latencyMs: 9100, boundMs: 300_000, detail: 'ok' },
  ],
});

/** A real sign-in of 2016 inside a declared window, replayed now: its "latency" is ten years. */
export const REPLAYED_WINDOW_DRILL: DrillResult = {
  drillId: 'w-gw-old',
  account: 'aws-prod-root',
  cloud: 'aws',
  kind: 'window',
  runtime: 'local',
  startedAt: '2016-02-20T01:09:13.000Z',
  finishedAt: '2016-02-20T01:09:13.000Z',
  status: 'failed',
  steps: [
    { step: 'incident', status: 'passed', boundMs: 900_000, detail: 'incident' },
    {
      step: 'page',
      status: 'failed',
      latencyMs: NOW - Date.parse('2016-02-20T01:09:13Z'),
      boundMs: 900_000,
      detail: 'late',
    },
  ],
};

/** The CloudTrail S3 source, heard `ageMs` before `nowMs`: the logs run to then. */
export function cloudTrailHeartbeat(nowMs: number, ageMs = 60_000): HeartbeatStatus {
  return {
    source: 'cloudtrail-s3',
    region: '-',
    label: 'CloudTrail log files (S3)',
    cloud: 'aws',
    state: 'ok',
    thresholdMs: 2_700_000,
    lastSeenMs: nowMs - ageMs,
    ageMs,
  };
}

const HEARTBEATS: HeartbeatStatus[] = [
  cloudTrailHeartbeat(NOW),
  {
    source: 'gcp-pull',
    region: '-',
    label: 'GCP audit logs (Cloud Logging poller)',
    cloud: 'gcp',
    state: 'never',
    thresholdMs: 21_600_000,
  },
];

export const COVERAGE: CoverageRecord[] = [
  {
    path: 'aws.s3',
    source: 'aws.cloudtrail',
    scope: '111122223333',
    region: 'eu-west-1',
    firstSeenMs: Date.parse('2025-10-01T00:00:00Z'),
    lastSeenMs: NOW - 60_000,
  },
  {
    path: 'replay',
    source: 'gcp.audit',
    scope: `proj ${HOSTILE.img}`,
    region: '-',
    firstSeenMs: Date.parse('2025-10-01T00:00:00Z'),
    lastSeenMs: Date.parse('2026-02-20T00:00:00Z'),
  },
];

const record = (
  incidentId: string,
  actionKey: string,
  updatedAt: string,
  ref?: Record<string, string>,
): DeliveryRecord => ({
  incidentId,
  actionKey,
  status: 'delivered',
  attempts: 1,
  updatedAt,
  revision: 1,
  ...(ref ? { ref } : {}),
});

export const DELIVERIES = new Map<string, DeliveryRecord[]>([
  [
    'gw-1',
    [
      record('gw-1', 'page:pagerduty', '2026-02-20T10:01:00.000Z', {
        dedupKey: 'gw-1',
        acknowledgedAt: '2026-02-20T10:06:00.000Z',
      }),
      record('gw-1', 'notify:pagerduty:tamper', '2026-02-20T10:30:00.000Z'),
      record('gw-1', 'resolve:pagerduty:tamper', '2026-02-20T10:40:00.000Z'),
      record('gw-1', 'resolve:pagerduty', '2026-02-20T11:01:00.000Z'),
      record('gw-1', 'ticket:jira:open', '2026-02-20T10:01:30.000Z', { issueKey: 'SEC-12' }),
      record('gw-1', 'review:jira:task', '2026-02-20T12:00:00.000Z', { issueKey: 'SEC-13' }),
    ],
  ],
  ['gw-3', [record('gw-3', 'ticket:jira:open', '2026-03-01T10:02:00.000Z', { issueKey: HOSTILE.img })]],
]);

export const ROTATIONS = new Map<string, RotationWatch>([
  [
    'gw-1',
    {
      incidentId: 'gw-1',
      account: 'aws-prod-root',
      cloud: 'aws',
      drill: false,
      reason: 'session-ended',
      immediate: false,
      principal: 'root',
      dueAt: '2026-02-20T12:00:00.000Z',
      since: '2026-02-20T10:00:00.000Z',
      deadlineAt: '2026-02-21T12:00:00.000Z',
      evidence: [],
      executors: {} as RotationWatch['executors'],
      status: 'seen',
      requestedAt: '2026-02-20T12:00:00.000Z',
      seen: { eventId: 'e', time: '2026-02-20T13:00:00.000Z', action: 'UpdateLoginProfile', actor: 'admin' },
      updatedAt: '2026-02-20T13:00:00.000Z',
      revision: 2,
    },
  ],
]);

/** A posture report full of hostile strings, for the renderer and the browser. */
export function hostileReport(): PostureReport {
  return buildPostureReport({
    registry: HOSTILE_REGISTRY,
    incidents: [
      incident('gw-1', `${HOSTILE.img} ${HOSTILE.bidi}`, '2026-02-20T10:00:00.000Z'),
      incident('gw-2', HOSTILE.style, '2026-02-25T10:00:00.000Z', true),
      incident('gw-3', HOSTILE.attr, '2026-03-01T10:00:00.000Z', false, 'CreateAccessKey'),
      opening('gw-4', '2026-02-19T09:00:00.000Z'),
    ],
    deliveries: DELIVERIES,
    rotations: ROTATIONS,
    ticketSites: { jira: 'https://example.atlassian.net' },
    drills: [
      drill('d-1', '2026-02-01T10:00:00.000Z', 'passed'),
      drill('d-2', '2026-02-15T10:00:00.000Z', 'failed', `${HOSTILE.link} ${HOSTILE.script}`),
      REPLAYED_WINDOW_DRILL,
    ],
    heartbeats: HEARTBEATS,
    coverage: COVERAGE,
    checks: [
      {
        path: 'aws',
        check: 'trail is logging',
        status: 'pass',
        detail: 'IsLogging true',
        checkedAt: '2026-03-02T11:00:00.000Z',
      },
      { path: 'gcp', check: `sink filter ${HOSTILE.script}`, status: 'fail', detail: HOSTILE.attr },
    ],
    openAlerts: [
      {
        key: 'silent:gcp-pull#-',
        kind: 'pipeline.silent',
        alertId: 'a',
        sinceMs: 0,
        summary: HOSTILE.script,
        cloud: 'gcp',
        facts: [],
      },
    ],
    nowMs: NOW,
  });
}
