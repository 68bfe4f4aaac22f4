import type { Incident, IncidentEvent } from '../../core/model/incident.js';

/**
 * Text for a SOC analyst's terminal. Log-derived strings are untrusted: control characters (including
 * ANSI escapes that could repaint the terminal) are replaced before anything is printed.
 */
export function terminalSafe(text: string, max = 200): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '�');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

const CLOUD_NAME = { aws: 'AWS', gcp: 'Google Cloud', azure: 'Azure', vault: 'HashiCorp Vault' } as const;

function minutesBetween(a: string, b: string): number {
  return Math.round((Date.parse(b) - Date.parse(a)) / 60_000);
}

function mfaText(event: IncidentEvent): string {
  if (!event.mfa) return '';
  if (event.mfa.used === true) return ' with MFA';
  return event.mfa.used === false ? ' WITHOUT MFA' : ' MFA unknown';
}

function eventLine(event: IncidentEvent): string {
  const from = [event.src.ip, event.src.geo].filter(Boolean).join(' ');
  const parts = [
    `  ${event.time.replace('.000Z', 'Z')}`,
    terminalSafe(event.action, 60),
    event.outcome,
    event.resources.length > 0 ? terminalSafe(event.resources.slice(0, 2).join(', '), 80) : '',
    from ? `from ${terminalSafe(from, 60)}` : '',
  ].filter(Boolean);
  const note = event.note ? `  — ${terminalSafe(event.note, 160)}` : '';
  return `${parts.join('  ')}${mfaText(event)}  [${event.kinds.join(', ')}]${note}`;
}

/** A few lines per incident: what it is, who, where, how long, then the timeline (capped). */
export function formatIncident(incident: Incident, maxEvents = 15): string {
  const head = [
    incident.drill ? 'DRILL' : '',
    incident.severity.toUpperCase(),
    incident.account ?? '(not a break-glass account)',
    '·',
    terminalSafe(incident.principal, 80),
    '·',
    CLOUD_NAME[incident.cloud],
    '·',
    `${incident.firstSeen} → ${incident.lastSeen} (${minutesBetween(incident.firstSeen, incident.lastSeen)} min)`,
    '·',
    `${incident.events.length} event${incident.events.length === 1 ? '' : 's'}`,
    '·',
    incident.status,
  ].filter(Boolean);
  const lines = [head.join(' '), `  id ${incident.id}  detections: ${incident.detections.join(', ')}`];
  for (const event of incident.events.slice(0, maxEvents)) lines.push(eventLine(event));
  if (incident.events.length > maxEvents) lines.push(`  … ${incident.events.length - maxEvents} more events`);
  return lines.join('\n');
}

/** The `--json` line: the contract fields first, then the rest. */
export function incidentJson(incident: Incident): string {
  return JSON.stringify({
    id: incident.id,
    account: incident.account,
    cloud: incident.cloud,
    principal: incident.principal,
    detections: incident.detections,
    severity: incident.severity,
    drill: incident.drill,
    firstSeen: incident.firstSeen,
    lastSeen: incident.lastSeen,
    events: incident.events,
    eventCount: incident.events.length,
    status: incident.status,
    correlationKey: incident.correlationKey,
  });
}
