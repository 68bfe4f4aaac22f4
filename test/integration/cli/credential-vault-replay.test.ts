import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
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

interface TimelineEvent {
  actor: string;
  note?: string;
  time: string;
  opening?: { approval: string };
}

describe('replay: Vault control groups and response wrapping (test/fixtures/vault/control-group/audit.log)', () => {
  const CONTROL = readFixtureText('vault/control-group/audit.log').split('\n');
  const part = (from: number, to: number) => `${CONTROL.slice(from - 1, to).join('\n')}\n`;

  it('held read, authorization, unwrap: one high incident whose timeline names the approver and the unwrap', async () => {
    const file = join(dir, 'audit.log');
    await writeFile(file, part(1, 4));
    const { run, incidents } = await replay(file);
    expect(run.code).toBe(0);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ account: 'aws-prod-root', eventCount: 3, severity: 'high' });
    const events = (incidents[0] as unknown as { events: TimelineEvent[] }).events;
    expect(events.map((e) => e.actor)).toEqual(['userpass-dev', 'oidc-manager@example.com', '(unknown)']);
    expect(events.map((e) => e.opening?.approval)).toEqual(['held', undefined, 'authorized']);
    expect(events[0]?.note).toMatch(
      /^opened through a Vault control group \/ response wrapping, accessor hmac-sha256:/,
    );
    expect(events[1]?.note).toBe(
      'Vault control-group authorization by oidc-manager@example.com of the held read of HashiCorp Vault secret/data/breakglass/aws-root',
    );
    expect(events[2]?.note).toContain('authorized by oidc-manager@example.com');
    expect(events[2]?.time).toBe('2026-11-20T12:04:20.000Z');
    // The page says how it was opened and who authorized it.
    const files = await readdir(join(dir, 'outbox'), { recursive: true, withFileTypes: true });
    const outbox = (
      await Promise.all(files.filter((f) => f.isFile()).map((f) => readFile(join(f.parentPath, f.name), 'utf8')))
    ).join('\n');
    expect(outbox).toContain('opened through a Vault control group / response wrapping, accessor hmac-sha256:');
    expect(outbox).toContain('authorized by oidc-manager@example.com');
  });

  it('the read replayed first, the authorization and unwrap in a later replay into the same store: the later run reports the incident', async () => {
    const state = join(dir, 'state');
    const run = async (name: string, text: string) => {
      const file = join(dir, name);
      await writeFile(file, text);
      const result = await runCli(['replay', '--registry', registry, '--state', state, '--json', file]);
      expect(result.code).toBe(0);
      return result.stdout.map((l) => JSON.parse(l) as IncidentLine);
    };
    expect(await run('first.log', part(1, 2))).toMatchObject([{ eventCount: 1, severity: 'high' }]);
    expect(await run('second.log', part(3, 4))).toMatchObject([
      { account: 'aws-prod-root', eventCount: 3, severity: 'high' },
    ]);
  });

  it('a held read unwrapped with no authorization recorded is critical, "unwrapped without a recorded authorization"', async () => {
    const file = join(dir, 'audit.log');
    await writeFile(file, part(5, 6));
    const { incidents } = await replay(file);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ account: 'aws-prod-root', eventCount: 2, severity: 'critical' });
    const events = (incidents[0] as unknown as { events: TimelineEvent[] }).events;
    expect(events[1]?.note).toContain('unwrapped without a recorded authorization');
    expect(events[1]?.opening?.approval).toBe('outside');
  });

  it('the wrapped read of another secret, its authorization and its unwrap are no incident', async () => {
    const file = join(dir, 'audit.log');
    await writeFile(file, part(7, 9));
    const { run, incidents } = await replay(file);
    expect(run.code).toBe(0);
    expect(incidents).toEqual([]);
  });

  it("a device with hmac_accessor=false (plain accessors): the unwrap still joins by token and accessor; the authorization, whose request data is HMAC'd, cannot", async () => {
    const hmac = (JSON.parse(CONTROL[1] ?? '{}') as { response: { wrap_info: { accessor: string } } }).response
      .wrap_info.accessor;
    const plain = part(1, 4).replaceAll(hmac, '8609694a-cdbc-db9b-d345-e782dbb562ed');
    const authorize = CONTROL[2] ?? '';
    const file = join(dir, 'audit.log');
    // The read, the unwrap with plain accessors; the authorization as the device writes it (data HMAC'd).
    await writeFile(file, plain.replace(authorize.replaceAll(hmac, '8609694a-cdbc-db9b-d345-e782dbb562ed'), authorize));
    const { incidents } = await replay(file);
    expect(incidents).toHaveLength(1);
    const events = (incidents[0] as unknown as { events: TimelineEvent[] }).events;
    expect(events.map((e) => e.actor)).toEqual(['userpass-dev', '(unknown)']);
    expect(events[1]?.note).toContain('unwrapped without a recorded authorization');
  });

  it('the whole file: the two held reads of the break-glass secret, nothing of the other, nothing in error', async () => {
    const file = join(dir, 'audit.log');
    await writeFile(file, CONTROL.join('\n'));
    const { run, incidents } = await replay(file);
    expect(run.code).toBe(0);
    // Two hours apart: two sessions.
    expect(incidents.map((i) => [i.severity, i.eventCount])).toEqual([
      ['high', 3],
      ['critical', 2],
    ]);
    expect(run.stderr.filter((line) => line.startsWith('error'))).toEqual([]);
  });
});
