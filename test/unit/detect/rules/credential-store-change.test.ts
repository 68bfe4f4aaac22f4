import { describe, expect, it } from 'vitest';
import { aws, findings, gcp } from '../credential-world.js';

describe('credential-store-change', () => {
  it('fires when the break-glass secret is deleted', () => {
    const [finding] = findings(aws.get('delete-secret'), 'account.change');
    expect(finding).toMatchObject({ account: 'aws-prod-root', ruleId: 'credential-store-change' });
  });

  it('fires when a version of the Google secret is destroyed (a change to the super-admin account)', () => {
    expect(findings(gcp.get('destroy'), 'account.change')[0]).toMatchObject({ account: 'gcp-super-admin' });
  });
});

describe('credential-store-change (negative)', () => {
  it('does not fire on reads, or on a change to another secret', () => {
    expect(findings(aws.get('custodian-get-full-arn'), 'account.change')).toEqual([]);
    expect(findings(aws.get('other-secret'), 'account.change')).toEqual([]);
  });
});
