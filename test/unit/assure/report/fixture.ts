import type { DrillResult } from '../../../../shared/core/assure/drill/steps.js';
import type { HeartbeatStatus } from '../../../../shared/core/assure/heartbeat.js';
import { buildPostureReport, type PostureReport } from '../../../../shared/core/assure/report.js';
import type { Incident } from '../../../../shared/core/model/incident.js';
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
  - { id: gcp-super-admin, cloud: gcp, match: { email: breakglass@example.com } }
  - { id: entra-emergency, cloud: azure, match: { userPrincipalName: emergency@contoso.onmicrosoft.com } }
`,
  'r.yaml',
);

const NOW = Date.parse('2026-03-02T12:00:00Z');

function incident(id: string, principal: string, firstSeen: string, drill = false): Incident {
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
    events: [
      {
        id: `aws:${id}`,
        time: firstSeen,
        cloud: 'aws',
        service: 'signin.amazonaws.com',
        action: 'PasswordUpdated',
        outcome: 'success',
        kinds: ['signin.success', 'account.change'],
        actor: principal,
        resources: [],
        src: {},
        mfa: { used: false, methods: [] },
        origin: 'x',
      },
    ],
    version: 1,
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

const HEARTBEATS: HeartbeatStatus[] = [
  {
    source: 'cloudtrail-s3',
    region: '-',
    label: 'CloudTrail log files (S3)',
    cloud: 'aws',
    state: 'ok',
    thresholdMs: 2_700_000,
    lastSeenMs: NOW - 60_000,
    ageMs: 60_000,
  },
  {
    source: 'gcp-pull',
    region: '-',
    label: 'GCP audit logs (Cloud Logging poller)',
    cloud: 'gcp',
    state: 'never',
    thresholdMs: 21_600_000,
  },
];

/** A posture report full of hostile strings, for the renderer and the browser. */
export function hostileReport(): PostureReport {
  return buildPostureReport({
    registry: HOSTILE_REGISTRY,
    incidents: [
      incident('gw-1', `${HOSTILE.img} ${HOSTILE.bidi}`, '2026-02-20T10:00:00.000Z'),
      incident('gw-2', HOSTILE.style, '2026-02-25T10:00:00.000Z', true),
      incident('gw-3', HOSTILE.attr, '2026-03-01T10:00:00.000Z'),
    ],
    drills: [
      drill('d-1', '2026-02-01T10:00:00.000Z', 'passed'),
      drill('d-2', '2026-02-15T10:00:00.000Z', 'failed', `${HOSTILE.link} ${HOSTILE.script}`),
    ],
    heartbeats: HEARTBEATS,
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
    observedSinceMs: Date.parse('2025-10-01T00:00:00Z'),
    nowMs: NOW,
  });
}
