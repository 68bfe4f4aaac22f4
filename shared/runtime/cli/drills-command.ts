import { parseArgs } from 'node:util';
import { type DrillResult, drillTimings, formatMs } from '../../core/assure/drill/steps.js';
import { drillRow } from '../../core/assure/report-drills.js';
import { gatherFacts } from '../assure/facts.js';
import { openLocalAssurance } from '../assure/local.js';
import { terminalSafe } from './format-incident.js';
import { type CommandIO, EXIT, stateDirOf, UsageError } from './io.js';
import { DRILLS_USAGE } from './usage.js';

export async function drillsCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      registry: { type: 'string' },
      account: { type: 'string' },
      state: { type: 'string' },
      ephemeral: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  if (!values.registry) throw new UsageError('drills needs --registry FILE', DRILLS_USAGE);
  const local = await openLocalAssurance({ registryPath: values.registry, env: io.env, ...stateDirOf(values, io) });
  try {
    const accounts = local.registry.accounts.map((a) => a.id).filter((id) => !values.account || id === values.account);
    if (values.account && accounts.length === 0) {
      throw new UsageError(`account "${values.account.slice(0, 64)}" is not in the registry`, DRILLS_USAGE);
    }
    const nowMs = Date.now();
    const facts = await gatherFacts({ ...local, plan: local.responders.plan, runtime: 'local' }, nowMs);
    for (const account of accounts) {
      const drills = facts.drills.filter((d) => d.account === account).reverse();
      if (values.json) {
        for (const drill of drills) io.stdout(JSON.stringify(drill));
        continue;
      }
      io.stdout(`${terminalSafe(account, 64)}: ${drills.length === 0 ? 'no drills' : `${drills.length} drill(s)`}`);
      for (const drill of drills) io.stdout(`  ${drillLine(drill, drillRow(drill, local.registry, nowMs).live)}`);
    }
    return EXIT.ok;
  } finally {
    await local.close();
  }
}

/**
 * One drill. A window drill replayed from old logs was handled long after its window: "now minus the
 * sign-in" is no latency, so it reads "replayed, no latency" (the report's rule, report-drills.ts).
 */
function drillLine(drill: DrillResult, live: boolean): string {
  const head = `${drill.startedAt}  ${drill.drillId.slice(0, 28).padEnd(28)} ${drill.kind.padEnd(9)}`;
  if (!live) return `${head} replayed, no latency (handled after its drill window: not a live drill)`;
  const t = drillTimings(drill);
  const show = (label: string, ms: number | undefined) => (ms === undefined ? '' : ` ${label} ${formatMs(ms)}`);
  const why = drill.status === 'passed' ? '' : ` (${terminalSafe(drill.reason ?? failedStep(drill), 120)})`;
  return `${head} ${drill.status.padEnd(7)}${show('incident', t.incidentMs)}${show('page', t.pageMs)}${show('ticket', t.ticketMs)}${why}`;
}

function failedStep(drill: DrillResult): string {
  const step = drill.steps.find((s) => s.status === 'failed');
  return step ? `${step.step}: ${step.detail}` : 'see --json';
}
