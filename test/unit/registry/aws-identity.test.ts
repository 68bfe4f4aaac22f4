import { describe, expect, it } from 'vitest';
import { iamIdentity, iamKey } from '../../../shared/core/registry/aws-identity.js';

/** iamIdentity keeps the identities of recent ARNs: asked again, it must answer exactly as the first time. */
describe('iamIdentity', () => {
  const shapes: [string, ReturnType<typeof iamIdentity>][] = [
    ['arn:aws:iam::111122223333:root', { partition: 'aws', account: '111122223333', kind: 'root', name: '' }],
    [
      'arn:aws:iam::111122223333:user/ops/Break-Glass',
      { partition: 'aws', account: '111122223333', kind: 'user', name: 'Break-Glass' },
    ],
    [
      'arn:aws:iam::111122223333:user/ops/break-glass',
      { partition: 'aws', account: '111122223333', kind: 'user', name: 'break-glass' },
    ],
    [
      'arn:aws-us-gov:sts::111122223333:assumed-role/Admin/s-1',
      { partition: 'aws-us-gov', account: '111122223333', kind: 'role', name: 'Admin' },
    ],
    ['arn:aws:iam::111122223333:user/', undefined],
    ['arn:aws:s3:::bucket', undefined],
    ['not an arn', undefined],
  ];

  it('answers the same for an ARN asked again, and never one ARN for another (case included)', () => {
    for (let round = 0; round < 3; round++) {
      for (const [arn, expected] of shapes) expect(iamIdentity(arn), `${arn} (round ${round})`).toEqual(expected);
    }
    expect(iamIdentity(undefined)).toBeUndefined();
  });

  it('hands out kept identities frozen, so no caller can change another’s', () => {
    const first = iamIdentity('arn:aws:iam::111122223333:user/frozen');
    const second = iamIdentity('arn:aws:iam::111122223333:user/frozen');
    expect(second).toBe(first);
    expect(Object.isFrozen(second)).toBe(true);
  });

  it('reads ARNs past the kept length, and more ARNs than are kept, the same way', () => {
    const long = `arn:aws:iam::111122223333:user/${'p/'.repeat(200)}Name`;
    expect(iamIdentity(long)).toMatchObject({ kind: 'user', name: 'Name' });
    for (let i = 0; i < 5000; i++) {
      const identity = iamIdentity(`arn:aws:iam::111122223333:role/r${i}`);
      if (!identity || iamKey(identity) !== `111122223333:role/r${i}`)
        throw new Error(`role r${i}: ${JSON.stringify(identity)}`);
    }
    expect(iamIdentity('arn:aws:iam::111122223333:root')).toMatchObject({ kind: 'root' });
  });
});
