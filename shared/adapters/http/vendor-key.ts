import { createHash } from 'node:crypto';

/** `gw-` and the first `length` hex digits of SHA-256: stable, short, safe in any vendor field. */
export function hashKey(value: string, length = 32): string {
  return `gw-${createHash('sha256').update(value).digest('hex').slice(0, length)}`;
}

/**
 * The incident id as a vendor dedup key (PagerDuty `dedup_key` ≤ 255, Opsgenie `alias` ≤ 512,
 * ServiceNow `correlation_id` ≤ 100): the id itself when it fits and is printable ASCII without
 * spaces, else a stable hash, so the same incident always maps to the same key.
 */
export function vendorKey(incidentId: string, max: number): string {
  if (incidentId.length <= max && /^[\x21-\x7E]+$/.test(incidentId)) return incidentId;
  return hashKey(incidentId, Math.max(8, Math.min(40, max - 3)));
}
