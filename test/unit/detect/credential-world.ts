import { detect } from '../../../shared/core/detect/engine.js';
import type { AuditEvent } from '../../../shared/core/model/audit-event.js';
import type { Finding } from '../../../shared/core/model/finding.js';
import { normalizeCloudTrail } from '../../../shared/core/normalize/aws/cloudtrail.js';
import { normalizeGcpLogEntry } from '../../../shared/core/normalize/gcp/log-entry.js';
import { parseRegistry, RegistryMatcher } from '../../../shared/core/registry/index.js';
import { readFixtureJsonl } from '../../support/fixtures.js';

/**
 * Shared by the credential rules' tests. The opening of the envelope, on records written from the vendors' pages (test/fixtures/PROVENANCE.md)
 * and on a real Stratus Red Team detonation: the finding belongs to the account that owns the
 * credential, its severity and wording follow the approval path, rotation reads are not openings.
 */

export const registry = new RegistryMatcher(
  parseRegistry(
    `
accounts:
  - id: aws-prod-root
    cloud: aws
    match: { arn: "arn:aws:iam::111122223333:root" }
    rotation: { secretId: "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/breakglass/root" }
    credential:
      approvedReaders: ["arn:aws:iam::111122223333:role/BreakGlassCustodian"]
      rotationReaders: ["arn:aws:iam::111122223333:role/BreakGlassRotationFn"]
  - id: entra-ea1
    cloud: azure
    match: { userPrincipalName: ea1@contoso.com }
    credential: { stores: [{ ssmParameter: /breakglass/entra-ea1 }] }
  - id: gcp-super-admin
    cloud: gcp
    match: { email: breakglass@example.com }
    credential:
      stores: [{ gcpSecret: projects/bg-vault-prod/secrets/super-admin-password }]
      approvedReaders: ["user:custodian@example.com"]
  - id: stratus-target
    cloud: aws
    match: { arn: "arn:aws:iam::903144391865:user/breakglass" }
    credential: { stores: [{ secretsManager: stratus-red-team-retrieve-secret-18 }] }
`,
    'credential-access.test.yaml',
  ),
);

type Row = { name: string; event: Record<string, unknown> };
export const aws = new Map(
  readFixtureJsonl<Row>('aws/written-from-docs/credential_reads.jsonl').map((r) => [
    r.name,
    normalizeCloudTrail(r.event, { location: 'credential_reads.jsonl' }),
  ]),
);
export const gcp = new Map(
  readFixtureJsonl<Row>('gcp/written-from-docs/secret_manager.jsonl').map((r) => [
    r.name,
    normalizeGcpLogEntry(r.event, { location: 'secret_manager.jsonl' }),
  ]),
);

export function findings(event: AuditEvent | undefined, kind: Finding['kind']): Finding[] {
  if (!event) throw new Error('fixture row missing');
  return detect(event, registry).findings.filter((f) => f.kind === kind);
}
