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
  const rootSessions = new Notes();
  const flags = new Notes();
  const policyOf = new Map<string, string | undefined>();
  for (const e of events) {
    const session = e.rootSession;
    if (session?.phase !== 'issued') continue;
    if (session.accessKeyId !== undefined) policyOf.set(session.accessKeyId, session.taskPolicy);
    const denied = e.outcome === 'failure' ? ` (${deniedOrFailed(e)})` : '';
    const { memberAccount = 'unknown', taskPolicy = 'unknown task policy' } = session;
    rootSessions.add(
      [e.actor, memberAccount, taskPolicy, denied],
      () => `${text(e.actor)} → member account ${text(memberAccount)} under ${text(taskPolicy)}${denied}`,
    );
  }
  for (const e of events) {
    const session = e.rootSession;
    if (session?.phase === 'used') {
      const member = session.memberAccount ?? 'unknown account';
      if (session.accessKeyId === undefined || !policyOf.has(session.accessKeyId)) {
        flags.add(
          ['root', member],
          () => `root session of ${text(member)} whose AssumeRoot (caller, task policy) is not in this incident`,
        );
      } else {
        const policy = policyOf.get(session.accessKeyId);
        if (allowedByTaskPolicy(policy, e.service, e.action) === false) {
          flags.add(
            ['policy', policy ?? '', e.service, e.action, member],
            () => `outside task policy ${text(policy ?? '')}: ${text(e.service)} ${text(e.action)} (${text(member)})`,
          );
        }
      }
    }
    if (e.membership !== undefined) flags.add(['membership', JSON.stringify(e.membership)], () => membershipFlag(e));
    if (e.note !== undefined) flags.add(['note', e.note], () => sanitizeText(e.note, 256));
    if (e.outcome === 'failure' && isDenied(e.failureReason)) {
      const reason = e.failureReason ?? '';
      flags.add(
        ['denied', e.service, e.action, reason],
        () => `denied: ${text(e.service)} ${text(e.action)} (${text(reason)})`,
      );
    }
  }
  for (const flag of sprayFlags(events)) flags.add(['spray', flag], () => flag);
  return { rootSessions: distinctCapped(rootSessions.render()), flags: distinctCapped(flags.render()) };
}

/**
 * Notes, each rendered (sanitized) once per distinct raw parts, in order of first appearance: a session
 * of 800 denied calls holds a handful of distinct ones, and sanitizing every one of them was most of
 * the time it took to render a page. The same parts always render the same text, so the notes and
 * their order are those of rendering every event.
 */
class Notes {
  private readonly byParts = new Map<string, () => string>();

  add(parts: readonly string[], render: () => string): void {
    const key = JSON.stringify(parts);
    if (!this.byParts.has(key)) this.byParts.set(key, render);
  }

  render(): string[] {
    return [...this.byParts.values()].map((render) => render());
  }
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
