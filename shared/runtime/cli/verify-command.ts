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

export const VERIFY_USAGE = `glasswatch verify --registry FILE [--json] [--state DIR | --ephemeral]

Reads each delivery path's configuration back with the clouds' own APIs and compares it with what the
registry's pipeline: section says was deployed: the trail (logging, delivery errors, management events
read and write, multi-Region, organization, its bucket), every Glasswatch EventBridge rule in each
forwarder Region (enabled, targeting the ingest bus, the tamper rule listing every tamper action), and
the trail bucket's notification to the trail-object queue; the GCP organization sink (its filter the
one generated from the registry, its destination the topic), the topic and the push subscription (on
the topic, active, pushing to pipeline.gcp.pushEndpoint); each Azure diagnostic setting of the registry
(exists, sends the categories its kind needs, to the registry's workspace and event hub). AWS
credentials come from the SDK's default chain (environment, profile, SSO), Google's from Application
Default Credentials, Azure's from DefaultAzureCredential (AZURE_TENANT_ID, AZURE_CLIENT_ID and
AZURE_CLIENT_SECRET of the poller's app registration, or az login). What cannot be checked is listed
with the reason. Each check's result is stored in the local state, where glasswatch report shows it.
  --registry FILE   the break-glass registry (YAML) with its pipeline: section
  --json            one JSON object per check per line: {key, cloud, setting, status, detail}
  --state DIR       embedded DynamoDB folder the results are stored in (default .glasswatch/db)
  --ephemeral       store nothing
Exit: 0 every configured check passed · 1 usage, registry or fatal error · 6 a check failed ·
7 nothing could be checked (no pipeline: section, or no cloud configured in it)`;

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
