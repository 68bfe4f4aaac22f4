import { isDenied } from '../../detect/denials.js';
import { allowedByTaskPolicy } from '../../detect/root-access.js';
import type { IncidentEvent } from '../../model/incident.js';
import { sanitizeText } from './sanitize.js';

/**
 * What a page must say beyond who and where: the privileged root sessions an incident holds (caller,
 * member account, task policy) and the flags a responder must not miss (a call outside its session's
 * task policy, a denied attempt). Built from the incident's events; every log string is sanitized.
 */
export interface IncidentNotes {
  /** "arn:…/JohnRole1 → member account 222222222222 under S3UnlockBucketPolicy". */
  rootSessions: string[];
  /** "outside task policy S3UnlockBucketPolicy: iam.amazonaws.com CreateAccessKey (222222222222)". */
  flags: string[];
}

/** At most this many of each, so a sweep over a hundred accounts stays a readable page. */
const MAX_NOTES = 10;

export function incidentNotes(events: readonly IncidentEvent[]): IncidentNotes {
  const rootSessions: string[] = [];
  const flags: string[] = [];
  const policyOf = new Map<string, string | undefined>();
  for (const e of events) {
    const session = e.rootSession;
    if (session?.phase !== 'issued') continue;
    if (session.accessKeyId !== undefined) policyOf.set(session.accessKeyId, session.taskPolicy);
    const denied = e.outcome === 'failure' ? ` (${deniedOrFailed(e)})` : '';
    rootSessions.push(
      `${text(e.actor)} → member account ${text(session.memberAccount ?? 'unknown')} under ${text(session.taskPolicy ?? 'unknown task policy')}${denied}`,
    );
  }
  for (const e of events) {
    const session = e.rootSession;
    if (session?.phase === 'used') {
      const member = text(session.memberAccount ?? 'unknown account');
      if (session.accessKeyId === undefined || !policyOf.has(session.accessKeyId)) {
        flags.push(`root session of ${member} whose AssumeRoot (caller, task policy) is not in this incident`);
      } else {
        const policy = policyOf.get(session.accessKeyId);
        if (allowedByTaskPolicy(policy, e.service, e.action) === false) {
          flags.push(`outside task policy ${text(policy ?? '')}: ${text(e.service)} ${text(e.action)} (${member})`);
        }
      }
    }
    if (e.membership !== undefined) flags.push(membershipFlag(e));
    if (e.note !== undefined) flags.push(sanitizeText(e.note, 256));
    if (e.outcome === 'failure' && isDenied(e.failureReason)) {
      flags.push(`denied: ${text(e.service)} ${text(e.action)} (${text(e.failureReason ?? '')})`);
    }
  }
  flags.push(...sprayFlags(events));
  return { rootSessions: distinctCapped(rootSessions), flags: distinctCapped(flags) };
}

/** "member added to group Emergency Admins (8f2a…): mallory@contoso.com". */
function membershipFlag(e: IncidentEvent): string {
  const { change, group, member } = e.membership as NonNullable<IncidentEvent['membership']>;
  const groupName = group.name && group.id ? `${group.name} (${group.id})` : (group.email ?? group.id ?? group.name);
  const who = member?.upn ?? member?.email ?? member?.objectId ?? 'member not named in the record';
  const verb = change === 'add' ? 'member added to' : 'member removed from';
  return `${verb} group ${text(groupName ?? 'not named in the record')}: ${text(who)}`;
}

/** Sign-in failures from one address against several break-glass accounts: name every account tried. */
function sprayFlags(events: readonly IncidentEvent[]): string[] {
  const bySource = new Map<string, Set<string>>();
  for (const e of events) {
    if (!e.kinds.includes('signin.failure') || e.src.ip === undefined) continue;
    const tried = bySource.get(e.src.ip) ?? new Set<string>();
    tried.add(e.account ? `${e.account} (${e.actor})` : e.actor);
    bySource.set(e.src.ip, tried);
  }
  return [...bySource]
    .filter(([, tried]) => tried.size > 1)
    .map(([ip, tried]) => {
      const names = [...tried].slice(0, MAX_NOTES).map(text);
      const more = tried.size > MAX_NOTES ? `, … and ${tried.size - MAX_NOTES} more` : '';
      return `sign-in failures from ${text(ip)} against ${tried.size} break-glass accounts: ${names.join(', ')}${more}`;
    });
}

/** "denied" for a policy denial, else "failed": the timeline's outcome column and the notes say the same. */
export function deniedOrFailed(event: Pick<IncidentEvent, 'outcome' | 'failureReason'>): string {
  if (event.outcome !== 'failure') return event.outcome;
  return isDenied(event.failureReason) ? 'denied' : 'failed';
}

function text(value: string): string {
  return sanitizeText(value, 160);
}

function distinctCapped(values: string[]): string[] {
  const distinct = [...new Set(values)];
  return distinct.length <= MAX_NOTES
    ? distinct
    : [...distinct.slice(0, MAX_NOTES), `… and ${distinct.length - MAX_NOTES} more`];
}
