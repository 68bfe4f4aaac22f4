import { createHash } from 'node:crypto';
import { isObject, type JsonObject, parseTime } from '../../core/normalize/fields.js';

/**
 * What the poller needs from one entries.list entry before normalizing it: that it is LogEntry JSON
 * (not the gRPC shape), its dedup id and its receive time.
 */

/** An entry in a shape the normalizer cannot read; reported per entry, the rest of the page goes on. */
export class LogEntryShapeError extends Error {
  override readonly name = 'LogEntryShapeError';
  constructor(where: string, reason: string) {
    super(`${where}: ${reason}`);
  }
}

/**
 * The entry as LogEntry JSON. The gRPC shape of `protoPayload` (`{type_url, value: bytes}`, what
 * `Logging#getEntries` returns) carries the AuditLog as protobuf bytes no JSON reader can see into:
 * it is refused by name instead of producing an event without caller or method.
 */
export function asLogEntryJson(entry: unknown, where: string): JsonObject {
  if (!isObject(entry)) throw new LogEntryShapeError(where, `expected a LogEntry object, got ${typeof entry}`);
  const payload = entry.protoPayload;
  if (isObject(payload) && Object.hasOwn(payload, 'type_url') && !Object.hasOwn(payload, '@type')) {
    const type = typeof payload.type_url === 'string' ? payload.type_url.slice(0, 120) : 'unknown type';
    throw new LogEntryShapeError(
      where,
      `protoPayload is a binary google.protobuf.Any (${type}), the gRPC shape: read entries with the REST entries.list client`,
    );
  }
  return entry;
}

/**
 * `logName|timestamp|insertId`: insertId is unique only within one log and timestamp (LogEntry
 * reference), and an organization-wide read spans many projects' logs. An entry missing them (it will
 * fail normalization and be reported) gets a digest of its text so it is still read only once.
 */
export function logEntryId(entry: JsonObject): string {
  const { logName, timestamp, insertId } = entry;
  if (typeof logName === 'string' && typeof timestamp === 'string' && typeof insertId === 'string') {
    return `${logName}|${timestamp}|${insertId}`;
  }
  return `digest:${createHash('sha256').update(JSON.stringify(entry)).digest('base64url')}`;
}

/** `receiveTimestamp` in epoch ms (nanoseconds truncated), undefined when absent or unreadable. */
export function receiveTimeMs(entry: JsonObject): number | undefined {
  return typeof entry.receiveTimestamp === 'string' ? parseTime(entry.receiveTimestamp) : undefined;
}
