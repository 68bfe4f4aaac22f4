import { parseArgs } from 'node:util';
import { gcpConfigClient, gcpPlumbing } from '../../adapters/gcp/plumbing.js';
import { verifyAws } from '../../core/assure/verify/aws.js';
import { verifyGcp } from '../../core/assure/verify/gcp.js';
import { type CheckResult, unchecked, verifyExitCode } from '../../core/assure/verify/result.js';
import type { Registry } from '../../core/registry/index.js';
import { awsPlumbingFor } from '../assure/verify.js';
import { loadRegistry } from '../replay.js';
import { terminalSafe } from './format-incident.js';
import { type CommandIO, UsageError } from './io.js';

export const VERIFY_USAGE = `glasswatch verify --registry FILE [--json]

Reads each delivery path's configuration back with the clouds' own APIs and compares it with what the
registry's pipeline: section says was deployed: the trail (logging, delivery errors, management events
read and write, multi-Region, organization, its bucket), every Glasswatch EventBridge rule in each
forwarder Region (enabled, targeting the ingest bus, the tamper rule listing every tamper action), and
the trail bucket's notification to the trail-object queue; the GCP organization sink (its filter the
one generated from the registry, its destination the topic). AWS credentials come from the SDK's
default chain (environment, profile, SSO), Google's from Application Default Credentials. What
cannot be checked is listed with the reason.
  --registry FILE   the break-glass registry (YAML) with its pipeline: section
  --json            one JSON object per check per line: {key, cloud, setting, status, detail}
Exit: 0 every configured check passed · 1 usage, registry or fatal error · 6 a check failed ·
7 nothing could be checked (no pipeline: section, or no cloud configured in it)`;

/** The Azure path this version does not read: said, never passed. */
function notVerified(registry: Registry): CheckResult[] {
  return [
    unchecked(
      'azure',
      'azure.diagnostic-settings',
      'diagnostic settings with the needed categories',
      registry.pipeline?.azure
        ? 'not verified by this version of glasswatch verify'
        : 'pipeline.azure not in the registry',
    ),
  ];
}

export async function verifyCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { registry: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (!values.registry) throw new UsageError('verify needs --registry FILE', VERIFY_USAGE);
  if (positionals.length > 0)
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`, VERIFY_USAGE);
  const registry = await loadRegistry(values.registry);
  const gcp = registry.pipeline?.gcp?.sink ? gcpPlumbing(gcpConfigClient()) : undefined;
  const results = [
    ...(await verifyAws(awsPlumbingFor(registry), registry.pipeline)),
    ...(await verifyGcp(gcp, registry)),
    ...notVerified(registry),
  ];
  for (const r of results) {
    if (values.json) io.stdout(JSON.stringify(r));
    else io.stdout(`${r.status.padEnd(9)} ${r.cloud.padEnd(5)} ${terminalSafe(r.setting)}: ${terminalSafe(r.detail)}`);
  }
  return verifyExitCode(results);
}
