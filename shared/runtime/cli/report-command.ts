import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoRotationWatchStore } from '../../adapters/dynamodb/rotation-watch-store.js';
import { renderPostureHtml } from '../../adapters/report/html.js';
import { parseSourceKey, type SourceKey } from '../../core/assure/heartbeat.js';
import type { PostureReport } from '../../core/assure/report.js';
import { parseRegistry } from '../../core/registry/index.js';
import { openLocalAssurance } from '../assure/local.js';
import { collectPosture } from '../assure/posture.js';
import type { StackTarget } from '../assure/stack-sources.js';
import { type CommandIO, EXIT, stateDirOf, UsageError } from './io.js';
import { REPORT_USAGE } from './usage.js';

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
      stack: { type: 'string' },
      table: { type: 'string' },
      region: { type: 'string' },
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
  const remote = values.stack ?? values.table;
  if (remote && (values.state || values.ephemeral)) {
    throw new UsageError(
      'report reads either a deployed stack (--stack/--table) or a local state (--state/--ephemeral)',
      REPORT_USAGE,
    );
  }
  const report = remote
    ? await stackReport(values.registry, { stack: values.stack, table: values.table, region: values.region }, expected)
    : await localReport(values.registry, values, io, expected);
  const jsonPath = values.json ?? `${values.out.replace(/\.html?$/i, '')}.json`;
  for (const path of [values.out, jsonPath]) await mkdir(dirname(path), { recursive: true });
  await writeFile(values.out, renderPostureHtml(report), 'utf8');
  await writeFile(jsonPath, `${JSON.stringify(report, null, 2)}\n`, 'utf8');
  const { score, counts } = report.estate;
  io.stdout(
    `Glasswatch report: ${report.accounts.length} account(s), ${report.incidentTotal} incident(s), ${report.drills.length} drill(s); controls ${counts.pass} pass, ${counts.fail} fail, ${counts.unknown} unknown (score ${score.percent ?? '–'}%)`,
  );
  io.stdout(`wrote ${values.out} and ${jsonPath}`);
  return EXIT.ok;
}

async function localReport(
  registryPath: string,
  values: { state?: string; ephemeral?: boolean },
  io: CommandIO,
  expected: SourceKey[],
): Promise<PostureReport> {
  const local = await openLocalAssurance({ registryPath, env: io.env, ...stateDirOf(values, io) });
  try {
    return await collectPosture({ ...local, plan: local.responders.plan, runtime: 'local' }, Date.now(), {
      expected,
      rotations: new DynamoRotationWatchStore(local.dynamo.client, local.dynamo.tableName),
    });
  } finally {
    await local.close();
  }
}

async function stackReport(registryPath: string, target: StackTarget, expected: SourceKey[]): Promise<PostureReport> {
  const registry = parseRegistry(await readFile(registryPath, 'utf8'), registryPath);
  // The AWS SDK clients load only for a deployed stack, not for every local report.
  const { openStackSources } = await import('../assure/stack-sources.js');
  const stack = await openStackSources(registry, target);
  try {
    return await collectPosture(stack.sources, Date.now(), { expected, rotations: stack.rotations });
  } finally {
    stack.close();
  }
}
