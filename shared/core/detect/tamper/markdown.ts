import { markdownTable } from '../markdown-table.js';
import { TAMPER_ENTRIES, type TamperEntry } from '../tamper-actions.js';

const PAGES: Record<`${TamperEntry['pagesAtOnce']}`, string> = {
  true: 'yes',
  false: 'no (ticket)',
  'unless-deployed': 'when made directly; a ticket when CloudFormation made it',
};

/**
 * The README's list of tamper actions, generated from the table (a test keeps the README equal to it).
 *
 * @example
 * tamperActionsMarkdown().split('\n')[0]; // '| cloud | service | actions | fires on | severity | pages at once | documented at |'
 */
export function tamperActionsMarkdown(): string {
  return markdownTable(
    ['cloud', 'service', 'actions', 'fires on', 'severity', 'pages at once', 'documented at'],
    TAMPER_ENTRIES.map((e) => [
      e.cloud,
      e.service ? `\`${e.service}\`` : 'any',
      e.actions.map((a) => `\`${a}\``).join(', '),
      e.what,
      e.severity,
      PAGES[`${e.pagesAtOnce}`],
      `[page](${e.doc})`,
    ]),
  );
}
