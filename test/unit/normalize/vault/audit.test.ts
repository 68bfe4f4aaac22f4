import { describe, expect, it } from 'vitest';
import { DetectionPipeline } from '../../../../shared/core/ingest/detection-pipeline.js';
import { JsonSplitter } from '../../../../shared/core/ingest/json-splitter.js';
import type { AuditEvent } from '../../../../shared/core/model/audit-event.js';
import { ENVELOPES, normalize, Skipped } from '../../../../shared/core/normalize/index.js';
import { vaultAuditEnvelope } from '../../../../shared/core/normalize/vault/audit.js';
import { parseRegistry, RegistryMatcher } from '../../../../shared/core/registry/index.js';
import { readFixtureJson, readFixtureJsonl, readFixtureText } from '../../../support/fixtures.js';

/**
 * HashiCorp Vault file audit device lines (test/fixtures/vault/written-from-docs/audit.log, written from
 * the audit log entry schema page): response entries are read, request entries and operations no rule
 * reads are skipped and counted, a malformed line is an error naming file, line and field.
 */
const FILE = 'vault/written-from-docs/audit.log';
type Json = Record<string, unknown>;
const lines = readFixtureJsonl<Json>(FILE);

function read(line: number): AuditEvent | Skipped {
  return normalize({ format: 'vault.audit', value: lines[line - 1], origin: { location: FILE, line } });
}

function event(line: number): AuditEvent {
  const result = read(line);
  if (result instanceof Skipped) throw new Error(`line ${line} skipped: ${result.reason}`);
  return result;
}

function replayText(text: string) {
  const matcher = new RegistryMatcher(
    parseRegistry('accounts: [{ id: r, cloud: aws, match: { arn: "arn:aws:iam::123456789012:root" } }]', 'r.yaml'),
  );
  const errors: Error[] = [];
  const events: AuditEvent[] = [];
  const pipeline = new DetectionPipeline(matcher, {
    onFinding: () => {},
    onError: (e) => errors.push(e),
    onEvent: (e) => events.push(e),
  });
  const splitter = new JsonSplitter((chunk) => pipeline.chunk(chunk, splitter.container ?? 'document', FILE));
  splitter.push(text);
  splitter.end();
  return { counts: pipeline.counts, skipped: Object.fromEntries(pipeline.skipped), errors, events, pipeline };
}

describe('Vault audit entries', () => {
  it('reads a response entry: operation, path, namespace, reader, address, request id', () => {
    expect(event(2)).toMatchObject({
      id: 'vault:4e1f3c2a-9b8d-4c7e-a6f5-0d1e2f3a4b5c',
      cloud: 'vault',
      source: 'vault.audit',
      service: 'vault',
      action: 'read',
      outcome: 'success',
      time: '2026-11-20T10:58:01.271Z',
      account: 'root',
      resources: ['secret/data/breakglass/aws-root'],
      src: { ip: '10.10.42.111' },
      actor: {
        type: 'service',
        display: 'userpass-custodian',
        entityId: 'e2853091-6c3c-2200-3ff7-0b664ed70c4d',
        vault: { displayName: 'userpass-custodian', policies: ['default', 'breakglass-custodian'] },
      },
    });
    expect(event(10)).toMatchObject({
      account: 'admin',
      actor: { vault: { policies: ['default', 'breakglass-custodian'] } },
    });
  });

  it('a denied request is a failure whose reason is the denial code the detect stage knows', () => {
    expect(event(6)).toMatchObject({
      outcome: 'failure',
      failureReason: 'permission denied: 1 error occurred: * permission denied',
      src: { ip: '203.0.113.77' },
    });
  });

  it('skips the request entry (its response is read) and operations no rule reads, by kind', () => {
    expect(read(1)).toMatchObject({ kind: 'vault.request' });
    expect(read(9)).toMatchObject({ kind: 'vault.other-operation', reason: 'operation "list"' });
  });

  it('reads entries as older Vault wrote them (empty error and entity id on success), skips KMIP entries', () => {
    // Shapes seen in real audit logs (Vault 0.10 writes "error": "" and "entity_id": "" when there is none;
    // Vault Enterprise's KMIP secrets engine writes kmip-request / kmip-response entries).
    const old = { ...lines[1], error: '', auth: { ...(lines[1]?.auth as Json), entity_id: '' } };
    const result = normalize({ format: 'vault.audit', value: old, origin: { location: FILE, line: 2 } });
    expect(result).toMatchObject({ outcome: 'success', actor: { display: 'userpass-custodian' } });
    expect(result).not.toHaveProperty('actor.entityId');
    const kmip = {
      request: { namespace: { id: 'root' }, remote_address: '192.0.2.10:36776', data: { kmip_request: {} } },
      response: { data: { kmip_response: {} } },
      time: '2026-05-20T13:49:00.314367448Z',
      type: 'kmip-response',
    };
    expect(ENVELOPES.filter((e) => e.matches(kmip)).map((e) => e.name)).toEqual(['vault-audit']);
    const skipped = normalize({ format: 'vault.audit', value: kmip, origin: { location: FILE, line: 1 } });
    expect(skipped).toMatchObject({ kind: 'vault.other-entry', reason: 'entry type "kmip-response"' });
  });

  it('a whole file as replay and the S3 path read it: each request once, nothing in error', () => {
    const { counts, skipped, errors, events } = replayText(readFixtureText(FILE));
    expect(errors).toEqual([]);
    expect(counts).toMatchObject({ documents: 15, records: 15, events: 11, skipped: 4, errors: 0 });
    expect(skipped).toEqual({ 'vault.request': 3, 'vault.other-operation': 1 });
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });

  it('shows Vault as a source of its own per namespace for coverage and the heartbeat', () => {
    const { pipeline } = replayText(readFixtureText(FILE));
    const sources = [...pipeline.lastSeen.values()].map((s) => `${s.source} ${s.scope}`).sort();
    expect(sources).toEqual(['vault.audit admin', 'vault.audit root']);
  });

  it('a malformed line is an error naming the file, line and field; the rest of the file goes on', () => {
    const broken = { ...lines[1], request: { ...(lines[1]?.request as Json), path: { nested: true } } };
    const noTime = { ...lines[3], time: undefined };
    const text = [JSON.stringify(broken), JSON.stringify(noTime), JSON.stringify(lines[6])].join('\n');
    const { counts, errors } = replayText(text);
    expect(errors.map((e) => e.message)).toEqual([
      `${FILE}:1: vault.audit record, field request.path: expected a string, got an object`,
      `${FILE}:2: vault.audit record, field time: missing`,
    ]);
    expect(counts).toMatchObject({ events: 1, errors: 2 });
  });

  it('recognises every Vault line by its shape, and no other provider record as one', () => {
    for (const line of lines)
      expect(ENVELOPES.filter((e) => e.matches(line)).map((e) => e.name)).toEqual(['vault-audit']);
    const others: Json[] = [
      ...readFixtureJsonl<{ event: Json }>('aws/written-from-docs/credential_reads.jsonl').map((r) => r.event),
      ...readFixtureJsonl<{ event: Json }>('gcp/written-from-docs/secret_manager.jsonl').map((r) => r.event),
      ...readFixtureJsonl<{ event: Json }>('azure/written-from-docs/key_vault_audit.jsonl').map((r) => r.event),
      readFixtureJson<Json>('azure/rest-api-specs/GetActivityLogsFiltered.response.json'),
    ];
    for (const doc of others) expect(vaultAuditEnvelope.matches(doc)).toBe(false);
    expect(vaultAuditEnvelope.matches({ type: 'response', request: 'x' })).toBe(false);
  });
});
