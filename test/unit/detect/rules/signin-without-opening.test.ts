import { describe, expect, it } from 'vitest';
import { detect } from '../../../../shared/core/detect/engine.js';
import { normalizeCloudTrail } from '../../../../shared/core/normalize/aws/cloudtrail.js';
import { parseRegistry, RegistryMatcher } from '../../../../shared/core/registry/index.js';

/**
 * The detect-stage half of "signed in without opening the vault": every successful sign-in of an
 * account that declares a store is a candidate; the correlate stage keeps it only when no opening was
 * recorded in the window (test/integration/store/signin-without-opening.test.ts).
 */
const registry = new RegistryMatcher(
  parseRegistry(
    `accounts:
  - id: with-store
    cloud: aws
    match: { arn: "arn:aws:iam::111122223333:root" }
    credential: { stores: [{ secretsManager: prod/breakglass/root }] }
  - { id: without-store, cloud: aws, match: { arn: "arn:aws:iam::444455556666:root" } }`,
    'signin-without-opening.test.yaml',
  ),
);

/** A root ConsoleLogin as the CloudTrail console sign-in events page documents it. */
function consoleLogin(account: string, outcome: 'Success' | 'Failure') {
  return normalizeCloudTrail(
    {
      eventVersion: '1.08',
      userIdentity: { type: 'Root', principalId: account, arn: `arn:aws:iam::${account}:root`, accountId: account },
      eventTime: '2026-11-20T10:00:00Z',
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      awsRegion: 'us-east-1',
      sourceIPAddress: '203.0.113.7',
      userAgent: 'Mozilla/5.0',
      requestParameters: null,
      responseElements: { ConsoleLogin: outcome },
      additionalEventData: { MFAUsed: 'Yes', LoginTo: 'https://console.aws.amazon.com/' },
      eventID: `login-${account}-${outcome}`,
      eventType: 'AwsConsoleSignIn',
      recipientAccountId: account,
    },
    { location: 'signin-without-opening.test.ts' },
  );
}

const kinds = (account: string, outcome: 'Success' | 'Failure') =>
  detect(consoleLogin(account, outcome), registry).findings.map((f) => f.kind);

describe('signin-without-opening', () => {
  it('fires (as a candidate for the correlate stage) on a successful sign-in of an account with a declared store', () => {
    expect(kinds('111122223333', 'Success')).toContain('signin.without-opening');
    expect(kinds('111122223333', 'Success')).toContain('signin.success');
  });

  it('does not fire for an account that declares no store, or on a failed sign-in', () => {
    expect(kinds('444455556666', 'Success')).not.toContain('signin.without-opening');
    expect(kinds('111122223333', 'Failure')).not.toContain('signin.without-opening');
  });
});
