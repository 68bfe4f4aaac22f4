import { describe, expect, it } from 'vitest';
import { detect } from '../../../../shared/core/detect/engine.js';
import { DetectionPipeline } from '../../../../shared/core/ingest/detection-pipeline.js';
import { JsonSplitter } from '../../../../shared/core/ingest/json-splitter.js';
import type { AuditEvent } from '../../../../shared/core/model/audit-event.js';
import { parseRegistry, RegistryMatcher } from '../../../../shared/core/registry/index.js';
import { readFixtureJson, readFixtureText } from '../../../support/fixtures.js';

/**
 * The Azure shapes read wherever a file is read: the Activity Log as the REST API returns it
 * (subscription and tenant scope, `{"value":[…], "nextLink"}`), `az monitor activity-log list` output
 * (a JSON array of the same events), storage-archive `PT1H.json` (JSON Lines, no `records` wrapper) and
 * bare diagnostic records. Each file goes through the splitter and the pipeline, as replay and the S3
 * path read it.
 */

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const REST_SUB = 'azure/rest-api-specs/GetActivityLogsFiltered.response.json';
const REST_TENANT = 'azure/rest-api-specs/GetTenantActivityLogsNoParams.response.json';
const AZ_LIST = 'azure/docs-written/az-monitor-activity-log-list.json';
const AADIAM = 'azure/docs-written/tenant-activity-log-aadiam.json';
const PT1H = 'azure/docs-written/PT1H.json';

const matcher = new RegistryMatcher(
  parseRegistry(
    'accounts: [{ id: entra-ea1, cloud: azure, match: { userPrincipalName: ea1@contoso.onmicrosoft.com } }]',
    'r.yaml',
  ),
);

function read(text: string, location: string) {
  const events: AuditEvent[] = [];
  const errors: Error[] = [];
  const pipeline = new DetectionPipeline(matcher, {
    onFinding: () => {},
    onError: (error) => errors.push(error),
    onEvent: (event) => events.push(event),
  });
  const splitter = new JsonSplitter((chunk) => pipeline.chunk(chunk, splitter.container ?? 'document', location));
  splitter.push(text);
  splitter.end();
  return { events, errors, counts: pipeline.counts, skipped: Object.fromEntries(pipeline.skipped) };
}

const readFixture = (file: string) => read(readFixtureText(file), file);

describe('Activity Log, REST API and az monitor activity-log list', () => {
  it('reads the subscription-level REST page (the API spec example) to the AzureActivity event', () => {
    const { events, errors } = readFixture(REST_SUB);
    expect(errors).toEqual([]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      id: 'azure:1e121103-0ba6-4300-ac9d-952bb5d0c80f|microsoft.support/supporttickets/write|success|2015-01-21T22:14:26.979Z',
      cloud: 'azure',
      source: 'azure.activity',
      category: 'api',
      service: 'microsoft.support',
      action: 'microsoft.support/supporttickets/write',
      outcome: 'success',
      time: '2015-01-21T22:14:26.979Z',
      receivedTime: '2015-01-21T22:14:39.993Z',
      account: '089bd33f-d4ec-47fe-8ba5-0753aa5c5b33',
      actor: { type: 'User', display: 'admin@contoso.com (John Smith)', upn: 'admin@contoso.com' },
      resources: [],
      src: { ip: '192.168.35.115' },
      origin: { location: REST_SUB },
    });
    // The spec's object id has non-hex letters ("95xq"): not a GUID, so not claimed as one.
    expect(events[0]?.actor.objectId).toBeUndefined();
  });

  it('reads the same event from `az monitor activity-log list` output (a JSON array) with the same id', () => {
    const rest = readFixture(REST_SUB).events[0];
    const { events, errors } = readFixture(AZ_LIST);
    expect(errors).toEqual([]);
    expect(events.map((e) => [e.id, e.action, e.origin])).toEqual([
      [rest?.id, rest?.action, { location: AZ_LIST, index: 0 }],
    ]);
  });

  it('reads the tenant-level REST page of the API spec', () => {
    const { events, errors } = readFixture(REST_TENANT);
    expect(errors).toEqual([]);
    expect(events.map((e) => [e.action, e.outcome, e.actor.upn])).toEqual([
      ['microsoft.support/supporttickets/write', 'success', 'admin@contoso.com'],
    ]);
  });

  it('reads tenant-level Entra diagnostic-setting changes (microsoft.aadiam) with the operation name intact', () => {
    const { events, errors } = readFixture(AADIAM);
    expect(errors).toEqual([]);
    expect(events.map((e) => [e.action, e.service, e.outcome, e.account, e.resources, e.origin.index])).toEqual([
      [
        'microsoft.aadiam/diagnosticSettings/write',
        'microsoft.aadiam',
        'success',
        TENANT,
        ['/providers/microsoft.aadiam/diagnosticSettings/glasswatch-entra'],
        0,
      ],
      [
        'microsoft.aadiam/diagnosticSettings/delete',
        'microsoft.aadiam',
        'success',
        TENANT,
        ['/providers/microsoft.aadiam/diagnosticSettings/glasswatch-entra'],
        1,
      ],
    ]);
    expect(events[1]?.actor).toMatchObject({
      upn: 'ea1@contoso.onmicrosoft.com',
      objectId: '0a7c9b5e-6d4f-4a1b-9c3d-2e8f1a6b4c7d',
    });
    // The rules see them: both are activity of the registered emergency account, and the delete is
    // tampering (the tamper table's Microsoft.AADIAM entry; whether a write is, is the table's call).
    const kinds = events.map((e) => detect(e, matcher).findings.map((f) => f.kind));
    expect(kinds[0]).toContain('activity');
    expect(kinds[1]).toEqual(expect.arrayContaining(['activity', 'audit.tamper']));
  });

  it('the tenant REST event and its storage-archive diagnostic record are one event (same id)', () => {
    const rest = readFixture(AADIAM).events[1];
    const archived = readFixture(PT1H).events.find((e) => e.action === 'microsoft.aadiam/diagnosticSettings/delete');
    expect(archived?.id).toBe(rest?.id);
    expect(archived?.account).toBe(TENANT);
  });

  it('reads an empty page as nothing, and reports a broken element by its index and field', () => {
    expect(read('{"value": [], "nextLink": null}', 'empty.json')).toMatchObject({ events: [], errors: [] });
    const page = readFixtureJson<{ value: Record<string, unknown>[] }>(AADIAM);
    const broken = { value: [page.value[0], { ...page.value[1], eventTimestamp: 'yesterday' }] };
    const { events, errors } = read(JSON.stringify(broken), 'broken.json');
    expect(events).toHaveLength(1);
    expect(errors.map((e) => e.message)).toEqual([
      'broken.json:1#1: azure.activity-log record, field eventTimestamp: not a timestamp: "yesterday"',
    ]);
  });

  it('names operationName.value when an event has neither it nor authorization.action', () => {
    const [event] = readFixtureJson<Record<string, unknown>[]>(AZ_LIST);
    const { operationName: _o, authorization: _a, ...bare } = event as Record<string, unknown>;
    const { errors } = read(JSON.stringify([{ ...bare, operationName: {} }]), 'az.json');
    expect(errors.map((e) => e.message)).toEqual([
      'az.json#0: azure.activity-log record, field operationName.value: missing',
    ]);
  });
});

describe('diagnostic records without the records wrapper', () => {
  it('reads a storage-archive PT1H.json (JSON Lines since 2018-11-01) line by line; the resource log is skipped', () => {
    const { events, errors, counts, skipped } = readFixture(PT1H);
    expect(errors).toEqual([]);
    expect(events.map((e) => [e.action, e.source, e.origin])).toEqual([
      ['MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/WRITE', 'azure.activity', { location: PT1H, line: 1 }],
      ['microsoft.aadiam/diagnosticSettings/delete', 'azure.activity', { location: PT1H, line: 2 }],
    ]);
    expect(counts).toMatchObject({ documents: 3, records: 3, events: 2, skipped: 1, errors: 0 });
    expect(skipped).toEqual({ 'azure.other-category': 1 });
  });

  it('reads one bare record, pretty-printed, as the same event as inside {"records":[…]}', () => {
    const batch = readFixtureJson<{ records: unknown[] }>('azure/otel-collector/administrative_valid_1.json');
    const wrapped = readFixture('azure/otel-collector/administrative_valid_1.json').events[0];
    const { events, errors } = read(JSON.stringify(batch.records[0], null, 2), 'bare.json');
    expect(errors).toEqual([]);
    expect(events.map((e) => e.id)).toEqual([wrapped?.id]);
  });

  it('still reports a line that is no known record shape, with its line', () => {
    const { errors } = read(`${readFixtureText(PT1H)}{"time":"2026-11-20T00:00:00Z","hello":"world"}\n`, 'PT1H.json');
    expect(errors.map((e) => e.message)).toEqual([
      'PT1H.json:4: unknown record shape (top-level keys: "time", "hello")',
    ]);
  });
});
