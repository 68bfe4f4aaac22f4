import { describe, expect, it } from 'vitest';
import { latestVersions } from '../../../shared/core/model/incident.js';
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
