import type { Clock } from '../../../../shared/core/act/driver.js';
import { inSession } from '../../../../shared/core/correlate/session.js';
import type { Incident } from '../../../../shared/core/model/incident.js';
import type { CoverProbe, IncidentRepository } from '../../../../shared/core/ports/incident-repository.js';
import { parseRegistry, RegistryMatcher } from '../../../../shared/core/registry/index.js';

/** A registry with one account per cloud (and root by ARN, an IAM user by name, a role session pattern). */
export const REGISTRY_YAML = `
accounts:
  - { id: aws-prod-root, cloud: aws, match: { arn: "arn:aws:iam::111122223333:root" }, owners: [secops@example.com] }
  - { id: aws-breakglass-user, cloud: aws, match: { userName: breakglass, accountId: "111122223333" } }
  - { id: aws-role, cloud: aws, match: { arn: "arn:aws:sts::111122223333:assumed-role/BreakGlass/*" } }
  - { id: gcp-super-admin, cloud: gcp, match: { email: breakglass@example.com } }
  - { id: entra-emergency, cloud: azure, match: { userPrincipalName: emergency@contoso.onmicrosoft.com } }
drills:
  - { account: aws-prod-root, start: "2026-01-10T09:00:00Z", end: "2026-01-10T10:00:00Z" }
`;

export const registry = parseRegistry(REGISTRY_YAML, 'test-registry.yaml');
export const matcher = new RegistryMatcher(registry);

export function account(id: string) {
  const found = matcher.account(id);
  if (!found) throw new Error(`no account ${id}`);
  return found;
}

/**
 * A clock tests move by hand: `sleep` advances it instead of waiting (after one turn of the event loop,
 * so work waiting with {@link ManualClock.until} gets to run), `advance` jumps.
 */
export class ManualClock implements Clock {
  constructor(public ms: number) {}
  now = (): number => this.ms;
  sleep = async (ms: number): Promise<void> => {
    await new Promise((resolve) => setImmediate(resolve));
    this.ms += ms;
  };
  advance(ms: number): void {
    this.ms += ms;
  }
  /** Resolves once someone else's sleeps have moved the clock `ms` further: a call that takes that long. */
  async until(ms: number): Promise<void> {
    const at = this.ms + ms;
    while (this.ms < at) await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The incident repository contract in Maps, with the same compare-and-set semantics as DynamoDB's. */
export class MemoryIncidentRepository implements IncidentRepository {
  readonly heads = new Map<string, Incident>();
  readonly copies = new Map<string, Incident>();

  async loadHead(key: string) {
    return structuredClone(this.heads.get(key));
  }
  async loadHeads(keys: readonly string[]) {
    const heads = new Map<string, Incident>();
    for (const key of keys) {
      const head = this.heads.get(key);
      if (head) heads.set(key, structuredClone(head));
    }
    return heads;
  }
  async saveHead(incident: Incident, expected: number | undefined) {
    if (this.heads.get(incident.correlationKey)?.version !== expected) return false;
    this.heads.set(incident.correlationKey, structuredClone(incident));
    return true;
  }
  async saveCopy(incident: Incident) {
    const stored = this.copies.get(incident.id);
    if (!stored || stored.version < incident.version) this.copies.set(incident.id, structuredClone(incident));
  }
  async replaceCopy(incident: Incident, expected: number | undefined) {
    if (this.copies.get(incident.id)?.version !== expected) return false;
    this.copies.set(incident.id, structuredClone(incident));
    return true;
  }
  async findCovering(key: string, timeMs: number, gapMs: number) {
    return structuredClone(
      [...this.copies.values()].find((i) => i.correlationKey === key && inSession(i, timeMs, gapMs)),
    );
  }
  async findCoveringEach(key: string, probes: readonly CoverProbe[]) {
    return Promise.all(probes.map(({ timeMs, gapMs }) => this.findCovering(key, timeMs, gapMs)));
  }
  async listHeads() {
    return [...this.heads.values()].map((i) => structuredClone(i));
  }
  async listOpenHeads() {
    return (await this.listHeads()).filter((i) => i.status === 'open');
  }
  async listIncidents(limit = 1000) {
    return [...this.copies.values()]
      .sort((a, b) => b.firstSeen.localeCompare(a.firstSeen))
      .slice(0, limit)
      .map((i) => structuredClone(i));
  }
  async getIncident(id: string) {
    return structuredClone(this.copies.get(id));
  }
  readonly aliases = new Map<string, { correlationKey: string; expiresAtMs: number }>();
  async saveAlias(alias: string, correlationKey: string, expiresAtMs: number) {
    this.aliases.set(alias, { correlationKey, expiresAtMs });
  }
  async loadAlias(alias: string) {
    return structuredClone(this.aliases.get(alias));
  }
}

/** A drill incident of aws-prod-root, open, as the drill's own session makes it; fields overridable. */
export function drillIncident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: 'gw-drill',
    correlationKey: 'acct:aws-prod-root',
    account: 'aws-prod-root',
    cloud: 'aws',
    principal: 'root (111122223333)',
    detections: ['signin.success'],
    severity: 'low',
    drill: true,
    status: 'open',
    firstSeen: '2026-03-02T12:00:00.000Z',
    lastSeen: '2026-03-02T12:00:00.000Z',
    events: [],
    version: 1,
    ...overrides,
  };
}
