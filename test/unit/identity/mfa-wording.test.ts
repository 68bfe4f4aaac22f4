import { describe, expect, it } from 'vitest';
import { pageMessage } from '../../../shared/core/act/render/page.js';
import { openIncident } from '../../../shared/core/correlate/session.js';
import { detect } from '../../../shared/core/detect/index.js';
import { parseRegistry, RegistryMatcher } from '../../../shared/core/registry/index.js';
import { IDENTITY_REGISTRY, type IdentityShape, identityEvent } from '../../support/identity-shapes.js';

/** The page's MFA wording is one of three, and "without MFA" only when the AWS record proves it. */

const matcher = new RegistryMatcher(parseRegistry(IDENTITY_REGISTRY, 'identity.yaml'));
const mfaFact = (name: IdentityShape) => {
  const [first] = detect(identityEvent(name), matcher).findings;
  if (!first) throw new Error(`${name}: no finding`);
  return pageMessage(openIncident(first, matcher), 'opened').facts.find((f) => f.label === 'MFA')?.value;
};

describe('MFA wording on AWS pages', () => {
  it.each([
    ['root-login-account-a', 'without MFA'],
    ['gov-root-console-login', /^with MFA \(arn:aws-us-gov:iam::210987654321:u2f\/root\//],
    ['assume-role-mfa', 'with MFA (arn:aws:iam::777788889999:mfa/JohnDoe, phishable second factor)'],
    ['saml', 'MFA unknown'],
    ['web-identity', 'MFA unknown'],
    ['assume-role-denied', 'MFA unknown'],
    ['identity-center-user', 'with MFA (PASSWORD, WEBAUTHN, phishing-resistant)'],
  ] as const)('%s → %s', (name, wording) => {
    if (typeof wording === 'string') expect(mfaFact(name)).toBe(wording);
    else expect(mfaFact(name)).toMatch(wording);
  });
});
