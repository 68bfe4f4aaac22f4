import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { filtersCommand } from '../../../../shared/runtime/cli/filters-command.js';
import { type CommandIO, UsageError } from '../../../../shared/runtime/cli/io.js';
import { FILTERS_USAGE } from '../../../../shared/runtime/cli/usage.js';
import { IDENTITY_REGISTRY } from '../../../support/identity-shapes.js';

/** The `glasswatch filters` contract operators and scripted checks rely on. */

const REGISTRY = `accounts:
  - id: gcp-super-admin
    cloud: gcp
    match: { email: breakglass@example.com }
  - id: entra-ea1
    cloud: azure
    match: { userPrincipalName: ea1@contoso.onmicrosoft.com }
`;

async function run(args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CommandIO = {
    stdout: (l) => stdout.push(l),
    stderr: (l) => stderr.push(l),
    stderrRaw: () => {},
    isTTY: false,
    env: {},
  };
  const code = await filtersCommand(args, io);
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-filters-'));
  await writeFile(join(dir, 'registry.yaml'), REGISTRY);
  await writeFile(
    join(dir, 'bad.yaml'),
    'accounts:\n  - id: entra-bad\n    cloud: azure\n    match: { userPrincipalName: "ea1@contoso.com\\n| take 1" }\n',
  );
});

describe('glasswatch filters', () => {
  it('prints the sink filter, the pull filter and one KQL query per table', async () => {
    const out = await run(['--registry', join(dir, 'registry.yaml'), '--now', '2026-11-18T14:00:00Z']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('1 GCP account(s), 1 Azure account(s)');
    expect(out.stdout).toContain('== Google Cloud Logging: sink filter');
    expect(out.stdout).toContain('protoPayload.authenticationInfo.principalEmail=("breakglass@example.com")');
    expect(out.stdout).toContain(
      'AND receiveTimestamp>="2026-11-18T13:40:00.000Z" AND receiveTimestamp<"2026-11-18T13:59:00.000Z"',
    );
    for (const table of ['SigninLogs', 'AADNonInteractiveUserSignInLogs', 'AuditLogs', 'AzureActivity']) {
      expect(out.stdout).toContain(`// ${table} (dedup on`);
    }
    expect(out.stdout).toContain('ingestion_time() >= datetime(2026-11-18T13:25:00.000Z)');
  });

  it('--aws prints the forwarder parameters generated from the registry, as parameter overrides', async () => {
    await writeFile(join(dir, 'aws.yaml'), IDENTITY_REGISTRY);
    const { code, stdout } = await run(['--registry', join(dir, 'aws.yaml'), '--aws']);
    expect(code).toBe(0);
    expect(stdout).toBe(
      'BreakGlassIamUserNames=BreakGlassUser,bg-idc-admin ' +
        'BreakGlassRoleNames=BreakGlass,FederatedWebIdentityRole,SAMLTestRoleShibboleth ' +
        'BreakGlassRoleArns=arn:aws:iam::111122223333:role/ops/BreakGlass,arn:aws:iam::444455556666:role/FederatedWebIdentityRole,arn:aws:iam::444455556666:role/SAMLTestRoleShibboleth',
    );
    const json = JSON.parse((await run(['--registry', join(dir, 'aws.yaml'), '--json'])).stdout);
    expect(json.aws.sweep.queries).toContainEqual({
      attribute: 'ResourceName',
      value: 'arn:aws:iam::111122223333:role/ops/BreakGlass',
    });
  });

  it('--gcp-sink prints the bare sink filter, for gcloud --log-filter or Terraform', async () => {
    const out = await run(['--registry', join(dir, 'registry.yaml'), '--gcp-sink']);
    expect(out.stdout.startsWith('logName:"cloudaudit.googleapis.com"\nAND (')).toBe(true);
    expect(out.stdout.endsWith(')')).toBe(true);
    expect(out.stdout).not.toContain('receiveTimestamp');
  });

  it('--json prints one object with both clouds', async () => {
    const out = await run(['--registry', join(dir, 'registry.yaml'), '--json', '--now', '2026-11-18T14:00:00Z']);
    const parsed = JSON.parse(out.stdout) as {
      gcp: { sinkFilter: string; pollFilter: string };
      azure: { table: string; kql: string }[];
    };
    expect(parsed.gcp.pollFilter.startsWith(`(${parsed.gcp.sinkFilter})`)).toBe(true);
    expect(parsed.azure.map((q) => q.table)).toEqual([
      'SigninLogs',
      'AADNonInteractiveUserSignInLogs',
      'AuditLogs',
      'AzureActivity',
    ]);
  });

  it('fails with exit 1 naming the registry entry whose value cannot be quoted', async () => {
    const out = await run(['--registry', join(dir, 'bad.yaml')]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(
      /bad\.yaml: .*accounts\[0\] \(id entra-bad\) field match\.userPrincipalName: value contains a control character/,
    );
    expect(out.stdout).toBe('');
  });

  it('needs --registry and a valid --now', async () => {
    await expect(run([])).rejects.toThrow(UsageError);
    await expect(run(['--registry', join(dir, 'registry.yaml'), '--now', 'yesterday'])).rejects.toThrow(/--now/);
    expect(FILTERS_USAGE.split('\n')[0]).toBe(
      'glasswatch filters --registry FILE [--json | --gcp-sink | --aws] [--now ISO]',
    );
  });
});
