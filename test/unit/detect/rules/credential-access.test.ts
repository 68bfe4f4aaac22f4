import { describe, expect, it } from 'vitest';
import { normalizeCloudTrail } from '../../../../shared/core/normalize/aws/cloudtrail.js';
import { readFixtureJson } from '../../../support/fixtures.js';
import { aws, findings, gcp } from '../credential-world.js';

describe('credential-access (AWS Secrets Manager and Parameter Store)', () => {
  it('fires high on the owning account (not the reader) when an approved reader opens the envelope is a high finding on the owning account, not on the reader', () => {
    const [finding] = findings(aws.get('custodian-get-full-arn'), 'credential.access');
    expect(finding).toMatchObject({ account: 'aws-prod-root', correlationKey: 'acct:aws-prod-root', severity: 'high' });
    expect(finding?.title).toBe(
      'Break-glass credential read from its store: GetSecretValue (read by an approved reader; AWS Secrets Manager prod/breakglass/root)',
    );
    expect(finding?.principal).toContain('BreakGlassCustodian');
    // Kept on the incident's event: the page and the posture report read the store and the verdict there.
    expect(finding?.opening).toEqual({ store: 'AWS Secrets Manager prod/breakglass/root', approval: 'approved' });
  });

  it('fires critical, "outside the approval path", for anyone else, "outside the approval path" — by name, in a batch, or denied', () => {
    for (const row of ['dev-get-name', 'batch-list', 'dev-get-denied']) {
      const [finding] = findings(aws.get(row), 'credential.access');
      expect(finding, row).toMatchObject({ account: 'aws-prod-root', severity: 'critical' });
      expect(finding?.title, row).toContain('credential read outside the approval path');
      expect(finding?.opening?.approval, row).toBe('outside');
    }
  });

  it('does not fire for the rotation function reading the pending version (the rotation, not an opening)', () => {
    expect(findings(aws.get('rotation-read'), 'credential.access')).toEqual([]);
  });

  it('does not fire on another secret', () => {
    expect(findings(aws.get('other-secret'), 'credential.access')).toEqual([]);
  });

  it('fires on a decrypting Parameter Store read (by name or by a path above it) is an opening; without decryption it is not', () => {
    for (const row of ['ssm-get-decrypt', 'ssm-by-path']) {
      const [finding] = findings(aws.get(row), 'credential.access');
      expect(finding, row).toMatchObject({ account: 'entra-ea1', severity: 'high' });
      expect(finding?.title, row).toContain('approval path not declared');
      expect(finding?.opening?.approval, row).toBe('undeclared');
    }
    expect(findings(aws.get('ssm-get-no-decrypt'), 'credential.access')).toEqual([]);
  });

  it('fires on a real detonation (Stratus Red Team secretsmanager-retrieve-secrets) reading a registered secret is seen', () => {
    const file = readFixtureJson<{ Records: Record<string, unknown>[] } | Record<string, unknown>[]>(
      'aws/stratus-red-team/aws.credential-access.secretsmanager-retrieve-secrets.json',
    );
    const records = Array.isArray(file) ? file : file.Records;
    const events = records.map((r, i) => normalizeCloudTrail(r, { location: 'stratus', index: i }));
    const opened = events.flatMap((e) => findings(e, 'credential.access'));
    expect(opened).toHaveLength(
      events.filter((e) => JSON.stringify(e.raw).includes('stratus-red-team-retrieve-secret-18-')).length,
    );
    expect(opened.length).toBeGreaterThan(0);
    expect(new Set(opened.map((f) => f.account))).toEqual(new Set(['stratus-target']));
  });
});

describe('credential-access (Google Secret Manager)', () => {
  it('fires on AccessSecretVersion of any version of the named secret: approved reader high, anyone else critical; does not fire on another secret', () => {
    expect(findings(gcp.get('access-latest'), 'credential.access')[0]).toMatchObject({
      account: 'gcp-super-admin',
      severity: 'high',
    });
    expect(findings(gcp.get('access-denied'), 'credential.access')[0]).toMatchObject({
      account: 'gcp-super-admin',
      severity: 'critical',
    });
    expect(findings(gcp.get('access-other'), 'credential.access')).toEqual([]);
  });
});
