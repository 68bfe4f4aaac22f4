import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { readFixtureJsonl, readFixtureText } from '../../support/fixtures.js';
import { VAULT_ROOT_ACCOUNT } from '../../support/vault-registry.js';

/**
 * A HashiCorp Vault audit device file in a replay, as a user runs it: the read of the AWS root credential
 * from its Vault path and the root sign-in minutes later (CloudTrail, another file of the same folder)
 * are one incident on the AWS account; the audit file alone, gzip'd, is still an incident.
 */

let dir: string;
let registry: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'glasswatch-vault-'));
  registry = join(dir, 'registry.yaml');
  await writeFile(
    registry,
    `accounts:
${VAULT_ROOT_ACCOUNT}
responders:
  outbox: { dir: ${JSON.stringify(join(dir, 'outbox'))} }
`,
  );
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const AUDIT = readFixtureText('vault/written-from-docs/audit.log');
/** The approved read (request and response entries): the first two lines. */
const OPENING = AUDIT.split('\n').slice(0, 2).join('\n');
const [signIn] = readFixtureJsonl<{ event: Record<string, unknown> }>(
  'aws/aws-docs-cc-by-sa/act_root_console_login.jsonl',
);

interface IncidentLine {
  account: string;
  cloud: string;
  detections: string[];
  eventCount: number;
  severity: string;
}

async function replay(path: string) {
  const run = await runCli(['replay', '--registry', registry, '--ephemeral', '--json', path]);
  return { run, incidents: run.stdout.map((l) => JSON.parse(l) as IncidentLine) };
}

describe('replay: a Vault read opens the session', () => {
  it('the approved Vault read then the root sign-in two minutes later are one incident on the AWS account', async () => {
    const logs = join(dir, 'logs');
    await mkdir(logs);
    await writeFile(join(logs, 'vault-audit.log'), `${OPENING}\n`);
    const login = { ...signIn?.event, eventTime: '2026-11-20T11:00:00Z', eventID: 'signin-after-vault-read' };
    await writeFile(join(logs, 'trail.json'), JSON.stringify({ Records: [login] }));
    const { run, incidents } = await replay(logs);
    expect(run.code).toBe(0);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ account: 'aws-prod-root', cloud: 'aws', eventCount: 2, severity: 'critical' });
    expect(incidents[0]?.detections).toEqual(expect.arrayContaining(['credential.access', 'signin.success']));
    expect(incidents[0]?.detections).not.toContain('signin.without-opening');
    expect(run.stderr.join('\n')).toContain('vault.request 1');
  });

  it('the whole audit file alone, gzip-compressed, is one incident of openings and store changes, nothing in error', async () => {
    const file = join(dir, 'audit.log.gz');
    await writeFile(file, gzipSync(AUDIT));
    const { run, incidents } = await replay(file);
    expect(run.code).toBe(0);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ account: 'aws-prod-root', cloud: 'aws', eventCount: 5, severity: 'critical' });
    expect(incidents[0]?.detections).toEqual(['credential.access', 'account.change']);
    expect(run.stderr.join('\n')).toContain('4 skipped (kinds not read: vault.other-operation 1, vault.request 3)');
    expect(run.stderr.filter((line) => line.startsWith('error'))).toEqual([]);
  });
});
