import { join } from 'node:path';
import type { Action } from '../../core/act/actions.js';
import type { TaskSpec } from '../../core/act/aftermath/types.js';
import { escapeMarkdown, toMarkdown } from '../../core/act/render/markdown.js';
import { toSns } from '../../core/act/render/sns.js';
import type { TicketDoc } from '../../core/act/render/ticket-doc.js';
import { renderInvite } from '../ics/invite.js';

/**
 * The aftermath's local files, beside pages and tickets: `schedules/<incident>-review.json` and
 * `-rotation.json` (what EventBridge Scheduler would be asked), `reviews/<incident>.md` and `.ics`
 * (the review task and its invite), `rotations/<incident>.md` (the rotation task, rewritten as done
 * when the rotation is seen), `pages/<incident>.<reason>.txt` (an overdue rotation's page). Each write
 * is the whole file, so a re-run leaves the same content.
 */

export interface OutboxFile {
  /** Ref name in the delivery report: `schedule`, `task`, `invite`, `page`. */
  name: string;
  path: string;
  content: string;
}

/** The action type whose `kind` may be K (PageAction is both 'page' and 'notify'). */
type ActionOf<K extends Action['kind']> = Action extends infer A
  ? A extends { kind: infer Kinds }
    ? K extends Kinds
      ? A
      : never
    : never
  : never;

type FileWriter<K extends Action['kind']> = (action: ActionOf<K>, root: string, stem: string) => OutboxFile | undefined;

const TASK_FOLDERS = { review: 'reviews', rotation: 'rotations' } as const;

function taskMarkdown(task: TaskSpec, closed?: TicketDoc): string {
  const status = closed ? `**Status:** done\n\n${toMarkdown(closed)}\n` : '**Status:** open\n\n';
  const title = closed ? `[DONE] ${task.title}` : task.title;
  return `${toMarkdown({ ...task.doc, title })}\n${status}**Due:** ${escapeMarkdown(`${task.dueDate} (${task.dueAt})`)}\n`;
}

/** Per action kind, the file it becomes; kinds absent here are not outbox actions. */
export const AFTERMATH_FILES: { [K in Action['kind']]?: FileWriter<K> } = {
  'schedule.create': ({ schedule }, root, stem) => ({
    name: 'schedule',
    path: join(root, 'schedules', `${stem}-${schedule.task}.json`),
    content: `${JSON.stringify(
      {
        name: schedule.name,
        scheduleExpression: schedule.expression,
        scheduleExpressionTimezone: 'UTC',
        localTime: schedule.localTime,
        description: schedule.description,
        input: schedule.input,
      },
      null,
      2,
    )}\n`,
  }),
  'task.create': ({ task }, root, stem) => ({
    name: 'task',
    path: join(root, TASK_FOLDERS[task.task], `${stem}.md`),
    content: taskMarkdown(task),
  }),
  'task.close': ({ task, note }, root, stem) => ({
    name: 'task',
    path: join(root, TASK_FOLDERS[task.task], `${stem}.md`),
    content: taskMarkdown(task, note),
  }),
  'invite.send': ({ invite }, root, stem) => ({
    name: 'invite',
    path: join(root, 'reviews', `${stem}.ics`),
    content: renderInvite(invite, `tickets/${stem}.md (local outbox)`),
  }),
  // Pages other than the incident's own (an overdue rotation): one file per reason.
  page: (action, root, stem) => {
    const page = toSns(action.page);
    const reason = action.key.replace(/:outbox$/, '').replace(/[^A-Za-z0-9._-]+/g, '-');
    return {
      name: 'page',
      path: join(root, 'pages', `${stem}.${reason}.txt`),
      content: `Subject: ${page.subject}\n\n${page.message}\n`,
    };
  },
};

/** The file an aftermath action becomes in the outbox, or undefined when the outbox cannot do it. */
export function aftermathFile(action: Action, root: string, stem: string): OutboxFile | undefined {
  const writer = AFTERMATH_FILES[action.kind] as FileWriter<Action['kind']> | undefined;
  return writer?.(action as never, root, stem);
}
