import type { DirectoryRecord, DirectoryTarget, ModifiedProperty } from '../../model/audit-event.js';
import { cap, isObject, type JsonObject } from '../fields.js';

/**
 * An Entra audit record's `targetResources` (already parsed: Log Analytics may hold them as JSON text)
 * as {@link DirectoryRecord}: what the Entra change table reads (shared/core/detect/entra-changes.ts).
 * The Graph directoryAudit resource, the diagnostic `properties` and the Log Analytics `TargetResources`
 * column hold the same objects: `type`, `id`, `displayName`, `userPrincipalName`,
 * `modifiedProperties[] { displayName, oldValue, newValue }`.
 * https://learn.microsoft.com/graph/api/resources/targetresource
 * https://learn.microsoft.com/graph/api/resources/modifiedproperty
 */

/** A user update lists a few dozen properties at most; values are short JSON text (a CA policy is read elsewhere). */
const MAX_PROPERTIES = 60;
const MAX_VALUE_LENGTH = 2_000;

export function directoryRecord(targets: readonly JsonObject[], resultReason: string | undefined): DirectoryRecord {
  const record: DirectoryRecord = { targets: targets.map(directoryTarget) };
  if (resultReason) record.resultReason = cap(resultReason, 512);
  return record;
}

function directoryTarget(target: JsonObject): DirectoryTarget {
  const out: DirectoryTarget = { type: text(target.type) ?? 'Unknown', modified: [] };
  const id = text(target.id);
  const name = text(target.displayName);
  const upn = text(target.userPrincipalName);
  if (id) out.id = id;
  if (name) out.name = name;
  if (upn) out.upn = upn;
  const properties = Array.isArray(target.modifiedProperties) ? target.modifiedProperties : [];
  for (const property of properties.slice(0, MAX_PROPERTIES)) {
    if (!isObject(property)) continue;
    const name = text(property.displayName);
    if (name === undefined) continue;
    const modified: ModifiedProperty = { name };
    const old = value(property.oldValue);
    const now = value(property.newValue);
    if (old !== undefined) modified.old = old;
    if (now !== undefined) modified.new = now;
    out.modified.push(modified);
  }
  return out;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? cap(value, 256) : undefined;
}

/** Values are JSON text in every spelling; a reader that wrote them as JSON keeps its text form. */
function value(raw: unknown): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  const written = typeof raw === 'string' ? raw : JSON.stringify(raw);
  return written.slice(0, MAX_VALUE_LENGTH);
}
