import { parseArgs } from 'node:util';
import { formatReport } from '../../core/act/report.js';
import { runReplay } from '../replay.js';
import { formatIncident, incidentJson, terminalSafe } from './format-incident.js';
import { type CommandIO, EXIT, stateDirOf, UsageError } from './io.js';
import { progressReporter } from './progress.js';
import { REPLAY_USAGE } from './usage.js';

/** ", 3 skipped (kinds not read: aws.insight 2, azure.other-category 1)", or "" when nothing was skipped. */
function skippedSummary(skipped: Readonly<Record<string, number | undefined>>): string {
  const kinds = Object.entries(skipped)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, n]) => `${kind} ${n}`);
  if (kinds.length === 0) return '';
  const total = Object.values(skipped).reduce<number>((sum, n) => sum + (n ?? 0), 0);
  return `, ${total} skipped (kinds not read: ${kinds.join(', ')})`;
}

export async function replayCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      registry: { type: 'string' },
      json: { type: 'boolean', default: false },
      state: { type: 'string' },
      ephemeral: { type: 'boolean', default: false },
      'no-respond': { type: 'boolean', default: false },
      threads: { type: 'string' },
    },
  });
  if (!values.registry) throw new UsageError('replay needs --registry FILE', REPLAY_USAGE);
  if (positionals.length === 0) throw new UsageError('replay needs at least one file or folder', REPLAY_USAGE);

  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 64)) {
    throw new UsageError(
      `--threads must be a whole number from 1 to 64, got ${JSON.stringify(values.threads)}`,
      REPLAY_USAGE,
    );
  }
  let failures = 0;
  const progress = progressReporter(io);
  const result = await runReplay({
    registryPath: values.registry,
    paths: positionals,
    ...stateDirOf(values, io),
    onError: (error) => {
      failures++;
      progress.clear();
      io.stderr(`error: ${error.message}`);
    },
    onProgress: progress.update,
    respond: !values['no-respond'],
    ...(threads === undefined ? {} : { threads }),
    env: io.env,
  });
  progress.clear();

  const { counts } = result;
  if (values.json) {
    for (const incident of result.incidents) io.stdout(incidentJson(incident));
    // stdout stays one incident per line; what was skipped is said where the errors are.
    if (counts.skipped > 0) io.stderr(`Glasswatch replay: ${skippedSummary(result.skipped).slice(2)}`);
  } else {
    io.stdout(
      `Glasswatch replay: ${result.files} file(s), ${counts.records} records, ${counts.events} events, ` +
        `${counts.findings} findings, ${result.incidents.length} incident(s), ${counts.errors} error(s)` +
        `${skippedSummary(result.skipped)}\n`,
    );
    const unchanged = new Set(result.unchanged);
    for (const incident of result.incidents) {
      const note = unchanged.has(incident.id) ? '  (unchanged: already recorded by an earlier replay)\n' : '';
      io.stdout(`${formatIncident(incident)}\n${note}`);
    }
    if (result.incidents.length === 0) io.stdout('No break-glass activity or audit tampering found.');
  }
  // Deadlines the replayed logs cannot judge: the logs end before them. Said, never paged.
  const printNotes = values.json ? io.stderr : io.stdout;
  for (const rotation of result.unverified ?? []) printNotes(terminalSafe(rotation.text, 400));
  const delivery = result.delivery;
  if (delivery && delivery.incidents.length > 0) {
    // Pages and tickets are the point of a replay for the SOC, but --json keeps stdout to incidents.
    const print = values.json ? io.stderr : io.stdout;
    print('Responders:');
    for (const line of formatReport(delivery)) print(`  ${line}`);
  }
  if (failures > 0) io.stderr(`${failures} record(s) or file(s) failed; every other record was processed.`);
  if (delivery && !delivery.complete) {
    const { pending, failed } = delivery.totals;
    io.stderr(
      `${pending + failed} action(s) undelivered (${pending} pending after retries, ${failed} failed): see above.`,
    );
    return EXIT.undelivered;
  }
  return failures > 0 ? EXIT.partialFailure : EXIT.ok;
}
