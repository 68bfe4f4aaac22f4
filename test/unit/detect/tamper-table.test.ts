import { describe, expect, it } from 'vitest';
import { detect } from '../../../shared/core/detect/engine.js';
import { tamperEntryOf } from '../../../shared/core/detect/tamper/match.js';
import { TAMPER_ENTRIES } from '../../../shared/core/detect/tamper-actions.js';
import type { AuditEvent } from '../../../shared/core/model/audit-event.js';
import { SEVERITY_ORDER } from '../../../shared/core/model/finding.js';
import { normalize } from '../../../shared/core/normalize/index.js';
import type { RecordFormat } from '../../../shared/core/normalize/types.js';
import { parseRegistry, RegistryMatcher } from '../../../shared/core/registry/index.js';
import { readFixtureJson, readFixtureJsonl } from '../../support/fixtures.js';
import { normalized } from '../../support/normalize.js';

/**
 * Every action of the tamper table against records written from each service's documented record
 * (test/fixtures/tamper/, the page named on each line): each fires on the pipeline's own resource and
 * not on the same call elsewhere, with the severity the table gives it.
 */

interface Case {
  doc: string;
  fires: boolean;
  case: string;
  format: RecordFormat;
  record: unknown;
}

const PIPELINE = `
accounts:
  - { id: aws-root, cloud: aws, match: { arn: "arn:aws:iam::111122223333:root" } }
pipeline:
  namePrefix: glasswatch
  aws:
    stacks: [gw-forwarder-us]
    trailArn: arn:aws:cloudtrail:eu-west-1:111122223333:trail/org-trail
    trailBucket: org-trail-logs-111122223333
    trailKmsKeyArn: arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab
    forwarderRegions: [eu-west-1, us-east-1]
    scheduleGroups: [glasswatch-aftermath]
  gcp:
    sink: organizations/123456789012/sinks/glasswatch
    topic: projects/gw-prod/topics/glasswatch
    subscription: projects/gw-prod/subscriptions/glasswatch-push
    pushFunction: projects/gw-prod/locations/europe-west1/functions/glasswatch-push
    logBuckets: [projects/gw-prod/locations/global/buckets/_Default]
  azure:
    diagnosticSettings:
      - { id: /subscriptions/00000000-1111-2222-3333-444444444444/providers/microsoft.insights/diagnosticSettings/glasswatch, categories: [Administrative] }
      - { id: /providers/microsoft.aadiam/diagnosticSettings/glasswatch-entra, categories: [AuditLogs, SignInLogs] }
    eventHubNamespace: /subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/glasswatch/providers/Microsoft.EventHub/namespaces/glasswatch-ns
    eventHub: /subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/glasswatch/providers/Microsoft.EventHub/namespaces/glasswatch-ns/eventhubs/insights-activity-logs
    workspace: /subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/glasswatch/providers/Microsoft.OperationalInsights/workspaces/glasswatch-logs
`;
const registry = parseRegistry(PIPELINE, 'tamper-table.test.ts');
const matcher = new RegistryMatcher(registry);

const FILES = ['tamper/aws-cloudtrail.jsonl', 'tamper/gcp-audit.jsonl', 'tamper/azure-activity.jsonl'];
const cases = FILES.flatMap((file) =>
  readFixtureJsonl<Case>(file).map((c, index) => {
    const event = normalized(
      normalize({ format: c.format, value: c.record, origin: { location: file, line: index + 1 } }),
    );
    return { ...c, event, label: `${file}:${index + 1} ${c.case}` };
  }),
);

const tamperFindings = (event: AuditEvent) => detect(event, matcher).findings.filter((f) => f.kind === 'audit.tamper');

describe('the tamper table against documented records', () => {
  it.each(cases.filter((c) => c.fires).map((c) => [c.label, c] as const))('fires on %s', (_label, c) => {
    const findings = tamperFindings(c.event);
    expect(findings).toHaveLength(1);
    const entry = tamperEntryOf(c.event, registry.pipeline);
    expect(findings[0]?.severity).toBe(entry?.severity);
    expect(findings[0]?.pagesAtOnce).toBe(entry?.pagesAtOnce);
  });

  it.each(cases.filter((c) => !c.fires).map((c) => [c.label, c] as const))('does not fire on %s', (_label, c) => {
    expect(tamperFindings(c.event)).toEqual([]);
  });

  it('has a firing record for every action of every entry, naming the entry’s own page', () => {
    const missing: string[] = [];
    for (const entry of TAMPER_ENTRIES) {
      for (const action of entry.actions) {
        const hit = cases.some(
          (c) =>
            c.fires &&
            c.event.action.toLowerCase().endsWith(action.toLowerCase()) &&
            tamperEntryOf(c.event, registry.pipeline) === entry,
        );
        if (!hit) missing.push(`${entry.cloud} ${entry.service ?? '*'} ${action}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('has a record of the same action that does not fire for every narrowed entry (another resource, or no weakening)', () => {
    const missing: string[] = [];
    for (const entry of TAMPER_ENTRIES.filter((e) => e.when !== undefined)) {
      const negative = cases.some(
        (c) =>
          !c.fires &&
          entry.actions.some((a) => c.event.action.toLowerCase().endsWith(a.toLowerCase())) &&
          (entry.service === undefined || c.event.service.toLowerCase() === entry.service),
      );
      if (!negative) missing.push(`${entry.cloud} ${entry.actions.join('/')}`);
    }
    expect(missing).toEqual([]);
  });

  it('gives every entry a severity, a paging decision and a documentation page', () => {
    for (const entry of TAMPER_ENTRIES) {
      expect(Object.keys(SEVERITY_ORDER)).toContain(entry.severity);
      expect(typeof entry.pagesAtOnce).toBe('boolean');
      expect(new URL(entry.doc).protocol).toBe('https:');
      expect(entry.what.length).toBeGreaterThan(10);
    }
  });

  it('reads the tenant-level Entra diagnostic-setting changes in the tenant Activity Log REST shape {"value":[…]}', () => {
    const page = readFixtureJson<{ value: unknown[] }>('azure/docs-written/tenant-activity-log-aadiam.json');
    const events = page.value.map((value, index) =>
      normalized(normalize({ format: 'azure.activity-log', value, origin: { location: 'aadiam', index } })),
    );
    expect(events.map((e) => e.action.toLowerCase())).toEqual([
      'microsoft.aadiam/diagnosticsettings/write',
      'microsoft.aadiam/diagnosticsettings/delete',
    ]);
    // The page keeps no request body: a write that cannot show its categories fires, as the delete does.
    for (const event of events) expect(tamperFindings(event).map((f) => f.severity)).toHaveLength(1);
    const other = new RegistryMatcher(
      parseRegistry(
        `${PIPELINE.split('pipeline:')[0]}pipeline:\n  azure:\n    diagnosticSettings:\n      - { id: /providers/microsoft.aadiam/diagnosticSettings/sentinel, categories: [AuditLogs] }\n`,
        'other.yaml',
      ),
    );
    for (const event of events)
      expect(detect(event, other).findings.filter((f) => f.kind === 'audit.tamper')).toEqual([]);
  });

  it('without a pipeline section, a call on any resource of the kind fires (a miss is worse than noise)', () => {
    const bare = new RegistryMatcher(
      parseRegistry('accounts: [{ id: r, cloud: aws, match: { arn: "arn:aws:iam::1:root" } }]', 'b'),
    );
    const other = cases.find((c) => c.case === 'DeleteQueue of another queue');
    expect(other).toBeDefined();
    expect(detect(other?.event as AuditEvent, bare).findings.map((f) => f.kind)).toEqual(['audit.tamper']);
  });
});
