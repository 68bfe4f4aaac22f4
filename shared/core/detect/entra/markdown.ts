import { ENTRA_CHANGES } from '../entra-changes.js';
import { markdownTable } from '../markdown-table.js';

/**
 * The README's list of Entra account changes, generated from the table (a test keeps the README equal).
 *
 * @example
 * entraChangesMarkdown().split('\n')[0]; // '| activities | service | category | page says | read from | severity | documented at |'
 */
export function entraChangesMarkdown(): string {
  return markdownTable(
    ['activities', 'service', 'category', 'page says', 'read from', 'severity', 'documented at'],
    ENTRA_CHANGES.map((e) => [
      e.activities.map((a) => `\`${a}\``).join(', '),
      e.service,
      e.category,
      e.what,
      e.reads,
      e.severity,
      `[page](${e.doc})`,
    ]),
  );
}
