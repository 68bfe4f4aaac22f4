import { describe, expect, it } from 'vitest';
import { auditTamper } from '../../../../shared/core/detect/rules/audit-tamper.js';
import type { AuditEvent } from '../../../../shared/core/model/audit-event.js';
import { auditEvent } from '../../../support/audit-events.js';
import { readFixtureJsonl } from '../../../support/fixtures.js';
import { AWS_ADMIN, AWS_ROOT, contextFor, GCP_ADMIN } from '../break-glass.js';

function evaluate(event: AuditEvent) {
  return auditTamper.evaluate(event, contextFor(event));
}

/** A real SetIamPolicy LogEntry (Panther test event): a binding delta, no audit config change. */
const [setIamPolicySample] = readFixtureJsonl<{ log: { protoPayload: Record<string, unknown> } }>(
  'gcp/panther/setiampolicy-binding-delta.jsonl',
);
if (!setIamPolicySample) throw new Error('fixture gcp/panther/setiampolicy-binding-delta.jsonl is empty');

/** The real record with audit config deltas added, shaped as google.iam.v1.AuditConfigDelta. */
function withAuditConfigDeltas(deltas: unknown[]): unknown {
  const log = structuredClone(setIamPolicySample?.log) as { protoPayload: Record<string, unknown> };
  const serviceData = log.protoPayload.serviceData as { policyDelta: Record<string, unknown> };
  serviceData.policyDelta.auditConfigDeltas = deltas;
  return log;
}

function setIamPolicy(raw: unknown): AuditEvent {
  return auditEvent({
    cloud: 'gcp',
    service: 'cloudresourcemanager.googleapis.com',
    action: 'SetIamPolicy',
    actor: GCP_ADMIN,
    raw,
  });
}

const stopLogging = (overrides: Partial<AuditEvent> = {}) =>
  auditEvent({ service: 'cloudtrail.amazonaws.com', action: 'StopLogging', actor: AWS_ADMIN, ...overrides });

describe('audit-tamper', () => {
  it('fires on StopLogging by a principal not in the registry, with no account', () => {
    expect(evaluate(stopLogging())).toEqual({ account: null, severity: 'critical', pagesAtOnce: true });
  });

  it('fires on a Glasswatch function’s code replaced at medium severity: a ticket when CloudFormation deployed it, a page when made directly', () => {
    const deployed = auditEvent({
      service: 'lambda.amazonaws.com',
      action: 'UpdateFunctionCode20150331v2',
      raw: {
        sourceIPAddress: 'cloudformation.amazonaws.com',
        userIdentity: { invokedBy: 'cloudformation.amazonaws.com' },
      },
    });
    expect(evaluate(deployed)).toEqual({ account: null, severity: 'medium', pagesAtOnce: false });
    const direct = auditEvent({ service: 'lambda.amazonaws.com', action: 'UpdateFunctionCode20150331v2' });
    expect(evaluate(direct)).toEqual({ account: null, severity: 'medium', pagesAtOnce: true });
  });

  it('fires on a failed StopLogging: an attempt to blind us is news', () => {
    expect(evaluate(stopLogging({ outcome: 'failure', failureReason: 'AccessDenied' }))).toMatchObject({
      account: null,
    });
  });

  it('fires on StopLogging by root, naming the account', () => {
    expect(evaluate(stopLogging({ actor: AWS_ROOT }))?.account?.id).toBe('aws-prod-root');
  });

  it.each([
    ['cloudtrail.amazonaws.com', 'PutEventSelectors'],
    ['events.amazonaws.com', 'RemoveTargets'],
    ['organizations.amazonaws.com', 'LeaveOrganization'],
  ])('fires on AWS %s %s', (service, action) => {
    expect(evaluate(auditEvent({ service, action }))).toMatchObject({ account: null });
  });

  it('fires on GCP sink deletion and exclusion creation (fully qualified method names)', () => {
    for (const action of [
      'google.logging.v2.ConfigServiceV2.DeleteSink',
      'google.logging.v2.ConfigServiceV2.CreateExclusion',
    ]) {
      expect(evaluate(auditEvent({ cloud: 'gcp', service: 'logging.googleapis.com', action }))).toMatchObject({
        account: null,
      });
    }
  });

  it('fires on Azure and Entra diagnostic settings deletion, whatever the case', () => {
    for (const action of [
      'MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/DELETE',
      'Microsoft.Insights/diagnosticSettings/delete',
      'microsoft.aadiam/diagnosticSettings/delete',
    ]) {
      expect(evaluate(auditEvent({ cloud: 'azure', service: 'Microsoft.Insights', action }))).toMatchObject({
        account: null,
      });
    }
  });

  it('fires on SetIamPolicy that removes a Data Access log type', () => {
    const raw = withAuditConfigDeltas([{ action: 'REMOVE', service: 'allServices', logType: 'DATA_READ' }]);
    expect(evaluate(setIamPolicy(raw))).toMatchObject({ account: null });
  });

  it('fires on SetIamPolicy that exempts a member from audit logging', () => {
    const raw = withAuditConfigDeltas([
      { action: 'ADD', service: 'storage.googleapis.com', logType: 'DATA_READ', exemptedMember: 'user:x@example.com' },
    ]);
    expect(evaluate(setIamPolicy(raw))).toMatchObject({ account: null });
  });

  it('does not fire on the real SetIamPolicy sample, which only changes a binding', () => {
    expect(evaluate(setIamPolicy(setIamPolicySample.log))).toBeUndefined();
  });

  it('does not fire on SetIamPolicy that enables logging or removes an exemption', () => {
    const enable = withAuditConfigDeltas([{ action: 'ADD', service: 'allServices', logType: 'DATA_WRITE' }]);
    const unexempt = withAuditConfigDeltas([
      { action: 'REMOVE', service: 'allServices', logType: 'DATA_READ', exemptedMember: 'user:x@example.com' },
    ]);
    expect(evaluate(setIamPolicy(enable))).toBeUndefined();
    expect(evaluate(setIamPolicy(unexempt))).toBeUndefined();
  });

  it('does not fire on malformed audit config deltas', () => {
    for (const deltas of [null, 'REMOVE', [null, 'REMOVE', 42]]) {
      const raw = { protoPayload: { serviceData: { policyDelta: { auditConfigDeltas: deltas } } } };
      expect(evaluate(setIamPolicy(raw))).toBeUndefined();
    }
    expect(evaluate(setIamPolicy(undefined))).toBeUndefined();
  });

  it('does not fire on StartLogging, or on a tamper action name under another service', () => {
    expect(evaluate(stopLogging({ action: 'StartLogging' }))).toBeUndefined();
    expect(evaluate(auditEvent({ service: 'waf.amazonaws.com', action: 'DeleteRule' }))).toBeUndefined();
    expect(
      evaluate(auditEvent({ cloud: 'gcp', service: 'storage.googleapis.com', action: 'DeleteBucket' })),
    ).toBeUndefined();
  });

  const settingWrite = (requestbody: unknown) =>
    auditEvent({
      cloud: 'azure',
      action: 'MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/WRITE',
      resources: ['/subscriptions/s1/providers/microsoft.insights/diagnosticSettings/siem'],
      raw: { Properties: { requestbody: JSON.stringify(requestbody) } },
    });

  it('does not fire on a subscription setting written with the Activity categories verify needs and a destination', () => {
    const logs = ['Administrative', 'Security', 'Policy'].map((category) => ({ category, enabled: true }));
    expect(evaluate(settingWrite({ properties: { workspaceId: '/w', logs } }))).toBeUndefined();
    expect(evaluate(settingWrite({ properties: { workspaceId: '/w', logs: logs.slice(0, 2) } }))).toMatchObject({
      severity: 'high',
    });
  });

  it('fires on a diagnostic setting written without Administrative, or whose body cannot be read', () => {
    const body = { properties: { workspaceId: '/w', logs: [{ category: 'Administrative', enabled: false }] } };
    expect(evaluate(settingWrite(body))).toMatchObject({ severity: 'high' });
    expect(evaluate({ ...settingWrite(null), raw: {} })).toMatchObject({ severity: 'high' });
  });
});
