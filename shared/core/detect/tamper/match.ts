import type { AuditEvent } from '../../model/audit-event.js';
import type { Pipeline } from '../../registry/pipeline.js';
import { canonicalAction } from '../action-table.js';
import { TAMPER_ENTRIES, type TamperEntry } from '../tamper-actions.js';
import { deployedByCloudFormation } from './aws.js';
import { UNKNOWN } from './fields.js';

/** cloud + canonical action → the entries naming it, most severe first (the table's order within a name). */
const BY_ACTION = new Map<string, TamperEntry[]>();
for (const entry of TAMPER_ENTRIES) {
  for (const action of entry.actions) {
    const key = `${entry.cloud}\n${canonicalAction(entry.cloud, action)}`;
    BY_ACTION.set(key, [...(BY_ACTION.get(key) ?? []), entry]);
  }
}

/** An entry this event is, and whether the record said what changed. */
export interface TamperMatch {
  entry: TamperEntry;
  /** The record does not say what changed or on which resource (no parameters, body or name): it fires anyway. */
  unknown: boolean;
  /** The entry's paging decision for this call. */
  pagesAtOnce: boolean;
}

/**
 * The first entry of the tamper table this event is, on the path `pipeline` names.
 *
 * @example
 * tamperMatchOf(stopLoggingEvent, registry.pipeline)?.entry.severity; // 'critical'
 */
export function tamperMatchOf(event: AuditEvent, pipeline: Pipeline | undefined): TamperMatch | undefined {
  const entries = BY_ACTION.get(`${event.cloud}\n${canonicalAction(event.cloud, event.action)}`);
  const service = event.service.toLowerCase();
  for (const entry of entries ?? []) {
    if (entry.service !== undefined && entry.service !== service) continue;
    const verdict = entry.when === undefined ? true : entry.when(event, pipeline);
    if (verdict === false) continue;
    const pagesAtOnce = entry.pagesAtOnce === 'unless-deployed' ? !deployedByCloudFormation(event) : entry.pagesAtOnce;
    return { entry, unknown: verdict === UNKNOWN, pagesAtOnce };
  }
  return undefined;
}

export function tamperEntryOf(event: AuditEvent, pipeline: Pipeline | undefined): TamperEntry | undefined {
  return tamperMatchOf(event, pipeline)?.entry;
}
