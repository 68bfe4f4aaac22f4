import { AUTH_STRENGTH_ORDER, type AuthStrength, type Cloud } from '../../model/audit-event.js';
import type { DetectionKind, Severity } from '../../model/finding.js';
import type { Incident, IncidentEvent, OpeningApproval } from '../../model/incident.js';
import { type IncidentNotes, incidentNotes } from './notes.js';
import { sanitizeText } from './sanitize.js';
import { shortUserAgent } from './user-agent.js';

/**
 * The facts every output shows, extracted once from an incident and sanitized once: who broke the
 * glass, in which cloud and account, from where, with or without MFA.
 */
export interface IncidentView {
  incidentId: string;
  drill: boolean;
  severity: Severity;
  who: string;
  cloudLabel: string;
  where?: string;
  ip?: string;
  geo?: string;
  /** "Firefox/120 on macOS". */
  userAgent?: string;
  /** The whole user agent, capped, for tickets. */
  userAgentFull?: string;
  mfa: MfaWording;
  mfaMethods: string[];
  /** "signed in to", "was active in"… */
  verb: string;
  detections: DetectionKind[];
  firstSeen: string;
  lastSeen: string;
  status: Incident['status'];
  eventCount: number;
  /** Privileged root sessions and flags (out-of-policy calls, denied attempts): see notes.ts. */
  notes: IncidentNotes;
  /**
   * The session began by reading the break-glass credential from its store: who read it, from where,
   * through which store. `who`, `verb` and the source then describe what followed (`used`), if anything.
   */
  opening?: OpeningView;
}

export interface OpeningView {
  reader: string;
  ip?: string;
  /** The registry's store, as the rule named it. */
  store: string;
  approval: OpeningApproval;
  /** Anything besides reads of the store followed in the session (a sign-in, activity). */
  used: boolean;
}

export type MfaWording = 'with MFA' | 'without MFA' | 'MFA unknown';

export const CLOUD_LABELS: Readonly<Record<Cloud, string>> = {
  aws: 'AWS',
  gcp: 'GCP',
  azure: 'Azure',
  vault: 'HashiCorp Vault',
};

/** The incident's story in one verb, by the most telling detection it holds (first match wins). */
const VERBS: readonly (readonly [DetectionKind, string])[] = [
  ['signin.without-opening', 'signed in, without opening the vault, to'],
  ['signin.success', 'signed in to'],
  ['signin.without-mfa', 'signed in to'],
  ['signin.weak-auth', 'signed in to'],
  ['activity', 'was active in'],
  ['account.change', 'changed a break-glass account in'],
  ['audit.tamper', 'tampered with audit logging in'],
  ['root.privileged-task', 'opened a privileged root session from'],
  ['signin.failure', 'failed to sign in to'],
  ['signin.attempt', 'tried to sign in to'],
  ['credential.access', 'read the break-glass credential in'],
];

/** Length caps per field: enough for any real value, small enough for a one-line page. */
const CAPS = { who: 128, where: 96, ip: 64, geo: 64, ua: 512, method: 48, store: 200 } as const;

/**
 * Views already read, per incident object: a change's page, ticket and ticket title each read the same
 * incident (three reads of an 800-event session per outbox write). Incidents are never changed in place
 * (a change carries a new object); the version and event count guard that anyway.
 */
const views = new WeakMap<Incident, { version: number; events: number; view: IncidentView }>();

/** Reads an incident into the facts outputs render. Pure; untrusted fields are sanitized here. */
export function viewIncident(incident: Incident): Readonly<IncidentView> {
  const known = views.get(incident);
  if (known?.version === incident.version && known.events === incident.events.length) return known.view;
  const view = readIncident(incident);
  views.set(incident, { version: incident.version, events: incident.events.length, view });
  return view;
}

function readIncident(incident: Incident): IncidentView {
  const opening = openingOf(incident.events);
  // After an opening, who / where / from where describe what followed it (the opening has its own line).
  const rest = opening ? incident.events.filter((e) => !isStoreRead(e)) : incident.events;
  const events = rest.length > 0 ? rest : incident.events;
  const withSource = events.find((e) => e.src.ip !== undefined) ?? events[0];
  // Only a place in the incident's own cloud: a credential read from another store (a Vault namespace, a
  // Key Vault's subscription) is not where the account lives.
  const where = firstDefined(events, (e) => (e.cloud === incident.cloud ? e.where : undefined));
  const { wording, methods } = mfaOf(events);
  const detections = new Set(events.flatMap((e) => e.kinds));
  const principal = opening?.used ? rest[0]?.actor : incident.principal;
  return {
    incidentId: sanitizeText(incident.id, 200),
    drill: incident.drill,
    severity: incident.severity,
    who: sanitizeText(principal, CAPS.who) || 'unknown principal',
    cloudLabel: CLOUD_LABELS[incident.cloud],
    where: optional(where, CAPS.where),
    ip: optional(withSource?.src.ip, CAPS.ip),
    geo: optional(withSource?.src.geo, CAPS.geo),
    userAgent: shortUserAgent(withSource?.src.userAgent),
    userAgentFull: optional(withSource?.src.userAgent, CAPS.ua),
    mfa: wording,
    mfaMethods: methods,
    verb: VERBS.find(([kind]) => detections.has(kind))?.[1] ?? 'was seen in',
    detections: [...incident.detections],
    firstSeen: incident.firstSeen,
    lastSeen: incident.lastSeen,
    status: incident.status,
    eventCount: incident.events.length,
    notes: incidentNotes(incident.events),
    ...(opening ? { opening } : {}),
  };
}

/** A read of the store and nothing else. */
function isStoreRead(event: IncidentEvent): boolean {
  return event.opening !== undefined && event.kinds.every((k) => k === 'credential.access');
}

/** The opening that starts the session, when its first event is one. */
function openingOf(events: readonly IncidentEvent[]): OpeningView | undefined {
  const first = events[0];
  if (!first?.opening) return undefined;
  return {
    reader: sanitizeText(first.actor, CAPS.who) || 'unknown principal',
    ...(first.src.ip ? { ip: sanitizeText(first.src.ip, CAPS.ip) } : {}),
    store: sanitizeText(first.opening.store, CAPS.store),
    approval: first.opening.approval,
    used: events.some((e) => !isStoreRead(e)),
  };
}

/** Words for the strength a sign-in proved, beside its methods on the page. */
const STRENGTH_WORDS: Readonly<Record<AuthStrength, string>> = {
  'phishing-resistant': 'phishing-resistant',
  mfa: 'phishable second factor',
  'single-factor': 'password only',
};

/**
 * Any sign-in provably without MFA makes the session "without MFA": the page must not understate it.
 * Only the successful sign-ins of the session speak for it: a failed attempt that stopped at the password
 * (AWS `MFAUsed: "No"`, a Workspace `login_failure` with only `password`) says nothing about the factors of
 * the sign-in that then succeeded. A session with no successful sign-in is worded by its attempts.
 * The methods named are the recorded ones, then the weakest strength proven ("passkey; phishing-resistant").
 */
function mfaOf(events: readonly IncidentEvent[]): { wording: MfaWording; methods: string[] } {
  const succeeded = events.filter((e) => e.mfa && e.outcome === 'success');
  const infos = (succeeded.length > 0 ? succeeded : events).flatMap((e) => (e.mfa ? [e.mfa] : []));
  const methods = [...new Set(infos.flatMap((m) => m.methods))].slice(0, 5).map((m) => sanitizeText(m, CAPS.method));
  const strengths = infos.flatMap((m) => (m.strength ? [m.strength] : []));
  const weakest = strengths.sort((a, b) => AUTH_STRENGTH_ORDER[a] - AUTH_STRENGTH_ORDER[b])[0];
  if (weakest && weakest !== 'single-factor') methods.push(STRENGTH_WORDS[weakest]);
  if (infos.some((m) => m.used === false)) return { wording: 'without MFA', methods };
  if (infos.some((m) => m.used === true)) return { wording: 'with MFA', methods };
  return { wording: 'MFA unknown', methods };
}

function optional(value: string | undefined, max: number): string | undefined {
  const text = sanitizeText(value, max);
  return text === '' ? undefined : text;
}

function firstDefined<T>(items: readonly T[], pick: (item: T) => string | undefined): string | undefined {
  for (const item of items) {
    const value = pick(item);
    if (value) return value;
  }
  return undefined;
}
