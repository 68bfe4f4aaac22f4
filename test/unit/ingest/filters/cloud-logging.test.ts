import { describe, expect, it } from 'vitest';
import { detect } from '../../../../shared/core/detect/engine.js';
import { TAMPER_ENTRIES } from '../../../../shared/core/detect/tamper-actions.js';
import {
  CLOUD_LOGGING_FILTER_MAX,
  cloudLoggingFilter,
  cloudLoggingPollFilter,
  FilterBuildError,
  GCP_TAMPER_CLAUSES,
  GCP_TAMPER_GROUPS,
} from '../../../../shared/core/ingest/filters/index.js';
import { normalize } from '../../../../shared/core/normalize/index.js';
import { type RegistryInput, RegistryMatcher } from '../../../../shared/core/registry/index.js';
import { registrySchema } from '../../../../shared/core/registry/schema.js';
import { readFixtureJson } from '../../../support/fixtures.js';
import { normalized } from '../../../support/normalize.js';

const registry = (accounts: RegistryInput['accounts']) => registrySchema.parse({ accounts });

/** One clause per service of the tamper table, then the entries' own clauses. */
const TAMPER_CLAUSES = [
  ...GCP_TAMPER_GROUPS.map(
    (g) =>
      `(protoPayload.serviceName="${g.service}" AND protoPayload.methodName:(${g.methods.map((m) => `"${m}"`).join(' OR ')}))`,
  ),
  ...GCP_TAMPER_CLAUSES,
].join('\n  OR ');

describe('cloudLoggingFilter', () => {
  it('watches the break-glass principals (lower case, sorted, once each) and the tamper methods', () => {
    const filter = cloudLoggingFilter(
      registry([
        { id: 'gcp-b', cloud: 'gcp', match: { email: 'Zed.Breakglass@Example.com' } },
        { id: 'gcp-a', cloud: 'gcp', match: { email: "o'brien@example.com" } },
        { id: 'gcp-a-again', cloud: 'gcp', match: { email: "O'Brien@example.com" } },
        { id: 'aws-root', cloud: 'aws', match: { arn: 'arn:aws:iam::111122223333:root' } },
      ]),
    );
    expect(filter).toBe(
      'logName:"cloudaudit.googleapis.com"\nAND (\n' +
        '  protoPayload.authenticationInfo.principalEmail=("o\'brien@example.com" OR "zed.breakglass@example.com")\n' +
        '  OR protoPayload.authenticationInfo.principalSubject=("user:o\'brien@example.com" OR "user:zed.breakglass@example.com")\n' +
        '  OR protoPayload.authenticationInfo.serviceAccountDelegationInfo.firstPartyPrincipal.principalEmail=("o\'brien@example.com" OR "zed.breakglass@example.com")\n' +
        '  OR protoPayload.serviceData.policyDelta.bindingDeltas.member=("user:o\'brien@example.com" OR "user:zed.breakglass@example.com")\n' +
        '  OR protoPayload.metadata.event.parameter.value=("o\'brien@example.com" OR "zed.breakglass@example.com")\n' +
        `  OR ${TAMPER_CLAUSES}\n)`,
    );
  });

  it('keeps watching tampering when the registry has no GCP account', () => {
    const filter = cloudLoggingFilter(
      registry([{ id: 'entra', cloud: 'azure', match: { userPrincipalName: 'ea1@contoso.com' } }]),
    );
    expect(filter).toBe(`logName:"cloudaudit.googleapis.com"\nAND (\n  ${TAMPER_CLAUSES}\n)`);
  });

  it('refuses a registry whose filter would pass Cloud Logging’s 20,000-character limit', () => {
    const accounts = Array.from({ length: 300 }, (_, i) => ({
      id: `gcp-${i}`,
      cloud: 'gcp' as const,
      match: { email: `break-glass-administrator-${i}@subsidiary-${i}.example.com` },
    }));
    expect(() => cloudLoggingFilter(registry(accounts))).toThrow(FilterBuildError);
    expect(() => cloudLoggingFilter(registry(accounts))).toThrow(
      new RegExp(`over Cloud Logging's ${CLOUD_LOGGING_FILTER_MAX}`),
    );
  });
});

describe('cloudLoggingPollFilter', () => {
  it('adds the receiveTimestamp window and an explicit event-time bound', () => {
    const window = {
      fromMs: Date.parse('2026-11-18T13:40:00Z'),
      toMs: Date.parse('2026-11-18T13:59:00Z'),
      eventFromMs: Date.parse('2026-11-15T13:40:00Z'),
    };
    expect(cloudLoggingPollFilter('BASE', window)).toBe(
      '(BASE)\nAND receiveTimestamp>="2026-11-18T13:40:00.000Z" AND receiveTimestamp<"2026-11-18T13:59:00.000Z"\n' +
        'AND timestamp>="2026-11-15T13:40:00.000Z"',
    );
  });

  it('always names "timestamp", so Logging#getEntries never adds its own 24-hour bound', () => {
    const filter = cloudLoggingPollFilter('x', { fromMs: 0, toMs: 1, eventFromMs: 0 });
    expect(filter.includes('timestamp>=')).toBe(true);
  });
});

describe('the GCP tamper clauses', () => {
  // A real CreateExclusion entry (cloud-custodian test data), with each watched method in turn.
  const base = readFixtureJson<Record<string, unknown>>('gcp/cloud-custodian/log-create-project-exclusion.json');
  const matcher = new RegistryMatcher(
    registry([{ id: 'gcp-x', cloud: 'gcp', match: { email: 'nobody@example.com' } }]),
  );

  it('come from the audit-tamper rule’s table, every GCP entry in a clause', () => {
    expect(GCP_TAMPER_GROUPS[0]).toEqual({
      service: 'logging.googleapis.com',
      methods: [
        'DeleteSink',
        'UpdateSink',
        'CreateExclusion',
        'UpdateExclusion',
        'DeleteLog',
        'DeleteBucket',
        'UpdateBucket',
        'UpdateBucketAsync',
      ],
    });
    const filter = cloudLoggingFilter(
      registry([{ id: 'gcp-x', cloud: 'gcp', match: { email: 'nobody@example.com' } }]),
    );
    for (const entry of TAMPER_ENTRIES.filter((e) => e.cloud === 'gcp')) {
      if (entry.logFilter) expect(filter).toContain(entry.logFilter);
      else {
        const clause = filter.split('\n').find((line) => line.includes(`serviceName="${entry.service}"`)) ?? '';
        for (const action of entry.actions) expect(clause, `${entry.service} ${action}`).toContain(`"${action}"`);
      }
    }
  });

  // An entry that does not say which resource or what changed fires: strip the request and resource.
  it.each(GCP_TAMPER_GROUPS.flatMap((g) => g.methods.map((m) => [g.service ?? '', m] as const)))(
    '%s %s is audit tampering for the audit-tamper rule',
    (service, method) => {
      const entry = structuredClone(base);
      const payload = entry.protoPayload as Record<string, unknown>;
      payload.serviceName = service;
      payload.methodName = `google.example.v1.Service.${method}`;
      delete payload.request;
      delete payload.resourceName;
      const event = normalized(normalize({ format: 'gcp.log-entry', value: entry, origin: { location: 'test' } }));
      expect(detect(event, matcher).findings.map((f) => f.kind)).toContain('audit.tamper');
    },
  );

  it('a method outside the list is not (the test above can fail)', () => {
    const entry = structuredClone(base);
    (entry.protoPayload as Record<string, unknown>).methodName = 'google.logging.v2.ConfigServiceV2.CreateSink';
    const event = normalized(normalize({ format: 'gcp.log-entry', value: entry, origin: { location: 'test' } }));
    expect(detect(event, matcher).findings.map((f) => f.kind)).not.toContain('audit.tamper');
  });
});
