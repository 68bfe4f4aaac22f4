import { readdirSync } from 'node:fs';
import type { AuditEvent, EventOrigin } from '../../../../shared/core/model/audit-event.js';
import { EnvelopeError, NormalizeError } from '../../../../shared/core/normalize/errors.js';
import { isObject, type JsonObject } from '../../../../shared/core/normalize/fields.js';
import { gcpEnvelopes, normalizeGcpLogEntry } from '../../../../shared/core/normalize/gcp/index.js';
import { fixturePath, readFixtureJson, readFixtureJsonl } from '../../../support/fixtures.js';
import { opened } from '../../../support/normalize.js';

export const CC_DIR = 'gcp/cloud-custodian';
export const PANTHER_FILE = 'gcp/panther/panther_tests_gcp_auditlog.logentry-rows.jsonl';

/** Every cloud-custodian LogEntry file, by name. */
export function custodianFiles(): string[] {
  return readdirSync(fixturePath(CC_DIR))
    .filter((f) => f.endsWith('.json'))
    .sort();
}

export function custodianEntry(file: string): JsonObject {
  return readFixtureJson<JsonObject>(`${CC_DIR}/${file}`);
}

export interface PantherRow {
  test_name: string;
  rule_id: string;
  log: JsonObject;
}

export function pantherRows(): PantherRow[] {
  return readFixtureJsonl<PantherRow>(PANTHER_FILE);
}

/** The Panther row whose test is `name` (names are unique in the cut file). */
export function pantherLog(name: string): JsonObject {
  const row = pantherRows().find((r) => r.test_name === name);
  if (!row) throw new Error(`no Panther row named ${name}`);
  return structuredClone(row.log);
}

export function normalizeEntry(entry: unknown, origin: EventOrigin = { location: 'test' }): AuditEvent {
  return normalizeGcpLogEntry(entry, origin);
}

/** Envelope + normalizer, as the dispatcher does: the first GCP envelope that matches opens the document. */
export function normalizeGcp(doc: unknown, origin: EventOrigin): AuditEvent[] {
  if (!isObject(doc)) throw new EnvelopeError(origin, 'not an object');
  const envelope = gcpEnvelopes.find((e) => e.matches(doc));
  if (!envelope) throw new EnvelopeError(origin, 'no GCP envelope matches');
  return opened(envelope.open(doc, origin)).map((r) => normalizeGcpLogEntry(r.value, r.origin));
}

export function normalizeErrorOf(entry: unknown, origin: EventOrigin = { location: 'test' }): NormalizeError {
  try {
    normalizeGcpLogEntry(entry, origin);
  } catch (error) {
    if (error instanceof NormalizeError) return error;
    throw error;
  }
  throw new Error('expected a NormalizeError, got an event');
}

/** A Pub/Sub push request carrying `entry` as its base64 `message.data`, as Pub/Sub sends it. */
export function pushBody(entry: unknown, messageId = '5187581549398349'): JsonObject {
  return {
    message: {
      attributes: { 'logging.googleapis.com/timestamp': '2019-05-21T14:47:36.982248308Z' },
      data: Buffer.from(JSON.stringify(entry)).toString('base64'),
      messageId,
      publishTime: '2019-05-21T14:47:40.12Z',
    },
    subscription: 'projects/test-project-232910/subscriptions/glasswatch-audit',
  };
}

type Param = { name: string; value?: string; multiStrValue?: string[]; boolValue?: boolean };

/**
 * A Workspace Login audit LogEntry in the shape Cloud Logging writes it (see
 * https://cloud.google.com/logging/docs/audit/gsuite-login-samples): the shared fixtures hold no such
 * entry, so tests build them from the documented layout, one field at a time.
 */
export function loginEntry(
  eventName: string,
  parameters: Param[],
  principalEmail: string | undefined = 'breakglass@example.com',
): JsonObject {
  const method = eventName.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
  return {
    insertId: `-${eventName}-1`,
    logName: 'organizations/123/logs/cloudaudit.googleapis.com%2Fdata_access',
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      ...(principalEmail === undefined ? {} : { authenticationInfo: { principalEmail } }),
      requestMetadata: { callerIp: '203.0.113.7', requestAttributes: {}, destinationAttributes: {} },
      serviceName: 'login.googleapis.com',
      methodName: `google.login.LoginService.${method}`,
      resourceName: 'organizations/123',
      metadata: {
        '@type': 'type.googleapis.com/ccc_hosted_reporting.ActivityProto',
        activityId: { timeUsec: '1632458429811809', uniqQualifier: '358068855354' },
        event: [
          {
            eventType: 'login',
            eventName,
            parameter: parameters.map((p) => ({ type: 'TYPE_STRING', label: 'LABEL_OPTIONAL', ...p })),
          },
        ],
      },
    },
    resource: {
      type: 'audited_resource',
      labels: { method: `google.login.LoginService.${method}`, service: 'login.googleapis.com' },
    },
    timestamp: '2021-09-24T04:40:29.811809Z',
    severity: 'NOTICE',
    receiveTimestamp: '2021-09-24T05:43:20.474338130Z',
  };
}
