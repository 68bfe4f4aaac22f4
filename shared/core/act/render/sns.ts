import type { PageMessage } from '../actions.js';
import { DRILL_PREFIX, headlineWithReason } from './page.js';
import { capCodePoints } from './sanitize.js';

/**
 * The SNS message a person reads as an e-mail or SMS. The subject is what e-mail shows: SNS requires
 * it under 100 characters with no line breaks or control characters, and older SNS documentation says
 * ASCII, so it is folded to printable ASCII. The body's first line is the headline, so an SMS (which
 * shows only the start) still says who broke the glass where.
 */

export const SNS_SUBJECT_MAX = 99;
/** SNS allows 256 KB; an e-mail page needs a few. */
const MESSAGE_MAX = 16_000;

/** Printable ASCII only: accents dropped, anything else becomes `?`, whitespace folded. */
export function toAsciiLine(value: string, max: number): string {
  const ascii = value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/·/g, '-')
    .replace(/…/g, '...')
    .replace(/[^\x20-\x7E]/g, '?')
    .replace(/\s+/g, ' ')
    .trim();
  return ascii.length > max ? `${ascii.slice(0, max - 3)}...` : ascii;
}

export interface SnsMessage {
  subject: string;
  message: string;
}

/** Subject word for why the page goes out; an opening page that carries a reason is a fallback page. */
function subjectTag(page: PageMessage): string {
  if (page.reason === 'escalated') return ' escalation';
  if (page.reason === 'resolved') return ' session ended';
  return page.reasonText ? ' (fallback pager)' : '';
}

export function toSns(page: PageMessage): SnsMessage {
  const rest = page.drill ? page.headline.slice(DRILL_PREFIX.length) : page.headline;
  const subject = toAsciiLine(
    `${page.drill ? DRILL_PREFIX : ''}Glasswatch ${page.severity}${subjectTag(page)}: ${rest}`,
    SNS_SUBJECT_MAX,
  );
  const lines = [
    headlineWithReason(page),
    '',
    ...page.facts.map((f) => `${f.label}: ${f.value}`),
    '',
    'Sent by Glasswatch. Details and the review checklist are in the incident ticket.',
  ];
  return { subject, message: capCodePoints(lines.join('\n'), MESSAGE_MAX) };
}
