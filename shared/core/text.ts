/**
 * Cloud identifiers (Azure resource ids, category names, ARNs' resource parts, GCP resource names as
 * the registry and the records spell them) compare case-insensitively; an absent side never matches.
 */
export function sameText(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}
