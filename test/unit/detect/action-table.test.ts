import { describe, expect, it } from 'vitest';
import { ActionSet, canonicalAction } from '../../../shared/core/detect/action-table.js';
import { auditEvent } from '../../support/audit-events.js';

describe('canonicalAction', () => {
  it('lower-cases AWS and Azure names and keeps them whole', () => {
    expect(canonicalAction('aws', 'StopLogging')).toBe('stoplogging');
    expect(canonicalAction('azure', 'Microsoft.Insights/diagnosticSettings/delete')).toBe(
      'microsoft.insights/diagnosticsettings/delete',
    );
  });

  it('makes the Cloud Logging and Reports API spellings of a GCP action meet', () => {
    expect(canonicalAction('gcp', 'google.login.LoginService.2svDisable')).toBe(canonicalAction('gcp', '2sv_disable'));
    expect(canonicalAction('gcp', 'google.admin.AdminService.changePassword')).toBe(
      canonicalAction('gcp', 'CHANGE_PASSWORD'),
    );
    expect(canonicalAction('gcp', 'google.logging.v2.ConfigServiceV2.DeleteSink')).toBe('deletesink');
  });
});

describe('ActionSet', () => {
  const set = new ActionSet({
    aws: [{ service: 'CloudTrail.amazonaws.com', actions: ['StopLogging'] }],
    azure: [{ actions: ['Microsoft.Insights/diagnosticSettings/delete'] }],
  });

  it('matches an action under its service, case-insensitively', () => {
    expect(set.has(auditEvent({ service: 'cloudtrail.amazonaws.com', action: 'stoplogging' }))).toBe(true);
  });

  it('matches an action listed without a service under any service', () => {
    const event = auditEvent({
      cloud: 'azure',
      service: 'anything',
      action: 'MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/DELETE',
    });
    expect(set.has(event)).toBe(true);
  });

  it('does not match the same name under another service or another cloud', () => {
    expect(set.has(auditEvent({ service: 'logs.amazonaws.com', action: 'StopLogging' }))).toBe(false);
    expect(set.has(auditEvent({ cloud: 'gcp', service: 'cloudtrail.amazonaws.com', action: 'StopLogging' }))).toBe(
      false,
    );
  });
});
