import { describe, expect, it } from 'vitest';
import { pageMessage } from '../../../shared/core/act/render/page.js';
import { openIncident } from '../../../shared/core/correlate/session.js';
import { detect } from '../../../shared/core/detect/index.js';
import type { AuditEvent } from '../../../shared/core/model/audit-event.js';
import { normalizeAzureDiagnostic } from '../../../shared/core/normalize/azure/index.js';
import { parseRegistry, RegistryMatcher } from '../../../shared/core/registry/index.js';
import { readFixtureJsonl } from '../../support/fixtures.js';

/**
 * Entra sign-ins written from the Graph signIn/authenticationDetail references: the principal is the UPN
 * (object id when none) with the display name beside it, any 8-4-4-4-12 GUID is an object id, and
 * `singleFactorAuthentication` alone never proves "without MFA".
 */

const FILE = 'azure/written-from-docs/entra_signin_shapes.jsonl';
const rows = readFixtureJsonl<{ name: string; record: unknown }>(FILE);
const event = (name: string): AuditEvent => {
  const line = rows.findIndex((r) => r.name === name);
  return normalizeAzureDiagnostic(rows[line]?.record, { location: FILE, line: line + 1 });
};

const matcher = new RegistryMatcher(
  parseRegistry(
    `accounts:
  - id: entra-ea1
    cloud: azure
    match: { userPrincipalName: EA1@contoso.com, objectId: 8F2A7C51-3B4E-0D6A-1C1E-2B7D5E0F9A13 }
`,
    'entra.yaml',
  ),
);
const kinds = (name: string) => detect(event(name), matcher).findings.map((f) => f.kind);
const page = (name: string) => {
  const [first] = detect(event(name), matcher).findings;
  if (!first) throw new Error(`${name}: no finding`);
  return pageMessage(openIncident(first, matcher), 'opened');
};
const fact = (name: string, label: string) => page(name).facts.find((f) => f.label === label)?.value;

describe('Entra principal', () => {
  it('names the UPN with the display name beside it, in the finding and the page', () => {
    const [finding] = detect(event('password-only'), matcher).findings;
    expect(finding?.principal).toBe('ea1@contoso.com (Emergency Admin 1)');
    expect(page('password-only').headline).toMatch(/^ea1@contoso\.com \(Emergency Admin 1\) signed in to Azure/);
  });

  it('names the object id when the record has no UPN, and matches a GUID without RFC 4122 version bits', () => {
    expect(event('object-id-only').actor).toMatchObject({ display: '8f2a7c51-3b4e-0d6a-1c1e-2b7d5e0f9a13' });
    expect(kinds('object-id-only')).toEqual(['signin.success']);
    expect(fact('object-id-only', 'Principal')).toBe('8f2a7c51-3b4e-0d6a-1c1e-2b7d5e0f9a13');
  });
});

describe('Entra MFA evidence', () => {
  it('an MFA requirement satisfied by a token claim is with MFA, though MFA was not required', () => {
    expect(event('token-claim-mfa').mfa?.used).toBe(true);
    expect(kinds('token-claim-mfa')).toEqual(['signin.success']);
    expect(fact('token-claim-mfa', 'MFA')).toMatch(/^with MFA/);
  });

  it('a single password step under singleFactorAuthentication is provably without MFA', () => {
    expect(kinds('password-only')).toEqual(['signin.success', 'signin.without-mfa']);
    expect(fact('password-only', 'MFA')).toBe('without MFA (Password)');
  });

  it('a passkey or a password plus push is with MFA', () => {
    expect(kinds('passkey')).toEqual(['signin.success']);
    expect(fact('passkey', 'MFA')).toBe('with MFA (Passkey (device-bound), phishing-resistant)');
    expect(fact('push-after-password', 'MFA')).toBe(
      'with MFA (Password, Mobile app notification, phishable second factor)',
    );
  });

  it('singleFactorAuthentication without steps is MFA unknown and fires nothing beyond the sign-in', () => {
    expect(event('no-details').mfa?.used).toBeUndefined();
    expect(kinds('no-details')).toEqual(['signin.success']);
    expect(page('no-details').headline).toContain(' · MFA unknown · ');
  });
});
