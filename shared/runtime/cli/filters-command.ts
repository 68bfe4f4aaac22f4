import { parseArgs } from 'node:util';
import { ENTRA_CURSOR_POLICY, GCP_CURSOR_POLICY, planWindow } from '../../core/ingest/cursor/index.js';
import {
  cloudLoggingFilter,
  cloudLoggingPollFilter,
  entraQueries,
  FilterBuildError,
  windowedKql,
} from '../../core/ingest/filters/index.js';
import { forwarderParameters, sweepPlan } from '../aws/sweep-plan.js';
import { loadRegistry } from '../replay.js';
import { type CommandIO, EXIT, UsageError } from './io.js';
import { FILTERS_USAGE } from './usage.js';

/** Page size shown in the example KQL: the Azure poller's default. */
const EXAMPLE_TAKE = 2000;
/** The example windows are those of a poll five minutes after the previous one. */
const EXAMPLE_POLL_INTERVAL_MS = 5 * 60_000;

export async function filtersCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      registry: { type: 'string' },
      json: { type: 'boolean', default: false },
      'gcp-sink': { type: 'boolean', default: false },
      aws: { type: 'boolean', default: false },
      now: { type: 'string' },
    },
  });
  if (!values.registry) throw new UsageError('filters needs --registry FILE', FILTERS_USAGE);
  if (positionals.length > 0)
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`, FILTERS_USAGE);
  const nowMs = values.now === undefined ? Date.now() : Date.parse(values.now);
  if (Number.isNaN(nowMs))
    throw new UsageError(`--now ${JSON.stringify(values.now)} is not an ISO 8601 time`, FILTERS_USAGE);

  const registry = await loadRegistry(values.registry);
  let sinkFilter: string;
  let pollFilter: string;
  let queries: { table: string; idColumn: string; kql: string }[];
  try {
    sinkFilter = cloudLoggingFilter(registry);
    const gcpWindow = planWindow(
      { source: 'example', watermarkMs: nowMs - EXAMPLE_POLL_INTERVAL_MS, updatedAt: '' },
      nowMs,
      GCP_CURSOR_POLICY,
    );
    pollFilter = cloudLoggingPollFilter(sinkFilter, gcpWindow);
    const azureWindow = planWindow(
      { source: 'example', watermarkMs: nowMs - EXAMPLE_POLL_INTERVAL_MS, updatedAt: '' },
      nowMs,
      ENTRA_CURSOR_POLICY,
    );
    queries = entraQueries(registry).map((q) => ({
      table: q.table,
      idColumn: q.idColumn,
      kql: windowedKql(q, azureWindow, EXAMPLE_TAKE),
    }));
  } catch (error) {
    if (!(error instanceof FilterBuildError)) throw error;
    io.stderr(`glasswatch filters: ${values.registry}: ${error.message}`);
    return EXIT.fatal;
  }

  const { notes, ...forwarder } = forwarderParameters(registry);
  const overrides = Object.entries(forwarder)
    .map(([name, list]) => `${name}=${list.join(',')}`)
    .join(' ');
  const sweep = sweepPlan(registry);
  if (values.aws) {
    io.stdout(overrides);
    for (const note of notes) io.stderr(`note: ${note}`);
    return EXIT.ok;
  }
  if (values['gcp-sink']) {
    io.stdout(sinkFilter);
    return EXIT.ok;
  }
  if (values.json) {
    io.stdout(
      JSON.stringify({
        aws: { forwarder, notes, sweep: { queries: sweep.queries, unsearchable: sweep.unsearchable } },
        gcp: { sinkFilter, pollFilter },
        azure: queries,
      }),
    );
    return EXIT.ok;
  }
  const gcpAccounts = registry.accounts.filter((a) => a.cloud === 'gcp').length;
  const azureAccounts = registry.accounts.filter((a) => a.cloud === 'azure').length;
  const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;
  io.stdout(
    `Glasswatch filters for ${values.registry}: ${gcpAccounts} GCP account(s), ${azureAccounts} Azure account(s)\n`,
  );
  io.stdout('== AWS: regional forwarder parameters (--parameter-overrides) ==');
  io.stdout(`${overrides}\n${notes.map((n) => `note: ${n}\n`).join('')}`);
  io.stdout('== AWS: sweeper lookups (CloudTrail event history, one attribute per call, every Region) ==');
  io.stdout(`${sweep.queries.map((q) => `${q.attribute}=${q.value}`).join('\n')}\n`);
  io.stdout('== Google Cloud Logging: sink filter (push: organization or project sink → Pub/Sub → function) ==');
  io.stdout(`${sinkFilter}\n`);
  io.stdout(
    `== Google Cloud Logging: pull filter (scheduled poller; cursor on receiveTimestamp, overlap ${minutes(GCP_CURSOR_POLICY.overlapMs)}; example poll at ${new Date(nowMs).toISOString()}) ==`,
  );
  io.stdout(`${pollFilter}\n`);
  io.stdout(
    `== Azure Log Analytics: KQL per table (scheduled poller; cursor on ingestion_time(), overlap ${minutes(ENTRA_CURSOR_POLICY.overlapMs)}) ==`,
  );
  for (const query of queries) io.stdout(`// ${query.table} (dedup on ${query.idColumn})\n${query.kql}\n`);
  return EXIT.ok;
}
