import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FORWARDER_DLQ_NAME } from '../../../shared/core/detect/tamper/aws.js';
import { cloudLoggingFilter, entraQueries, windowedKql } from '../../../shared/core/ingest/filters/index.js';
import { LogAnalyticsServer } from '../../support/cloud-servers/log-analytics.js';
import { compileLoggingFilter } from '../../support/cloud-servers/logging-filter.js';
import { failedVariant, TAMPER_CASES, type TamperCase, tamperRegistry } from '../../support/tamper-cases.js';
import { readTemplate } from '../infra/cloudformation-yaml.js';
import { matches, type Pattern } from '../infra/eventbridge-pattern.js';

/**
 * Each documented record the tamper table fires on (and its failed twin) reaches the detector by the
 * Lambda paths: the regional forwarder's TamperForwardRule and the ingest function's rule take its
 * EventBridge form in every forwarder Region; the GCP sink filter (evaluated as Cloud Logging does by
 * the local entries.list server's filter) selects the entry; the Activity log KQL (evaluated by the
 * local Log Analytics server) selects the AzureActivity row.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const forwarder = readTemplate(join(ROOT, 'infra/regional-forwarder.yaml'));
const template = readTemplate(join(ROOT, 'infra/template.yaml'));
const tamperPattern = forwarder.Resources.TamperForwardRule?.Properties?.EventPattern as Pattern;
const ingestEvents = template.Resources.EventBridgeIngestFunction?.Properties?.Events as Record<
  string,
  { Properties: { Pattern: Pattern } }
>;
const ingestPattern = ingestEvents.ForwardedCloudTrailEvents?.Properties.Pattern as Pattern;

const positives = (format: string) =>
  TAMPER_CASES.filter((c) => c.fires && c.format === format).flatMap((c) => [
    c,
    { ...failedVariant(c), label: `${c.label}, failed` },
  ]);
const labelled = (list: (TamperCase & { label: string })[]) => list.map((c) => [c.label, c] as const);

describe('the AWS tamper records reach the ingest function', () => {
  const regions = tamperRegistry.pipeline?.aws.forwarderRegions ?? [];

  it('in the forwarder Regions the registry names', () => {
    expect(regions.length).toBeGreaterThan(1);
  });

  it.each(labelled(positives('aws.cloudtrail')))('%s, from every forwarder Region', (_label, c) => {
    for (const region of regions) {
      const detail = { ...c.record, awsRegion: region };
      const event = {
        version: '0',
        id: 'tamper-path',
        'detail-type': 'AWS API Call via CloudTrail',
        source: `aws.${String(c.record.eventSource).split('.')[0]}`,
        account: '111122223333',
        time: c.record.eventTime,
        region,
        resources: [],
        detail,
      };
      expect(matches(tamperPattern, event), `TamperForwardRule in ${region}`).toBe(true);
      expect(matches(ingestPattern, event), `ingest rule, from ${region}`).toBe(true);
    }
  });

  it('names the forwarder’s dead-letter queue as the template does', () => {
    expect(forwarder.Resources.ForwarderDeadLetterQueue?.Properties?.QueueName).toBe(FORWARDER_DLQ_NAME);
  });
});

describe('the GCP tamper entries pass the sink filter', () => {
  const selects = compileLoggingFilter(cloudLoggingFilter(tamperRegistry));

  it.each(labelled(positives('gcp.log-entry')))('%s', (_label, c) => {
    expect(selects(c.record)).toBe(true);
  });

  it('and the filter is not a pass-all (a routine entry is left out)', () => {
    const routine = structuredClone(positives('gcp.log-entry')[0]?.record) as { protoPayload: Record<string, unknown> };
    routine.protoPayload.methodName = 'google.logging.v2.ConfigServiceV2.ListSinks';
    expect(selects(routine)).toBe(false);
  });
});

describe('the Azure tamper rows pass the Activity log KQL', () => {
  const query = entraQueries(tamperRegistry).find((q) => q.table === 'AzureActivity');
  const rows = positives('azure.log-analytics');

  it.each(labelled(rows))('%s', (_label, c) => {
    const workspace = new LogAnalyticsServer('tamper-paths');
    const { $table: table, ...row } = c.record as { $table: string } & Record<string, unknown>;
    workspace.ingest(table, row, '2026-11-18T12:05:00Z');
    workspace.ingest(
      table,
      { ...row, OperationNameValue: 'MICROSOFT.WEB/SITES/WRITE', EventDataId: 'routine' },
      '2026-11-18T12:05:00Z',
    );
    const window = { fromMs: Date.parse('2026-11-18T12:00:00Z'), toMs: Date.parse('2026-11-18T13:00:00Z') };
    const result = workspace.evaluate(windowedKql(query as NonNullable<typeof query>, window, 100));
    expect(result.rows.map((r) => r.values.get('EventDataId'))).toEqual([row.EventDataId]);
  });
});
