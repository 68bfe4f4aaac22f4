/**
 * Reads an iCalendar file back (RFC 5545 §3.1): lines unfolded (CRLF followed by a space or tab),
 * each content line split into name, parameters and value, text values unescaped. Enough to check
 * what a calendar client would see; not a general parser.
 */
export interface ContentLine {
  name: string;
  params: Record<string, string>;
  value: string;
}

export function parseIcs(text: string): ContentLine[] {
  const unfolded = text.replace(/\r\n[ \t]/g, '');
  return unfolded
    .split('\r\n')
    .filter((line) => line !== '')
    .map((line) => {
      // The value starts at the first colon outside a quoted parameter value.
      let quoted = false;
      let colon = -1;
      for (let i = 0; i < line.length; i++) {
        if (line[i] === '"') quoted = !quoted;
        else if (line[i] === ':' && !quoted) {
          colon = i;
          break;
        }
      }
      const [name = '', ...params] = line.slice(0, colon).split(';');
      return {
        name,
        params: Object.fromEntries(
          params.map((p) => p.split('=') as [string, string]).map(([k, v]) => [k, v.replace(/^"|"$/g, '')]),
        ),
        value: line.slice(colon + 1),
      };
    });
}

/** RFC 5545 TEXT unescaping: `\n`, `\,`, `\;`, `\\`. */
export function unescapeText(value: string): string {
  return value.replace(/\\([nN,;\\])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

export function property(lines: readonly ContentLine[], name: string): ContentLine | undefined {
  return lines.find((l) => l.name === name);
}
