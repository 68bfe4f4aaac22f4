import { TAMPER_ENTRIES } from '../tamper-actions.js';

const PAGES: Record<string, string> = {
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
  const rows = TAMPER_ENTRIES.map((e) =>
    [
      e.cloud,
      e.service ? `\`${e.service}\`` : 'any',
      e.actions.map((a) => `\`${a}\``).join(', '),
      e.what,
      e.severity,
      PAGES[String(e.pagesAtOnce)],
      `[page](${e.doc})`,
    ].join(' | '),
  );
  return [
    '| cloud | service | actions | fires on | severity | pages at once | documented at |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r} |`),
  ].join('\n');
}
