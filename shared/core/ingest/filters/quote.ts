import { FilterBuildError } from './errors.js';

/**
 * String literals for the two query languages Glasswatch generates. Registry values (e-mails, UPNs,
 * object ids) are data: they are only ever placed inside a literal built here, never spliced as text,
 * so a UPN like `x" or true or "` stays one string value.
 */

/** Offset of the first C0 control or DEL: no registry identifier has one, and neither language allows a raw newline in a literal. */
export function controlCharacterAt(value: string): number {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return i;
  }
  return -1;
}

function refuseControls(value: string, where: string): void {
  const at = controlCharacterAt(value);
  if (at !== -1)
    throw new FilterBuildError(where, `value contains a control character at offset ${at}; refusing to quote it`);
}

/**
 * A Cloud Logging query-language string: double quotes, with `\` and `"` escaped by a backslash
 * (the Google API filter grammar, AIP-160). https://cloud.google.com/logging/docs/view/logging-query-language
 *
 * @example
 * loggingString('ops@example.com', 'accounts[0]') // → "ops@example.com" (with the quotes)
 */
export function loggingString(value: string, where: string): string {
  refuseControls(value, where);
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * A KQL verbatim string literal `@"…"`: backslash stands for itself and a double quote is doubled, so
 * no escape sequence can end the literal early.
 * https://learn.microsoft.com/kusto/query/scalar-data-types/string
 *
 * @example
 * kqlString('ea1@contoso.com', 'accounts[2]') // → @"ea1@contoso.com"
 */
export function kqlString(value: string, where: string): string {
  refuseControls(value, where);
  return `@"${value.replaceAll('"', '""')}"`;
}

/** `"2026-11-18T14:00:00.000Z"` for a Cloud Logging timestamp comparison. */
export function loggingTime(ms: number): string {
  return `"${new Date(ms).toISOString()}"`;
}

/** `datetime(2026-11-18T14:00:00.000Z)`: built from a number, so it cannot carry anything else. */
export function kqlDatetime(ms: number): string {
  return `datetime(${new Date(ms).toISOString()})`;
}
