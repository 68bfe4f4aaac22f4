import { APPROVAL_WORDS } from '../../detect/credential-readers.js';
import type { Incident } from '../../model/incident.js';
import type { Fact, PageMessage } from '../actions.js';
import { capCodePoints } from './sanitize.js';
import { type IncidentView, type OpeningView, viewIncident } from './view.js';

/** Drills say so first, before anything else a tired responder reads. */
export const DRILL_PREFIX = 'DRILL · ';

/** Longest headline: PagerDuty allows 1,024, but a phone screen and an SMS want far less. */
const HEADLINE_MAX = 300;

/**
 * The one line a page says:
 * "root (111122223333) signed in to AWS 111122223333 from 203.0.113.7 (Seattle, US) · Firefox/120 on macOS · without MFA · critical"
 * A session the opening of the vault started says who read the credential, from where, through which
 * store, then who used it:
 * "alice read the break-glass credential from AWS Secrets Manager prod/breakglass/root from 203.0.113.9 · then root (111122223333) signed in to AWS 111122223333 from … · with MFA · high"
 */
export function headline(view: IncidentView): string {
  const place = view.where ? `${view.cloudLabel} ${view.where}` : view.cloudLabel;
  const from = view.ip ? ` from ${view.ip}${view.geo ? ` (${view.geo})` : ''}` : '';
  const opening = view.opening;
  const parts = opening
    ? [openingLine(opening), opening.used ? `then ${view.who} ${view.verb} ${place}${from}` : 'no use seen']
    : [`${view.who} ${view.verb} ${place}${from}`];
  if (view.userAgent) parts.push(view.userAgent);
  // An opening alone proved no factor: there is no sign-in to say "MFA unknown" of.
  if (!opening || opening.used) parts.push(view.mfa);
  parts.push(view.severity);
  return capCodePoints(`${view.drill ? DRILL_PREFIX : ''}${parts.join(' · ')}`, HEADLINE_MAX);
}

/** How the page words the approval path after the store: nothing to add for an approved reader. */
const APPROVAL_SUFFIX: Readonly<Record<OpeningView['approval'], string>> = {
  approved: ' (approved reader)',
  outside: ', outside the approval path',
  undeclared: ' (approval path not declared)',
  held: ' (Vault control group / response wrapping: not disclosed until unwrapped)',
  authorized: ' (after a Vault control-group authorization)',
  drill: ' (inside a declared drill window)',
};

/** "alice read the break-glass credential from Azure Key Vault v/s from 203.0.113.9 (approved reader)". */
function openingLine(opening: OpeningView): string {
  const from = opening.ip ? ` from ${opening.ip}` : '';
  return `${opening.reader} read the break-glass credential from ${opening.store}${from}${APPROVAL_SUFFIX[opening.approval]}`;
}

/** The facts shown under the headline in alert bodies, e-mails and tickets. */
export function pageFacts(view: IncidentView): Fact[] {
  const facts: Fact[] = [
    { label: 'Incident', value: view.incidentId },
    { label: 'Principal', value: view.who },
    { label: 'Cloud', value: view.where ? `${view.cloudLabel} ${view.where}` : view.cloudLabel },
    { label: 'Source IP', value: view.ip ?? 'not recorded' },
    { label: 'Location', value: view.geo ?? 'not recorded' },
    { label: 'User agent', value: view.userAgentFull ?? 'not recorded' },
    { label: 'MFA', value: view.mfaMethods.length > 0 ? `${view.mfa} (${view.mfaMethods.join(', ')})` : view.mfa },
    { label: 'Detections', value: view.detections.join(', ') },
    { label: 'Severity', value: view.severity },
    { label: 'Drill', value: view.drill ? 'yes (declared drill window: low urgency)' : 'no' },
    { label: 'First seen', value: view.firstSeen },
    { label: 'Last seen', value: view.lastSeen },
    { label: 'Events', value: String(view.eventCount) },
  ];
  if (view.opening) {
    const { reader, store, approval, ip } = view.opening;
    facts.push(
      { label: 'Credential read by', value: ip ? `${reader} from ${ip}` : reader },
      { label: 'Credential store', value: store },
      { label: 'Approval path', value: APPROVAL_WORDS[approval] },
    );
  }
  if (view.notes.rootSessions.length > 0) {
    facts.push({ label: 'Privileged root sessions', value: view.notes.rootSessions.join('; ') });
  }
  if (view.notes.flags.length > 0) facts.push({ label: 'Flags', value: view.notes.flags.join('; ') });
  return facts.map((f) => ({ label: f.label, value: capCodePoints(f.value, 600) }));
}

/** A page for an incident, with the reason it goes out now. */
export function pageMessage(incident: Incident, reason: PageMessage['reason'], reasonText?: string): PageMessage {
  const view = viewIncident(incident);
  return {
    incidentId: incident.id,
    headline: headline(view),
    severity: incident.severity,
    drill: incident.drill,
    cloud: incident.cloud,
    source: pageSource({ ...view, cloud: incident.cloud }),
    reason,
    ...(reasonText ? { reasonText } : {}),
    facts: pageFacts(view),
    timestamp: incident.firstSeen,
  };
}

/** What a cloud calls the scope `where` names, for a page's `source`. */
const SCOPES: Readonly<Record<Incident['cloud'], string>> = {
  aws: 'account',
  gcp: 'project',
  azure: 'tenant or subscription',
  vault: 'Vault namespace',
};

/** "AWS account 111122223333": the cloud account, project or subscription the incident happened in. */
export function pageSource(view: Pick<IncidentView, 'cloudLabel' | 'where'> & { cloud: Incident['cloud'] }): string {
  return `${view.cloudLabel} ${SCOPES[view.cloud]} ${view.where ?? 'not recorded'}`;
}

/** Headline with the reason in front (after any DRILL): "Severity raised to high: audit.tamper · …". */
export function headlineWithReason(page: PageMessage): string {
  const prefix = page.reason === 'resolved' ? 'Session ended' : page.reasonText;
  if (!prefix) return page.headline;
  const rest = page.drill ? page.headline.slice(DRILL_PREFIX.length) : page.headline;
  return `${page.drill ? DRILL_PREFIX : ''}${prefix} · ${rest}`;
}
