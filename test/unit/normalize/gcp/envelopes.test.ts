import { describe, expect, it } from 'vitest';
import { EnvelopeError, NormalizeError } from '../../../../shared/core/normalize/errors.js';
import type { JsonObject } from '../../../../shared/core/normalize/fields.js';
import { gcpLogEntryEnvelope, pubSubPushEnvelope } from '../../../../shared/core/normalize/gcp/index.js';
import { normalize, openDocument } from '../../../../shared/core/normalize/index.js';
import type { RawRecord } from '../../../../shared/core/normalize/types.js';
import { readFixtureJson } from '../../../support/fixtures.js';
import { normalized, opened } from '../../../support/normalize.js';
import { custodianEntry, custodianFiles, normalizeEntry, normalizeGcp, pushBody } from './harness.js';

const PUSH_FIXTURE = 'gcp/pubsub-push/pubsub_push_payload_cloudaudit.json';
const PUSH_DECODED = 'gcp/pubsub-push/pubsub_push_payload_cloudaudit.decoded_data.json';
const origin = { location: 'https://glasswatch.example/gcp/push' };

function envelopeErrorOf(doc: JsonObject): EnvelopeError {
  try {
    pubSubPushEnvelope.open(doc, origin);
  } catch (error) {
    if (error instanceof EnvelopeError) return error;
    throw error;
  }
  throw new Error('expected an EnvelopeError');
}

describe('gcp-log-entry envelope', () => {
  it('matches every bare LogEntry and hands it out untouched', () => {
    for (const file of custodianFiles()) {
      const entry = custodianEntry(file);
      expect(gcpLogEntryEnvelope.matches(entry)).toBe(true);
      expect(pubSubPushEnvelope.matches(entry)).toBe(false);
      expect(gcpLogEntryEnvelope.open(entry, origin)).toEqual([{ format: 'gcp.log-entry', value: entry, origin }]);
    }
  });

  it('matches an entry without protoPayload by insertId and logName', () => {
    expect(gcpLogEntryEnvelope.matches(readFixtureJson<JsonObject>(PUSH_DECODED))).toBe(true);
    expect(gcpLogEntryEnvelope.matches({ insertId: 'x' })).toBe(false);
  });
});

describe('pubsub-push envelope', () => {
  it('decodes the recorded push body (grafana/loki) to its LogEntry', () => {
    const body = readFixtureJson<JsonObject>(PUSH_FIXTURE);
    expect(pubSubPushEnvelope.matches(body)).toBe(true);
    expect(gcpLogEntryEnvelope.matches(body)).toBe(false);
    const [record, ...rest] = opened(pubSubPushEnvelope.open(body, origin));
    expect(rest).toEqual([]);
    expect(record?.format).toBe('gcp.log-entry');
    expect(record?.value).toEqual(readFixtureJson(PUSH_DECODED));
    expect(record?.origin).toEqual({ location: 'projects/test-project/subscriptions/test/messages/5187581549398349' });
  });

  it('rejects that entry (a Kubernetes data-access entry without AuditLog payload) by name', () => {
    const body = readFixtureJson<JsonObject>(PUSH_FIXTURE);
    let error: unknown;
    try {
      normalizeGcp(body, origin);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NormalizeError);
    expect((error as NormalizeError).field).toBe('protoPayload');
    expect((error as NormalizeError).message).toContain(
      'projects/test-project/subscriptions/test/messages/5187581549398349',
    );
  });

  it('gives a pushed entry the same id as the same entry read bare (push and pull dedup)', () => {
    const entry = custodianEntry('log-create-project-sink.json');
    const [pushed] = normalizeGcp(pushBody(entry), origin);
    const bare = normalizeEntry(entry);
    expect(pushed?.id).toBe(bare.id);
    expect(pushed?.action).toBe('google.logging.v2.ConfigServiceV2.CreateSink');
    expect(pushed?.origin.location).toBe(
      'projects/test-project-232910/subscriptions/glasswatch-audit/messages/5187581549398349',
    );
  });

  it.each([
    ['not base64', (b: JsonObject) => ((b.message as JsonObject).data = '@@not base64@@'), /not valid base64/],
    [
      'base64 of non-JSON',
      (b: JsonObject) => ((b.message as JsonObject).data = Buffer.from('{oops').toString('base64')),
      /not JSON/,
    ],
    [
      'base64 of an array',
      (b: JsonObject) => ((b.message as JsonObject).data = Buffer.from('[1]').toString('base64')),
      /an array/,
    ],
    [
      'invalid UTF-8',
      (b: JsonObject) => ((b.message as JsonObject).data = Buffer.from([0xff, 0xfe]).toString('base64')),
      /UTF-8/,
    ],
    ['data a number', (b: JsonObject) => ((b.message as JsonObject).data = 42), /number/],
  ])('%s → EnvelopeError naming the message', (_name, breakIt, reason) => {
    const body = pushBody(custodianEntry('iam-role-create.json'), 'msg-77');
    breakIt(body);
    const error = envelopeErrorOf(body);
    expect(error.message).toMatch(reason);
    expect(error.message).toContain('msg-77');
    expect(error.message).toContain('projects/test-project-232910/subscriptions/glasswatch-audit');
    expect(error.origin).toEqual(origin);
  });
});

describe('through the shared dispatcher (normalize/index.ts)', () => {
  it('opens bare entries and push bodies as gcp.log-entry, ahead of or beside the other clouds', () => {
    for (const file of custodianFiles()) {
      const [record] = opened(openDocument(custodianEntry(file), origin));
      expect(record?.format).toBe('gcp.log-entry');
      expect(normalized(normalize(record as RawRecord)).cloud).toBe('gcp');
    }
    const pushed = opened(openDocument(pushBody(custodianEntry('iam-role-create.json')), origin));
    expect(pushed.map((r) => r.format)).toEqual(['gcp.log-entry']);
  });
});
