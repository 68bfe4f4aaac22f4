import type { Actor, AuditEvent, Cloud, SourceKind } from '../../shared/core/model/audit-event.js';

/**
 * Builds valid AuditEvents for tests: sensible per-cloud defaults (an API call by a principal that is
 * in no registry), any field overridable. Rules and the engine are tested on these; real provider
 * records go through the normalizers' own tests.
 */

const DEFAULTS: Readonly<Record<Cloud, { source: SourceKind; service: string; action: string; actor: Actor }>> = {
  aws: {
    source: 'aws.cloudtrail',
    service: 'ec2.amazonaws.com',
    action: 'DescribeInstances',
    actor: {
      type: 'IAMUser',
      display: 'alice',
      arn: 'arn:aws:iam::111122223333:user/alice',
      userName: 'alice',
      accountId: '111122223333',
    },
  },
  gcp: {
    source: 'gcp.audit',
    service: 'compute.googleapis.com',
    action: 'v1.compute.instances.insert',
    actor: { type: 'user', display: 'dev@example.com', email: 'dev@example.com' },
  },
  azure: {
    source: 'azure.activity',
    service: 'Microsoft.Compute',
    action: 'Microsoft.Compute/virtualMachines/write',
    actor: { type: 'User', display: 'dev@contoso.com', upn: 'dev@contoso.com' },
  },
  vault: {
    source: 'vault.audit',
    service: 'vault',
    action: 'read',
    actor: { type: 'service', display: 'userpass-dev', vault: { displayName: 'userpass-dev', policies: ['default'] } },
  },
};

let sequence = 0;

/** An API call; pass `cloud` first-class so the defaults follow it. */
export function auditEvent(overrides: Partial<AuditEvent> = {}): AuditEvent {
  const cloud = overrides.cloud ?? 'aws';
  const defaults = DEFAULTS[cloud];
  const nativeId = overrides.nativeId ?? `test-${++sequence}`;
  const time = overrides.time ?? '2024-05-01T12:00:00.000Z';
  return {
    id: `${cloud}:${nativeId}`,
    nativeId,
    cloud,
    source: defaults.source,
    time,
    timeMs: Date.parse(time),
    category: 'api',
    service: defaults.service,
    action: defaults.action,
    outcome: 'success',
    providerGenerated: false,
    actor: defaults.actor,
    targets: [],
    resources: [],
    src: { ip: '198.51.100.7', userAgent: 'test-agent' },
    origin: { location: 'test/unit', index: sequence },
    raw: {},
    ...overrides,
  };
}

const SIGN_IN: Readonly<Record<Cloud, Partial<AuditEvent>>> = {
  aws: { source: 'aws.cloudtrail', service: 'signin.amazonaws.com', action: 'ConsoleLogin' },
  gcp: {
    source: 'gcp.workspace-login',
    service: 'login.googleapis.com',
    action: 'google.login.LoginService.loginSuccess',
  },
  azure: { source: 'azure.signin', service: 'SignInLogs', action: 'Sign-in activity' },
  vault: { source: 'vault.audit', service: 'vault', action: 'update' },
};

/** A successful sign-in with MFA; override `outcome`, `mfa`, `actor`… */
export function signInEvent(overrides: Partial<AuditEvent> = {}): AuditEvent {
  const cloud = overrides.cloud ?? 'aws';
  return auditEvent({
    category: 'authentication',
    mfa: { used: true, methods: ['TOTP'] },
    ...SIGN_IN[cloud],
    ...overrides,
  });
}
