import { parseArgs } from 'node:util';
import { DynamoAssuranceStore } from '../../adapters/dynamodb/assurance-store.js';
import { startLocalDynamo } from '../../adapters/dynamodb/local-dynalite.js';
import { verifyAws } from '../../core/assure/verify/aws.js';
import { verifyAzure } from '../../core/assure/verify/azure.js';
import { verifyGcp } from '../../core/assure/verify/gcp.js';
import { type CheckResult, verifyExitCode } from '../../core/assure/verify/result.js';
import { awsPlumbingFor } from '../assure/verify.js';
import { loadRegistry } from '../replay.js';
import { terminalSafe } from './format-incident.js';
import { type CommandIO, stateDirOf, UsageError } from './io.js';
import { VERIFY_USAGE } from './usage.js';

export async function verifyCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      registry: { type: 'string' },
      json: { type: 'boolean', default: false },
      state: { type: 'string' },
      ephemeral: { type: 'boolean', default: false },
    },
  });
  if (!values.registry) throw new UsageError('verify needs --registry FILE', VERIFY_USAGE);
  if (positionals.length > 0)
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`, VERIFY_USAGE);
  const registry = await loadRegistry(values.registry);
  const pipeline = registry.pipeline;
  // Each cloud's clients load only when the registry names its path.
  const gcp = pipeline?.gcp ? (await import('../../adapters/gcp/plumbing.js')).gcpPlumbing() : undefined;
  const azure = pipeline?.azure?.diagnosticSettings.length
    ? await (async () => {
        const { armPlumbing } = await import('../../adapters/azure/plumbing.js');
        const { DefaultAzureCredential } = await import('@azure/identity');
        return armPlumbing(new DefaultAzureCredential());
      })()
    : undefined;
  const results = [
    ...(await verifyAws(awsPlumbingFor(registry), pipeline)),
    ...(await verifyGcp(gcp, registry)),
    ...(await verifyAzure(azure, pipeline)),
  ];
  const { stateDir } = stateDirOf(values, io);
  if (stateDir) await storeResults(stateDir, results, Date.now());
  for (const r of results) {
    if (values.json) io.stdout(JSON.stringify(r));
    else io.stdout(`${r.status.padEnd(9)} ${r.cloud.padEnd(5)} ${terminalSafe(r.setting)}: ${terminalSafe(r.detail)}`);
  }
  return verifyExitCode(results);
}

/** The last results, where `glasswatch report --state DIR` reads them (the same folder as replay and drill). */
async function storeResults(path: string, results: CheckResult[], nowMs: number): Promise<void> {
  const dynamo = await startLocalDynamo({ path });
  try {
    await new DynamoAssuranceStore(dynamo.client, dynamo.tableName).saveChecks(results, nowMs);
  } finally {
    await dynamo.close();
  }
}
