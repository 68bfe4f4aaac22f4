import { ENTRA_CHANGES } from '../entra-changes.js';

/**
 * The README's list of Entra account changes, generated from the table (a test keeps the README equal).
 *
 * @example
 * entraChangesMarkdown().split('\n')[0]; // '| activities | service | category | page says | read from | severity | documented at |'
 */
export function entraChangesMarkdown(): string {
  const rows = ENTRA_CHANGES.map((e) =>
    [
      e.activities.map((a) => `\`${a}\``).join(', '),
      e.service,
      e.category,
      e.what,
      e.reads,
      e.severity,
      `[page](${e.doc})`,
    ].join(' | '),
  );
  return [
    '| activities | service | category | page says | read from | severity | documented at |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r} |`),
  ].join('\n');
}
