import { describe, expect, it } from 'vitest';
import { cloudLoggingFilter } from '../../../../shared/core/ingest/filters/cloud-logging.js';
import { entraQueries } from '../../../../shared/core/ingest/filters/kql.js';
import { parseRegistry } from '../../../../shared/core/registry/index.js';

/** The pull queries and the sink filter let through membership changes of every registered group. */
const registry = parseRegistry(
  `accounts:
  - { id: ea1, cloud: azure, match: { userPrincipalName: ea1@contoso.com }, caExclusionGroups: ["3C9E1F2A-7B6D-4E5C-8A9B-0C1D2E3F4A5B"] }
  - { id: g, cloud: gcp, match: { email: super@example.com } }
groups:
  - { id: eg, cloud: azure, match: { groupId: "6a1d3e5f-2b4c-4d8e-9f10-1a2b3c4d5e6f" } }
  - { id: wg, cloud: gcp, match: { groupEmail: emergency@example.com } }`,
  'r.yaml',
);

describe('group watch', () => {
  it('the Entra AuditLogs query looks for emergency and Conditional Access exclusion group ids', () => {
    const audit =
      entraQueries(registry)
        .find((q) => q.table === 'AuditLogs')
        ?.body.join('\n') ?? '';
    expect(audit).toContain('6a1d3e5f-2b4c-4d8e-9f10-1a2b3c4d5e6f');
    expect(audit).toContain('3c9e1f2a-7b6d-4e5c-8a9b-0c1d2e3f4a5b');
  });

  it('the Cloud Logging filter lets a Workspace group e-mail through as an event parameter', () => {
    expect(cloudLoggingFilter(registry)).toMatch(
      /protoPayload\.metadata\.event\.parameter\.value=\([^)]*"emergency@example\.com"/,
    );
  });
});
