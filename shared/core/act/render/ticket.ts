import { APPROVAL_WORDS } from '../../detect/credential-readers.js';
import type { Rule } from '../../detect/rule.js';
import type { DetectionKind } from '../../model/finding.js';
import type { Incident, IncidentEvent } from '../../model/incident.js';
import { rawEventQueries } from './links.js';
import { deniedOrFailed } from './notes.js';
import { headline, pageFacts } from './page.js';
import { capCodePoints, sanitizeText } from './sanitize.js';
import type { Block, TicketDoc } from './ticket-doc.js';
import { viewIncident } from './view.js';

/** What the ticket needs to know of a rule: the runbook a responder follows. */
export type RuleInfo = Pick<Rule, 'kind' | 'title' | 'runbook' | 'references'>;

/**
 * The rules' ticket information alone, as data: the build writes it beside the responders bundle
 * (rule-info.json), so the bundle carries no rule predicates and none of the tables they read.
 *
 * @example
 * const info = ruleInfoOf(RULES);
 */
export const ruleInfoOf = (rules: readonly RuleInfo[]): RuleInfo[] =>
  rules.map(({ kind, title, runbook, references }) => ({ kind, title, runbook, references }));

export interface TicketOptions {
  /** Rule metadata for runbooks (pass `RULES`); without it the detections section lists kinds only. */
  rules?: readonly RuleInfo[];
  /** Timeline rows in the ticket body; later events are in comments anyway. */
  maxTimelineRows?: number;
  /** Events whose raw-record queries are listed. */
  maxQueryEvents?: number;
}

/** What a lead reviews after the session, ticked off in the ticket. */
export const REVIEW_CHECKLIST: readonly string[] = [
  'Justification: why was break-glass access needed? (link the change or incident record)',
  'Approvals: who approved the use, and when?',
  'Actions taken: every timeline action is expected and explained',
  'Rotation done: the break-glass credential has been rotated and re-sealed',
];

const TIMELINE_HEADER = ['Time (UTC)', 'Action', 'Resource', 'Outcome', 'Source IP'];
const TITLE_MAX = 250;

/** The ticket that opens with the incident: everything a lead needs without a console. */
export function buildTicket(incident: Incident, options: TicketOptions = {}): TicketDoc {
  const view = viewIncident(incident);
  const maxRows = options.maxTimelineRows ?? 100;
  const blocks: Block[] = [
    { type: 'heading', text: 'Summary' },
    { type: 'paragraph', text: headline(view) },
  ];
  if (view.drill) {
    blocks.push({
      type: 'paragraph',
      text: 'DRILL: this session falls in a declared drill window. Review it like any other use.',
    });
  }
  blocks.push({ type: 'facts', facts: pageFacts(view) });
  blocks.push({ type: 'heading', text: 'Timeline' }, timelineTable(incident.events.slice(0, maxRows)));
  if (incident.events.length > maxRows) {
    blocks.push({
      type: 'paragraph',
      text: `${incident.events.length - maxRows} later events are not shown here; see the comments and the raw-event queries.`,
    });
  }
  blocks.push(...detectionBlocks(incident.detections, options.rules));
  blocks.push(...queryBlocks(incident.events, options.maxQueryEvents ?? 20));
  blocks.push({ type: 'heading', text: 'Review checklist' }, { type: 'checklist', items: [...REVIEW_CHECKLIST] });
  return { title: ticketTitle(incident), blocks };
}

/** "DRILL · Break-glass use: root (111122223333) in AWS 111122223333 · critical" */
export function ticketTitle(incident: Incident): string {
  const view = viewIncident(incident);
  const place = view.where ? `${view.cloudLabel} ${view.where}` : view.cloudLabel;
  const what =
    view.opening && !view.opening.used
      ? `Break-glass credential read, no use seen: ${view.opening.reader} from ${view.opening.store}`
      : `Break-glass use: ${view.who} in ${place}`;
  return capCodePoints(`${view.drill ? 'DRILL · ' : ''}${what} · ${view.severity}`, TITLE_MAX);
}

/** A comment appending events to the timeline, led by the escalation when there is one. */
export function eventsComment(incident: Incident, events: readonly IncidentEvent[], escalation?: string): TicketDoc {
  const blocks: Block[] = [];
  if (escalation) {
    blocks.push({ type: 'paragraph', text: `${escalation}. Current severity: ${incident.severity}.` });
  }
  blocks.push({ type: 'paragraph', text: `${events.length} new event(s) in this session:` });
  blocks.push(timelineTable(events));
  blocks.push(...queryBlocks(events, 20));
  return { title: `Timeline update (${events.length} event(s))`, blocks };
}

/** "Session ended at 2026-…Z (last activity), 12 events, final severity high." */
export function sessionEndedNote(incident: Incident): string {
  const n = incident.events.length;
  return `Session ended at ${incident.lastSeen} (last activity), ${n} event${n === 1 ? '' : 's'}, final severity ${incident.severity}`;
}

/** The comment when the session ends: what to do next. */
export function sessionEndedComment(incident: Incident, pagesResolved = incident.drill): TicketDoc {
  return {
    title: 'Session ended',
    blocks: [
      {
        type: 'paragraph',
        text: `${sessionEndedNote(incident)}. ${pagesResolved ? 'Glasswatch resolved the pages.' : 'The pages stay open until a person resolves them, or this ticket is closed.'}`,
      },
      { type: 'paragraph', text: 'Review now, using the checklist:' },
      { type: 'checklist', items: [...REVIEW_CHECKLIST] },
    ],
  };
}

function timelineTable(events: readonly IncidentEvent[]): Block {
  return {
    type: 'table',
    header: [...TIMELINE_HEADER],
    rows: events.map((e) => [
      sanitizeText(e.time, 40),
      // A read of the credential says who read it and whether through the approval path.
      e.opening
        ? sanitizeText(`${e.service} ${e.action} by ${e.actor}: ${APPROVAL_WORDS[e.opening.approval]}`, 300)
        : sanitizeText(`${e.service} ${e.action}`, 160),
      e.opening
        ? sanitizeText(e.opening.store, 200)
        : sanitizeText(e.resources.slice(0, 3).join(', ') || '-', 200) +
          (e.resources.length > 3 ? ` (+${e.resources.length - 3})` : ''),
      sanitizeText(deniedOrFailed(e), 16),
      sanitizeText(e.src.ip ?? '-', 64),
    ]),
  };
}

function detectionBlocks(kinds: readonly DetectionKind[], rules: readonly RuleInfo[] | undefined): Block[] {
  const blocks: Block[] = [{ type: 'heading', text: 'Detections' }];
  for (const kind of kinds) {
    const rule = rules?.find((r) => r.kind === kind);
    if (!rule) {
      blocks.push({ type: 'paragraph', text: kind });
      continue;
    }
    blocks.push({ type: 'paragraph', text: `${rule.title} (${kind}). Runbook:` });
    blocks.push({ type: 'list', items: rule.runbook.map((step) => capCodePoints(step, 500)) });
    if (rule.references.length > 0) {
      blocks.push({ type: 'paragraph', text: 'References:' }, { type: 'list', items: [...rule.references] });
    }
  }
  return blocks;
}

function queryBlocks(events: readonly IncidentEvent[], max: number): Block[] {
  if (events.length === 0) return [];
  const blocks: Block[] = [{ type: 'heading', text: 'Raw events' }];
  for (const event of events.slice(0, max)) {
    blocks.push({ type: 'paragraph', text: `${sanitizeText(event.time, 40)} ${sanitizeText(event.action, 120)}:` });
    for (const q of rawEventQueries(event)) blocks.push({ type: 'code', text: `${q.label}: ${q.text}` });
  }
  if (events.length > max) blocks.push({ type: 'paragraph', text: `${events.length - max} more event(s) not listed.` });
  return blocks;
}
