import type { AuditEvent } from '../../shared/core/model/audit-event.js';
import { normalizeCloudTrail } from '../../shared/core/normalize/aws/index.js';
import { readFixtureJsonl } from './fixtures.js';

/** The AWS identity shapes written from the vendor documentation (test/fixtures/aws/written-from-docs). */
export const IDENTITY_SHAPES_FILE = 'aws/written-from-docs/identity_shapes.jsonl';

export type IdentityShape =
  | 'saml'
  | 'web-identity'
  | 'assume-role-denied'
  | 'assume-role-mfa'
  | 'role-session-activity'
  | 'create-access-key-for-user'
  | 'identity-center-user'
  | 'gov-root-console-login'
  | 'root-login-account-a'
  | 'root-login-account-b';

interface Row {
  name: IdentityShape;
  doc: string;
  event: Record<string, unknown>;
}

const rows = readFixtureJsonl<Row>(IDENTITY_SHAPES_FILE);

/** The raw CloudTrail record of one shape (a fresh copy). */
export function identityRecord(name: IdentityShape): Record<string, unknown> {
  const row = rows.find((r) => r.name === name);
  if (!row) throw new Error(`${IDENTITY_SHAPES_FILE}: no row named ${name}`);
  return structuredClone(row.event);
}

/** The normalized event of one shape. */
export function identityEvent(name: IdentityShape): AuditEvent {
  const line = rows.findIndex((r) => r.name === name) + 1;
  return normalizeCloudTrail(identityRecord(name), { location: IDENTITY_SHAPES_FILE, line });
}

/** A registry watching the identities of the shapes above, one entry per form the registry accepts. */
export const IDENTITY_REGISTRY = `
accounts:
  - id: bg-role
    cloud: aws
    match: { arn: "arn:aws:iam::111122223333:role/ops/BreakGlass" }
  - id: bg-user
    cloud: aws
    match: { arn: "arn:aws:iam::111122223333:user/emergency/BreakGlassUser" }
  - id: bg-saml-role
    cloud: aws
    match: { arn: "arn:aws:iam::444455556666:role/SAMLTestRoleShibboleth" }
  - id: bg-web-role
    cloud: aws
    match: { arn: "arn:aws:iam::444455556666:role/FederatedWebIdentityRole" }
  - id: gov-root
    cloud: aws
    match: { arn: "arn:aws-us-gov:iam::210987654321:root" }
  - id: every-root
    cloud: aws
    match: { arn: "arn:aws:iam::*:root" }
  - id: bg-idc
    cloud: aws
    match: { userName: bg-idc-admin, accountId: "111122223333" }
`;
