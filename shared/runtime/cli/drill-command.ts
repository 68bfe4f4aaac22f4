import { parseArgs } from 'node:util';
import { formatReport } from '../../core/act/report.js';
import {
  DRILL_STEPS,
  type DrillBounds,
  type DrillResult,
  type DrillStep,
  drillTimings,
  formatMs,
  LOCAL_DRILL_BOUNDS,
} from '../../core/assure/drill/steps.js';
import { runLocalDrill, UnknownAccountError } from '../assure/local-drill.js';
import { terminalSafe } from './format-incident.js';
import { type CommandIO, EXIT, stateDirOf, UsageError } from './io.js';
import { DRILL_USAGE } from './usage.js';

/** Exit codes of the drill beyond the shared ones. */
export const DRILL_EXIT = { failed: 4, skipped: 5 } as const;

export async function drillCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      registry: { type: 'string' },
      account: { type: 'string' },
      state: { type: 'string' },
      ephemeral: { type: 'boolean', default: false },
      within: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
    },
  });
  if (!values.registry) throw new UsageError('drill needs --registry FILE', DRILL_USAGE);
  if (!values.account) throw new UsageError('drill needs --account ID', DRILL_USAGE);
  const bounds = parseBounds(values.within ?? []);
  let outcome: Awaited<ReturnType<typeof runLocalDrill>>;
  try {
    outcome = await runLocalDrill({
      registryPath: values.registry,
      account: values.account,
      bounds,
      env: io.env,
      ...stateDirOf(values, io),
    });
  } catch (error) {
    if (error instanceof UnknownAccountError) throw new UsageError(error.message, DRILL_USAGE);
    throw error;
  }
  const { result, failurePage } = outcome;
  if (values.json) io.stdout(JSON.stringify(result));
  else for (const line of formatDrill(result)) io.stdout(line);
  if (failurePage) {
    io.stderr(`Drill failed: a real page went out through the configured pagers.`);
    for (const line of formatReport(failurePage)) io.stderr(`  ${line}`);
  }
  if (result.status === 'skipped') return DRILL_EXIT.skipped;
  return result.status === 'passed' ? EXIT.ok : DRILL_EXIT.failed;
}

/** The drill as a small table and the three timings the issue asks for. */
export function formatDrill(result: DrillResult): string[] {
  const lines = [
    `Glasswatch drill ${result.drillId} for ${terminalSafe(result.account, 64)} (${result.cloud}, ${result.runtime}): ${result.status.toUpperCase()}`,
  ];
  if (result.reason) lines.push(`  ${terminalSafe(result.reason, 300)}`);
  lines.push(`  ${'step'.padEnd(9)}${'result'.padEnd(13)}${'time'.padStart(10)}${'bound'.padStart(10)}  detail`);
  for (const s of result.steps) {
    const time = s.latencyMs === undefined ? '–' : formatMs(s.latencyMs);
    lines.push(
      `  ${s.step.padEnd(9)}${s.status.padEnd(13)}${time.padStart(10)}${formatMs(s.boundMs).padStart(10)}  ${terminalSafe(s.detail, 160)}`,
    );
  }
  const t = drillTimings(result);
  const show = (ms: number | undefined) => (ms === undefined ? 'not measured' : formatMs(ms));
  lines.push(
    `time-to-incident: ${show(t.incidentMs)} · time-to-page: ${show(t.pageMs)} · time-to-ticket: ${show(t.ticketMs)}`,
  );
  return lines;
}

function parseBounds(entries: readonly string[]): DrillBounds {
  const bounds: Record<DrillStep, number> = { ...LOCAL_DRILL_BOUNDS };
  for (const entry of entries) {
    const match = /^([a-z]+)=(\d+(?:\.\d+)?)$/.exec(entry);
    const step = match?.[1] as DrillStep | undefined;
    if (!match || !step || !(DRILL_STEPS as readonly string[]).includes(step)) {
      throw new UsageError(
        `--within ${entry.slice(0, 40)}: expected STEP=SECONDS with STEP one of ${DRILL_STEPS.join(', ')}`,
        DRILL_USAGE,
      );
    }
    bounds[step] = Math.round(Number(match[2]) * 1000);
  }
  return bounds;
}
