import { describe, expect, it } from 'vitest';
import { byFirstSeen, latestVersions } from '../../../shared/core/model/incident.js';
import { awsRootSignIn, incident } from '../act/support/incidents.js';

describe('latestVersions', () => {
  it('keeps each incident at its highest version, in the order the ids first appear', () => {
    const a1 = incident([awsRootSignIn()], { id: 'a', version: 1 });
    const b0 = incident([awsRootSignIn()], { id: 'b', version: 0 });
    const a3 = { ...a1, version: 3 };
    const a2 = { ...a1, version: 2 };
    const latest = latestVersions([a1, b0, a3, a2]);
    expect([...latest.keys()]).toEqual(['a', 'b']);
    expect(latest.get('a')).toBe(a3);
    expect(latest.get('b')).toBe(b0);
  });

  it('is empty for no incidents', () => {
    expect(latestVersions([]).size).toBe(0);
  });
});

describe('byFirstSeen', () => {
  it('orders incidents by when they were first seen, then by id', () => {
    const early = incident([awsRootSignIn()], { id: 'z', firstSeen: '2026-01-01T00:00:00Z' });
    const lateA = incident([awsRootSignIn()], { id: 'a', firstSeen: '2026-01-02T00:00:00Z' });
    const lateB = incident([awsRootSignIn()], { id: 'b', firstSeen: '2026-01-02T00:00:00Z' });
    expect([lateB, early, lateA].sort(byFirstSeen).map((i) => i.id)).toEqual(['z', 'a', 'b']);
  });
});
