import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { renderPostureHtml } from '../../adapters/report/html.js';
import { parseSourceKey, type SourceKey } from '../../core/assure/heartbeat.js';
import { openLocalAssurance } from '../assure/local.js';
import { collectPosture } from '../assure/posture.js';
import { type CommandIO, EXIT, stateDirOf, UsageError } from './io.js';

export const REPORT_USAGE = `glasswatch report --registry FILE --out PATH.html [--json PATH] [--state DIR | --ephemeral] [--expect SOURCE[#REGION]]…

Writes the posture report: one self-contained HTML page (no external resources) and the same data as
JSON beside it. Per break-glass account: rotation age, drill age, last real use, MFA on the last
sign-in, and the compliance violations; the incident timeline; drill latencies as a chart; source heartbeats.
  --registry FILE   the break-glass registry (YAML)
  --out PATH.html   where to write the page
  --json PATH       where to write the JSON (default: PATH.html with .json)
  --state DIR       embedded DynamoDB folder (default .glasswatch/db)
  --ephemeral       an empty in-memory store
  --expect SOURCE   a source that must have delivered (cloudtrail-s3, cloudtrail-eventbridge#eu-west-1, …):
                    shown as "never" until it does
Exit: 0 · 1 usage, registry or fatal error`;

export async function reportCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      registry: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'string' },
      state: { type: 'string' },
      ephemeral: { type: 'boolean', default: false },
      expect: { type: 'string', multiple: true },
    },
  });
  if (!values.registry) throw new UsageError('report needs --registry FILE', REPORT_USAGE);
  if (!values.out) throw new UsageError('report needs --out PATH.html', REPORT_USAGE);
  let expected: SourceKey[];
  try {
    expected = (values.expect ?? []).map(parseSourceKey);
  } catch (error) {
    throw new UsageError((error as Error).message, REPORT_USAGE);
  }
  const jsonPath = values.json ?? `${values.out.replace(/\.html?$/i, '')}.json`;
  const local = await openLocalAssurance({ registryPath: values.registry, env: io.env, ...stateDirOf(values, io) });
  try {
    const report = await collectPosture({ ...local, plan: local.responders.plan, runtime: 'local' }, Date.now(), {
      expected,
    });
    for (const path of [values.out, jsonPath]) await mkdir(dirname(path), { recursive: true });
    await writeFile(values.out, renderPostureHtml(report), 'utf8');
    await writeFile(jsonPath, `${JSON.stringify(report, null, 2)}\n`, 'utf8');
    const violations = report.accounts.reduce((n, a) => n + a.violations.length, 0);
    io.stdout(
      `Glasswatch report: ${report.accounts.length} account(s), ${report.timeline.length} incident(s), ${report.drills.length} drill(s), ${violations} compliance violation(s)`,
    );
    io.stdout(`wrote ${values.out} and ${jsonPath}`);
    return EXIT.ok;
  } finally {
    await local.close();
  }
}
