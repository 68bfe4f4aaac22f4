/**
 * The one gate every untrusted string (from a log, or a vendor's error body) passes before it reaches a
 * page, a ticket or a chat message. It makes text inert and bounded; each serializer then applies the
 * escaping its own format needs (Slack `&<>`, Markdown punctuation, ServiceNow `[code]`).
 */

/** C0/C1 controls except tab and newline, which are handled separately. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this regex's job.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
/**
 * Invisible characters that reorder or hide text: bidi embeddings/overrides/isolates (U+202E turns
 * "exe.txt" into "txt.exe"), zero-width joiners and spaces, word joiner, BOM, soft hyphen, Mongolian
 * vowel separator, and the Unicode tag block (invisible ASCII look-alikes).
 */
const INVISIBLE =
  /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\u00AD\u180E]|\uDB40[\uDC00-\uDC7F]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const LINE_BREAKS = /\r\n?|[\u2028\u2029\u0085]/g;
/** `scheme://` becomes `scheme[:]//` so no chat client, ticket renderer or mail reader turns it into a link. */
const URL_SCHEME = /:\/\//g;
const WWW = /\bwww\./gi;

export interface SanitizeOptions {
  /** Keep line breaks (at most one blank line in a row). Default: fold everything onto one line. */
  multiline?: boolean;
}

/**
 * Inert, bounded text: no control, bidi or zero-width characters, no lone surrogates, URLs defanged,
 * whitespace folded (one line unless `multiline`), at most `max` code points (an ellipsis marks a cut).
 *
 * @example
 * sanitizeText('evil\u202Etxt.exe <https://x|click>', 40) // 'eviltxt.exe <https[:]//x|click>'
 */
export function sanitizeText(value: unknown, max: number, options: SanitizeOptions = {}): string {
  let text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  // Bound the work before the regexes run: a 10 MB field costs no more than a 4×max one.
  if (text.length > max * 4 + 16) text = text.slice(0, max * 4 + 16);
  text = text
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(LINE_BREAKS, '\n')
    .replace(CONTROL, '')
    .replace(INVISIBLE, '')
    .replace(URL_SCHEME, '[:]//')
    .replace(WWW, 'www[.]');
  text = options.multiline
    ? text
        .replace(/[\t ]+/g, ' ')
        .replace(/ *\n */g, '\n')
        .replace(/\n{3,}/g, '\n\n')
    : text.replace(/\s+/g, ' ');
  return capCodePoints(text.trim(), max);
}

/** At most `max` code points; never splits a surrogate pair. */
export function capCodePoints(text: string, max: number): string {
  if (text.length <= max) return text;
  const points = Array.from(text);
  if (points.length <= max) return text;
  return `${points.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** A vendor error body, shortened for a report line, with every credential value blanked out. */
export function excerpt(body: string, secrets: readonly string[] = [], max = 300): string {
  let text = body;
  for (const secret of secrets) if (secret.length >= 4) text = text.split(secret).join('[redacted]');
  return sanitizeText(text, max);
}
