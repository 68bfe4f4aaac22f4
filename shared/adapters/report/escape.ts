import { sanitizeText } from '../../core/act/render/sanitize.js';

/**
 * HTML escaping for the posture report. Every string that reaches the page goes through one of these;
 * nothing from a log (principals, account descriptions, errors) can become markup, an attribute break
 * or a script.
 */

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/**
 * Escapes the five characters HTML gives meaning to (and the backtick old IE did), for text and for
 * double- or single-quoted attribute values.
 *
 * @example
 * escapeHtml('<img src=x onerror="alert(1)">') // '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => ENTITIES[c] as string);
}

/** Untrusted text for the page: made inert (no control or bidi characters, URLs defanged), capped, escaped. */
export function text(value: unknown, max = 300): string {
  return escapeHtml(sanitizeText(value, max));
}
