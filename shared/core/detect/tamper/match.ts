import type { AuditEvent } from '../../model/audit-event.js';
import type { Pipeline } from '../../registry/pipeline.js';
import { canonicalAction } from '../action-table.js';
import { TAMPER_ENTRIES, type TamperEntry } from '../tamper-actions.js';

/** cloud + canonical action → the entries naming it, most severe first (the table's order within a name). */
const BY_ACTION = new Map<string, TamperEntry[]>();
for (const entry of TAMPER_ENTRIES) {
  for (const action of entry.actions) {
    const key = `${entry.cloud}\n${canonicalAction(entry.cloud, action)}`;
    BY_ACTION.set(key, [...(BY_ACTION.get(key) ?? []), entry]);
  }
}

/**
 * The first entry of the tamper table this event is, on the path `pipeline` names.
 *
 * @example
 * tamperEntryOf(stopLoggingEvent, registry.pipeline)?.severity; // 'critical'
 */
export function tamperEntryOf(event: AuditEvent, pipeline: Pipeline | undefined): TamperEntry | undefined {
  const entries = BY_ACTION.get(`${event.cloud}\n${canonicalAction(event.cloud, event.action)}`);
  const service = event.service.toLowerCase();
  return entries?.find(
    (e) => (e.service === undefined || e.service === service) && (e.when === undefined || e.when(event, pipeline)),
  );
}
