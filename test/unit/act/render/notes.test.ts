import { describe, expect, it } from 'vitest';
import { incidentNotes } from '../../../../shared/core/act/render/notes.js';
import { awsActivity } from '../support/incidents.js';

const denied = (action: string, service = 'iam.amazonaws.com') =>
  awsActivity({ service, action, outcome: 'failure', failureReason: 'AccessDenied' });

describe('incident notes', () => {
  it('a long session of denied calls: each distinct call once, in order of first sight, then a count', () => {
    const events = Array.from({ length: 600 }, (_, i) => denied(`Action${i % 15}`));
    const { flags } = incidentNotes(events);
    expect(flags).toHaveLength(11);
    expect(flags[0]).toBe('denied: iam.amazonaws.com Action0 (AccessDenied)');
    expect(flags[9]).toBe('denied: iam.amazonaws.com Action9 (AccessDenied)');
    expect(flags[10]).toBe('… and 5 more');
  });

  it('is one note per distinct text: parts that read the same are one, parts that only split differently are two', () => {
    const { flags } = incidentNotes([
      denied('Delete\u202ETrail'),
      denied('DeleteTrail'),
      denied('A\u0000B', 'iam'),
      denied('B', 'iam\u0000A'),
    ]);
    expect(flags).toEqual([
      'denied: iam.amazonaws.com DeleteTrail (AccessDenied)',
      'denied: iam AB (AccessDenied)',
      'denied: iamA B (AccessDenied)',
    ]);
  });
});
