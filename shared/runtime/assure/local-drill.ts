import { respondersSchema } from '../../core/act/config-schema.js';
import { systemClock } from '../../core/act/driver.js';
import type { DeliveryReport } from '../../core/act/report.js';
import type { DrillEvent } from '../../core/assure/drill/record.js';
import { type DrillBounds, type DrillResult, LOCAL_DRILL_BOUNDS } from '../../core/assure/drill/steps.js';
import { drillFailureAlert } from '../../core/assure/notices.js';
import { Correlator } from '../../core/correlate/correlator.js';
import { DetectionPipeline } from '../../core/ingest/detection-pipeline.js';
import type { Finding } from '../../core/model/finding.js';
import type { IncidentChange } from '../../core/model/incident.js';
import { type DrillEnvironment, runDrill } from './drill-runner.js';
import { type LocalAssurance, type LocalOptions, openLocalAssurance } from './local.js';

/** The account named is not in the registry: a usage error, not a failed drill. */
export class UnknownAccountError extends Error {
  override readonly name = 'UnknownAccountError';
  constructor(
    readonly account: string,
    known: readonly string[],
  ) {
    super(`account "${account.slice(0, 64)}" is not in the registry (known: ${known.join(', ') || 'none'})`);
  }
}

export interface LocalDrillOptions extends LocalOptions {
  account: string;
  bounds?: DrillBounds;
  /** Pause between looks at the store. */
  pollMs?: number;
}

export interface LocalDrillResult {
  result: DrillResult;
  /** The real page sent because the drill failed; undefined when it passed. */
  failurePage?: DeliveryReport;
}

/**
 * `glasswatch drill` on the embedded default: the drill event goes through the same pipeline,
 * correlator, store and responders as a replayed log, in-process (the trusted transport), while the
 * runner watches the store. The result is stored; a failure pages for real through the configured
 * pagers (the outbox when none is).
 *
 * @example
 * const { result } = await runLocalDrill({ registryPath: 'registry.yaml', account: 'aws-prod-root', stateDir: '.glasswatch/db' });
 */
export async function runLocalDrill(options: LocalDrillOptions): Promise<LocalDrillResult> {
  const local = await openLocalAssurance(options);
  try {
    const account = local.matcher.account(options.account);
    if (!account)
      throw new UnknownAccountError(
        options.account,
        local.registry.accounts.map((a) => a.id),
      );
    const { environment, settle } = localEnvironment(local, options);
    let result: DrillResult;
    try {
      result = await runDrill(environment, account, { bounds: options.bounds ?? LOCAL_DRILL_BOUNDS });
    } finally {
      await settle();
    }
    await local.store.saveDrill(result);
    if (result.status !== 'failed') return { result };
    return { result, failurePage: await local.alerts.send(drillFailureAlert(result)) };
  } finally {
    await local.close();
  }
}

/**
 * The in-process ingest path. The act stage runs in the background, as the responders Lambda would
 * behind its queue, so the runner measures each step as it happens; `settle` waits for it to finish.
 */
function localEnvironment(
  local: LocalAssurance,
  options: LocalDrillOptions,
): { environment: DrillEnvironment; settle: () => Promise<void> } {
  const clock = options.clock ?? systemClock;
  const correlator = new Correlator(local.repository, local.matcher);
  const background: Promise<unknown>[] = [];
  const respond = (changes: IncidentChange[]) => {
    // A failure here shows as undelivered actions in the ledger, which the runner reports.
    background.push(local.responders.handle(changes).catch((error: unknown) => error));
  };
  const environment: DrillEnvironment = {
    runtime: 'local',
    plan: local.responders.plan,
    responders: local.registry.responders ?? respondersSchema.parse({}),
    clock,
    pollMs: options.pollMs ?? 25,
    repository: local.repository,
    sessionGapMs: local.matcher.sessionGapMs(options.account),
    async inject(event: DrillEvent) {
      const findings: Finding[] = [];
      const errors: Error[] = [];
      const pipeline = new DetectionPipeline(local.matcher, {
        onFinding: (f) => findings.push(f),
        onError: (e) => errors.push(e),
      });
      pipeline.document(event, { location: `drill:${event.detail.drillId}`, trustedTransport: 'in-process' });
      if (errors.length > 0) throw errors[0] as Error;
      if (findings.length === 0)
        throw new Error('the drill event raised no finding (is the account matched by its registry entry?)');
      respond(await correlator.record(findings));
    },
    deliveries: (incidentId) => local.ledger.list(incidentId),
    async publish(changes) {
      respond(changes);
    },
  };
  return { environment, settle: async () => void (await Promise.all(background)) };
}
