import { describe, expect, it } from 'vitest';
import { parseRegistry, RegistryError, RegistryMatcher } from '../../../shared/core/registry/index.js';

/** Emergency groups (`groups:`) and Conditional Access exclusion groups (`caExclusionGroups`). */

const BASE = `accounts:
  - { id: entra-ea1, cloud: azure, match: { userPrincipalName: ea1@contoso.com }, caExclusionGroups: ["3c9e1f2a-7b6d-4e5c-8a9b-0c1d2e3f4a5b"] }
`;

function messageOf(text: string): string {
  try {
    parseRegistry(text, 'registry.yaml');
  } catch (error) {
    if (error instanceof RegistryError) return error.message;
    throw error;
  }
  throw new Error('expected a RegistryError');
}

describe('registry groups', () => {
  it('finds each group by cloud and id or e-mail, case-insensitively, with its role', () => {
    const matcher = new RegistryMatcher(
      parseRegistry(
        `${BASE}groups:
  - { id: g-entra, cloud: azure, match: { groupId: "6a1d3e5f-2b4c-4d8e-9f10-1a2b3c4d5e6f" } }
  - { id: g-google, cloud: gcp, match: { groupEmail: emergency@example.com } }`,
        'registry.yaml',
      ),
    );
    expect(matcher.groups.roles('azure', { id: '6A1D3E5F-2B4C-4D8E-9F10-1A2B3C4D5E6F' })).toMatchObject([
      { kind: 'emergency-group', entry: { id: 'g-entra' } },
    ]);
    expect(matcher.groups.roles('gcp', { email: 'Emergency@Example.com' })).toMatchObject([
      { entry: { id: 'g-google' } },
    ]);
    expect(matcher.groups.roles('azure', { id: '3c9e1f2a-7b6d-4e5c-8a9b-0c1d2e3f4a5b' })).toMatchObject([
      { kind: 'ca-exclusion', entry: { id: 'entra-ea1' } },
    ]);
    expect(matcher.groups.roles('aws', { id: '6a1d3e5f-2b4c-4d8e-9f10-1a2b3c4d5e6f' })).toEqual([]);
  });

  it.each([
    [
      'a group id that is not a GUID',
      `${BASE}groups: [{ id: g, cloud: azure, match: { groupId: admins } }]`,
      /groups\[0\] \(id g\) field match\.groupId: a GUID/,
    ],
    [
      'an unknown match key',
      `${BASE}groups: [{ id: g, cloud: gcp, match: { email: a@example.com } }]`,
      /groups\[0\] \(id g\) field match: unknown key\(s\) "email"/,
    ],
    [
      'a group id already used by an account',
      `${BASE}groups: [{ id: entra-ea1, cloud: gcp, match: { groupEmail: a@example.com } }]`,
      /groups\[0\] \(id entra-ea1\) field id: duplicate of accounts\[0\]/,
    ],
    [
      'a CA exclusion group that is not a GUID',
      'accounts: [{ id: e, cloud: azure, match: { userPrincipalName: e@contoso.com }, caExclusionGroups: [x] }]',
      /accounts\[0\] \(id e\) field caExclusionGroups\.0: a GUID/,
    ],
  ])('refuses %s', (_label, text, message) => {
    expect(messageOf(text)).toMatch(message);
  });
});
