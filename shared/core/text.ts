/**
 * Cloud identifiers (Azure resource ids, category names, ARNs' resource parts, GCP resource names as
 * the registry and the records spell them) compare case-insensitively; an absent side never matches.
 */
export function sameText(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

/**
 * A GUID as Entra, Azure and AWS write them: any 8-4-4-4-12 hex digits (Entra object ids do not carry
 * RFC 4122 version bits in general). No `g` flag: `test` keeps no state between calls.
 */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
