import { createEvent, type EventAttributes } from 'ics';
import type { Invite } from '../../core/act/aftermath/types.js';
import { sanitizeText } from '../../core/act/render/sanitize.js';

/**
 * The review invite as an iCalendar file (RFC 5545) through the `ics` package: METHOD:REQUEST, the
 * organizer, every owner an attendee asked to reply, UID `<incident>-review@glasswatch` so a re-sent
 * invite updates the same event, and DTSTAMP fixed to the session end so a re-render is identical.
 * `ics` escapes `\ ; ,` and newlines; text is also re-sanitized here (controls stripped, capped).
 */

const SUMMARY_MAX = 200;
const DESCRIPTION_MAX = 4_000;

/** The invite could not be rendered (the `ics` validator refused a field): a bug, not a vendor problem. */
export class InviteRenderError extends Error {
  override readonly name = 'InviteRenderError';
}

/** `ticket`: where the review is tracked ("SEC-1 (review task SEC-2)"), added to the description. */
export function renderInvite(invite: Invite, ticket?: string): string {
  const description = sanitizeText(
    ticket ? `${invite.description}\n\nTicket: ${ticket}` : invite.description,
    DESCRIPTION_MAX,
    { multiline: true },
  );
  const attributes: EventAttributes & { timestamp: number } = {
    productId: 'glasswatch/aftermath',
    method: 'REQUEST',
    uid: invite.uid,
    sequence: 0,
    timestamp: Date.parse(invite.stamp),
    start: Date.parse(invite.start),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: Date.parse(invite.end),
    endInputType: 'utc',
    endOutputType: 'utc',
    title: sanitizeText(invite.summary, SUMMARY_MAX),
    description,
    status: 'CONFIRMED',
    busyStatus: 'BUSY',
    organizer: { name: 'Glasswatch', email: invite.organizer },
    attendees: invite.attendees.map((email) => ({
      name: email,
      email,
      rsvp: true,
      partstat: 'NEEDS-ACTION',
      role: 'REQ-PARTICIPANT',
    })),
  };
  const { error, value } = createEvent(attributes);
  if (error || !value) throw new InviteRenderError(`invite ${invite.uid}: ${error?.message ?? 'empty output'}`);
  return value;
}
