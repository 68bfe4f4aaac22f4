import { TAMPER_ENTRIES } from '../tamper-actions.js';

/**
 * The README's list of tamper actions, generated from the table (a test keeps the README equal to it).
 *
 * @example
 * tamperActionsMarkdown().split('\n')[0]; // '| cloud | service | actions | fires on | severity | pages at once | documented at |'
 */
export function tamperActionsMarkdown(): string {
  const rows = TAMPER_ENTRIES.map((e) =>
    [
      e.cloud,
      e.service ? `\`${e.service}\`` : 'any',
      e.actions.map((a) => `\`${a}\``).join(', '),
      e.what,
      e.severity,
      e.pagesAtOnce ? 'yes' : 'no (ticket)',
      `[page](${e.doc})`,
    ].join(' | '),
  );
  return [
    '| cloud | service | actions | fires on | severity | pages at once | documented at |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r} |`),
  ].join('\n');
}
