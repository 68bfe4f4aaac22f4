import type { Plan } from '../../core/act/plan.js';
import type { DrillResult } from '../../core/assure/drill/steps.js';
import { windowDrillResult } from '../../core/assure/drill/window.js';
import type { HeartbeatRecord } from '../../core/assure/heartbeat.js';
import type { Incident } from '../../core/model/incident.js';
import type { AssuranceStore } from '../../core/ports/assurance-store.js';
import type { DeliveryLedger } from '../../core/ports/delivery-ledger.js';
import type { IncidentRepository } from '../../core/ports/incident-repository.js';
import type { Registry } from '../../core/registry/index.js';

/** Where the compliance check and the posture report read from. */
export interface AssuranceSources {
  registry: Registry;
  repository: IncidentRepository;
  ledger: DeliveryLedger;
  store: AssuranceStore;
  /** The act stage's plan: what a window drill's page and ticket are looked for as. */
  plan: Plan;
  runtime: DrillResult['runtime'];
  /** Read only: do not store the window drills found (the report reading a deployed stack). */
  readOnly?: boolean;
}

export interface AssuranceFacts {
  incidents: Incident[];
  /** Stored drill results and the window drills found among the incidents, oldest first. */
  drills: DrillResult[];
  heartbeats: HeartbeatRecord[];
  /** When watching started: the first event any source delivered, the first incident, the first drill. */
  observedSinceMs: number;
}

/** Incidents are a handful a month; this many covers years. */
const INCIDENT_LIMIT = 5000;
const DRILLS_PER_ACCOUNT = 200;

/**
 * Reads everything assurance judges. Window drills (real sign-ins inside a declared drill window) are
 * derived from their incidents and delivery records each time, and stored so `glasswatch drills` lists
 * them too (a re-store of the same one replaces it).
 */
export async function gatherFacts(sources: AssuranceSources, nowMs: number): Promise<AssuranceFacts> {
  const incidents = await sources.repository.listIncidents(INCIDENT_LIMIT);
  const drills = new Map<string, DrillResult>();
  for (const incident of incidents) {
    if (!incident.drill) continue;
    const result = windowDrillResult(incident, await sources.ledger.list(incident.id), sources.plan, sources.runtime);
    if (!result) continue;
    if (!sources.readOnly) await sources.store.saveDrill(result);
    drills.set(result.drillId, result);
  }
  for (const account of sources.registry.accounts) {
    for (const drill of await sources.store.listDrills(account.id, DRILLS_PER_ACCOUNT)) {
      if (!drills.has(drill.drillId)) drills.set(drill.drillId, drill);
    }
  }
  const heartbeats = await sources.store.listHeartbeats();
  const starts = [
    ...heartbeats.map((h) => h.firstSeenMs),
    ...incidents.map((i) => Date.parse(i.firstSeen)),
    ...[...drills.values()].map((d) => Date.parse(d.startedAt)),
  ].filter((ms) => Number.isFinite(ms));
  return {
    incidents,
    drills: [...drills.values()].sort((a, b) => a.startedAt.localeCompare(b.startedAt)),
    heartbeats,
    observedSinceMs: starts.length > 0 ? Math.min(...starts) : nowMs,
  };
}
