import type { AuditEvent } from '../../shared/core/model/audit-event.js';
import { Skipped } from '../../shared/core/normalize/skips.js';
import type { RawRecord } from '../../shared/core/normalize/types.js';

/** The records an envelope opened; fails the test, naming the skip, when it skipped the document instead. */
export function opened(result: RawRecord[] | Skipped): RawRecord[] {
  if (result instanceof Skipped) throw new Error(`expected records, got a skip (${result.kind}: ${result.reason})`);
  return result;
}

/** The event `normalize` returned; fails the test, naming the skip, when the record was skipped instead. */
export function normalized(result: AuditEvent | Skipped): AuditEvent {
  if (result instanceof Skipped) throw new Error(`expected an event, got a skip (${result.kind}: ${result.reason})`);
  return result;
}
