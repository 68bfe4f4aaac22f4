import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detect, ruleContext } from '../../../shared/core/detect/engine.js';
import { RULES } from '../../../shared/core/detect/rules/index.js';
import type { AuditEvent, Cloud, PrincipalRef, SourceKind } from '../../../shared/core/model/audit-event.js';
import { auditEvent } from '../../support/audit-events.js';
import {
  AWS_ADMIN,
  AWS_BREAKGLASS_USER,
  AWS_ROOT,
  ENTRA_ADMIN,
  ENTRA_EMERGENCY,
  GCP_ADMIN,
  GCP_SUPER_ADMIN,
  matcher,
} from './break-glass.js';

/** Principals per cloud, break-glass and not, so generated events hit both sides of the early exit. */
const PRINCIPALS: Record<Cloud, PrincipalRef[]> = {
  aws: [AWS_ROOT, AWS_BREAKGLASS_USER, AWS_ADMIN, { userName: 'bob', accountId: '111122223333' }],
  gcp: [GCP_SUPER_ADMIN, GCP_ADMIN, { email: 'backdoor@example.com' }],
  azure: [ENTRA_EMERGENCY, ENTRA_ADMIN, { objectId: '00000000-0000-4000-8000-000000000000' }],
  vault: [{ entityId: 'e2853091-6c3c-2200-3ff7-0b664ed70c4d' }],
};

/** Actions from the rule tables and a few that match nothing. */
const SERVICE_ACTIONS: [string, string][] = [
  ['cloudtrail.amazonaws.com', 'StopLogging'],
  ['iam.amazonaws.com', 'CreateAccessKey'],
  ['signin.amazonaws.com', 'ConsoleLogin'],
  ['ec2.amazonaws.com', 'RunInstances'],
  ['logging.googleapis.com', 'google.logging.v2.ConfigServiceV2.DeleteSink'],
  ['cloudresourcemanager.googleapis.com', 'SetIamPolicy'],
  ['login.googleapis.com', 'google.login.LoginService.2svDisable'],
  ['admin.googleapis.com', 'CHANGE_PASSWORD'],
  ['Microsoft.Insights', 'Microsoft.Insights/diagnosticSettings/delete'],
  ['Microsoft.Authorization', 'Microsoft.Authorization/roleAssignments/write'],
  ['Core Directory', 'Update user'],
];

const SOURCES: SourceKind[] = [
  'aws.cloudtrail',
  'gcp.audit',
  'gcp.workspace-login',
  'azure.signin',
  'azure.audit',
  'azure.activity',
  'azure.keyvault',
];

const eventArb = fc
  .constantFrom<Cloud>('aws', 'gcp', 'azure')
  .chain((cloud) =>
    fc.record({
      cloud: fc.constant(cloud),
      source: fc.constantFrom(...SOURCES),
      serviceAction: fc.oneof(fc.constantFrom(...SERVICE_ACTIONS), fc.tuple(fc.string(), fc.string())),
      category: fc.constantFrom('authentication', 'api') as fc.Arbitrary<AuditEvent['category']>,
      outcome: fc.constantFrom('success', 'failure', 'unknown') as fc.Arbitrary<AuditEvent['outcome']>,
      providerGenerated: fc.boolean(),
      actor: fc.constantFrom(...PRINCIPALS[cloud]),
      authenticatedAs: fc.option(fc.constantFrom(...PRINCIPALS[cloud]), { nil: undefined }),
      targets: fc.subarray(PRINCIPALS[cloud]),
      mfaUsed: fc.constantFrom(true, false, undefined),
    }),
  )
  .map(
    (g): AuditEvent =>
      auditEvent({
        cloud: g.cloud,
        source: g.source,
        service: g.serviceAction[0],
        action: g.serviceAction[1],
        category: g.category,
        outcome: g.outcome,
        providerGenerated: g.providerGenerated,
        actor: { type: 'User', display: 'generated', ...g.actor },
        authenticatedAs: g.authenticatedAs,
        targets: g.targets,
        mfa: { used: g.mfaUsed, methods: [] },
      }),
  );

describe('detect early exit (property)', () => {
  it('rules that declare needsBreakGlass never fire without a break-glass actor, caller or target', () => {
    fc.assert(
      fc.property(eventArb, (event) => {
        const ctx = ruleContext(event, matcher);
        if (ctx.actorAccount || ctx.targetAccount || ctx.caller) return;
        for (const rule of RULES) if (rule.needsBreakGlass) expect(rule.evaluate(event, ctx)).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });

  it('finds exactly what running every rule would find', () => {
    fc.assert(
      fc.property(eventArb, (event) => {
        const ctx = ruleContext(event, matcher);
        const expected = RULES.filter((rule) => rule.evaluate(event, ctx)).map((rule) => rule.id);
        expect(detect(event, matcher).findings.map((f) => f.ruleId)).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
