import { describe, expect, it } from 'vitest';
import { parseRegistry, RegistryError, RegistryMatcher } from '../../../shared/core/registry/index.js';

const VALID = `
accounts:
  - id: aws-prod-root
    cloud: aws
    match: { arn: "arn:aws:iam::111122223333:root" }
    owners: [lead@example.com]
  - id: aws-any-root
    cloud: aws
    match: { arn: "arn:aws:iam::*:root" }
  - id: aws-breakglass-user
    cloud: aws
    match: { userName: BreakGlass, accountId: "444455556666" }
  - id: gcp-super
    cloud: gcp
    match: { email: Break.Glass@Example.com }
  - id: entra-ea1
    cloud: azure
    match: { userPrincipalName: EA1@contoso.onmicrosoft.com }
    sessionGapMinutes: 30
drills:
  - { account: aws-prod-root, start: "2026-11-18T14:00:00Z", end: "2026-11-18T16:00:00Z" }
`;

function errorOf(text: string): RegistryError {
  try {
    parseRegistry(text, 'registry.yaml');
  } catch (error) {
    if (error instanceof RegistryError) return error;
    throw error;
  }
  throw new Error('expected a RegistryError');
}

describe('parseRegistry', () => {
  it('accepts the documented shape and fills defaults', () => {
    const registry = parseRegistry(VALID, 'registry.yaml');
    expect(registry.accounts).toHaveLength(5);
    expect(registry.defaults.sessionGapMinutes).toBe(60);
    expect(registry.drills[0]?.account).toBe('aws-prod-root');
  });

  it.each([
    [
      'an unknown key, naming index, id and key',
      VALID.replace('owners:', 'ownerz:'),
      /accounts\[0\] \(id aws-prod-root\).*unknown key\(s\) "ownerz"/,
    ],
    ['a bad cloud', VALID.replace('cloud: gcp', 'cloud: oracle'), /accounts\[3\] \(id gcp-super\) field cloud/],
    [
      'a bad email, naming the field',
      VALID.replace('Break.Glass@Example.com', 'not-an-email'),
      /accounts\[3\] \(id gcp-super\) field match\.email/,
    ],
    [
      'arn and userName together',
      VALID.replace('{ arn: "arn:aws:iam::111122223333:root" }', '{ arn: "x", userName: y }'),
      /accounts\[0\] \(id aws-prod-root\) field match/,
    ],
    [
      'a duplicate id',
      VALID.replace('id: aws-any-root', 'id: aws-prod-root'),
      /accounts\[1\] \(id aws-prod-root\) field id: duplicate of accounts\[0\]/,
    ],
    [
      'a drill for an unknown account',
      VALID.replace('{ account: aws-prod-root,', '{ account: nobody,'),
      /drills\[0\] \(account nobody\) field account/,
    ],
    [
      'a drill ending before it starts',
      VALID.replace('16:00:00Z', '13:00:00Z'),
      /drills\[0\] \(account aws-prod-root\) field end: start must be before end/,
    ],
    [
      'a bad account id',
      VALID.replace('"444455556666"', '"4444"'),
      /accounts\[2\] \(id aws-breakglass-user\) field match\.accountId/,
    ],
    ['no accounts', 'accounts: []', /accounts: at least one break-glass account/],
    ['broken YAML, with its line', 'accounts:\n  - id: [unclosed\n', /YAML .* at line \d/],
  ])('refuses %s', (_label, text, message) => {
    const error = errorOf(text);
    expect(error.message).toMatch(/^registry\.yaml: invalid break-glass registry/);
    expect(error.message).toMatch(message);
  });
});

describe('RegistryMatcher', () => {
  const matcher = new RegistryMatcher(parseRegistry(VALID, 'registry.yaml'));

  it('matches exact and wildcard ARNs, exact first', () => {
    expect(matcher.match('aws', { arn: 'arn:aws:iam::111122223333:root' })?.id).toBe('aws-prod-root');
    expect(matcher.match('aws', { arn: 'arn:aws:iam::999988887777:root' })?.id).toBe('aws-any-root');
    expect(matcher.match('aws', { arn: 'arn:aws:iam::999988887777:user/root' })).toBeUndefined();
  });

  it('matches user names within their account, case-insensitively', () => {
    expect(matcher.match('aws', { userName: 'breakglass', accountId: '444455556666' })?.id).toBe('aws-breakglass-user');
    expect(matcher.match('aws', { userName: 'BreakGlass', arn: 'arn:aws:iam::444455556666:user/BreakGlass' })?.id).toBe(
      'aws-breakglass-user',
    );
    expect(matcher.match('aws', { userName: 'BreakGlass', accountId: '000000000000' })).toBeUndefined();
    // A target known only by its ARN (IAM APIs name users by ARN in some responses).
    expect(matcher.match('aws', { arn: 'arn:aws:iam::444455556666:user/ops/BreakGlass' })?.id).toBe(
      'aws-breakglass-user',
    );
    expect(matcher.match('aws', { arn: 'arn:aws:iam::444455556666:role/BreakGlass' })).toBeUndefined();
  });

  it('compares emails and UPNs case-insensitively, and never across clouds', () => {
    expect(matcher.match('gcp', { email: 'break.glass@example.COM' })?.id).toBe('gcp-super');
    expect(matcher.match('azure', { upn: 'ea1@CONTOSO.onmicrosoft.com' })?.id).toBe('entra-ea1');
    expect(matcher.match('azure', { email: 'break.glass@example.com' })).toBeUndefined();
    expect(matcher.match('gcp', { upn: 'ea1@contoso.onmicrosoft.com' })).toBeUndefined();
  });

  it('knows drill windows and session gaps', () => {
    expect(matcher.drillAt('aws-prod-root', Date.parse('2026-11-18T15:00:00Z'))).toBeDefined();
    expect(matcher.drillAt('aws-prod-root', Date.parse('2026-11-18T16:00:01Z'))).toBeUndefined();
    expect(matcher.sessionGapMs('entra-ea1')).toBe(30 * 60_000);
    expect(matcher.sessionGapMs(null)).toBe(60 * 60_000);
  });
});
