import { fitDoc } from './fit.js';
import { blockLines, type TicketDoc } from './ticket-doc.js';

/**
 * Plain text for ServiceNow journal and description fields. ServiceNow escapes HTML in these fields
 * except between `[code]` and `[/code]`, where it renders raw HTML: every spelling of those tags is
 * neutralised, so `[code]<script>` from a log stays text.
 */

/** `[code]`, `[/code]`, `[ CODE ]`… → `(code)`, `(/code)`. */
const CODE_TAG = /\[\s*(\/?)\s*code\s*\]/gi;

/** Text that ServiceNow will show verbatim. */
export function neutraliseServiceNow(value: string): string {
  return value.replace(CODE_TAG, '($1code)');
}

/** A TicketDoc as plain text lines, at most `max` characters. */
export function toPlainText(doc: TicketDoc, max: number): string {
  const render = (d: TicketDoc): string =>
    d.blocks.map((b) => (b.type === 'heading' ? `== ${b.text} ==` : blockLines(b).join('\n'))).join('\n\n');
  const fitted = fitDoc(doc, (d) => render(d).length, max);
  return neutraliseServiceNow(render(fitted)).slice(0, max);
}
