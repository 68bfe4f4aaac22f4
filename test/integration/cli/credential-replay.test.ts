import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PostureReport } from '../../../shared/core/assure/report.js';
import { runCli } from '../../support/cli.js';
import { readFixtureJsonl } from '../../support/fixtures.js';

/**
 * The opening of the envelope in a replay, as a user runs it: a read of the root credential from its
 * Secrets Manager secret and the root sign-in minutes later are one incident; a read with no sign-in
 * is still an incident of its own.
 */

let dir: string;
let registry: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'glasswatch-credential-'));
  registry = join(dir, 'registry.yaml');
  await writeFile(
    registry,
    `accounts:
  - id: aws-prod-root
    cloud: aws
    match: { arn: "arn:aws:iam::111122223333:root" }
    credential:
      stores: [{ secretsManager: prod/breakglass/root }]
      approvedReaders: ["arn:aws:iam::111122223333:role/BreakGlassCustodian"]
`,
  );
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const reads = new Map(
  readFixtureJsonl<{ name: string; event: Record<string, unknown> }>(
    'aws/written-from-docs/credential_reads.jsonl',
  ).map((r) => [r.name, r.event]),
);
const [signIn] = readFixtureJsonl<{ event: Record<string, unknown> }>(
  'aws/aws-docs-cc-by-sa/act_root_console_login.jsonl',
);

async function replay(records: Record<string, unknown>[]) {
  const log = join(dir, 'trail.json');
  await writeFile(log, JSON.stringify({ Records: records }));
  const run = await runCli(['replay', '--registry', registry, '--ephemeral', '--json', log]);
  return {
    run,
    incidents: run.stdout.map(
      (l) => JSON.parse(l) as { detections: string[]; eventCount: number; account: string; severity: string },
    ),
  };
}

describe('replay: the credential read opens the session', () => {
  it('an opening then the sign-in five minutes later are one incident with both', async () => {
    const opening = reads.get('custodian-get-full-arn') as Record<string, unknown>;
    const { run, incidents } = await replay([
      opening,
      { ...signIn?.event, eventTime: '2026-11-20T10:05:00Z', eventID: 'signin-after-opening' },
    ]);
    expect(run.code).toBe(0);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ account: 'aws-prod-root', eventCount: 2 });
    expect(incidents[0]?.detections).toEqual(expect.arrayContaining(['credential.access', 'signin.success']));
  });

  it('the sign-in after an opening is not "without opening"; a sign-in with none in the 12 h before is', async () => {
    const opening = reads.get('custodian-get-full-arn') as Record<string, unknown>;
    const opened = await replay([
      opening,
      { ...signIn?.event, eventTime: '2026-11-20T10:05:00Z', eventID: 'signin-after-opening' },
    ]);
    expect(opened.incidents[0]?.detections).not.toContain('signin.without-opening');
    const bare = await replay([{ ...signIn?.event, eventTime: '2026-11-20T10:05:00Z', eventID: 'signin-alone' }]);
    expect(bare.incidents).toHaveLength(1);
    expect(bare.incidents[0]?.detections).toEqual(expect.arrayContaining(['signin.success', 'signin.without-opening']));
  });

  it('an opening alone is still an incident: credential read, no use seen', async () => {
    const { incidents } = await replay([reads.get('dev-get-name') as Record<string, unknown>]);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({
      account: 'aws-prod-root',
      detections: ['credential.access'],
      eventCount: 1,
      severity: 'critical',
    });
  });

  it("the posture report reads the last opening from the store the replay wrote: who, through which store, approved or not; a drill's read is none", async () => {
    const state = join(dir, 'db');
    const log = join(dir, 'trail.json');
    await writeFile(log, JSON.stringify({ Records: [reads.get('custodian-get-full-arn'), reads.get('dev-get-name')] }));
    expect((await runCli(['replay', '--registry', registry, '--state', state, log])).code).toBe(0);
    expect((await runCli(['drill', '--registry', registry, '--state', state, '--account', 'aws-prod-root'])).code).toBe(
      0,
    );
    const out = join(dir, 'posture.html');
    expect((await runCli(['report', '--registry', registry, '--state', state, '--out', out])).code).toBe(0);
    const report = JSON.parse(await readFile(join(dir, 'posture.json'), 'utf8')) as PostureReport;
    expect(report.accounts[0]?.credential).toMatchObject({
      stores: ['AWS Secrets Manager prod/breakglass/root'],
      approvedReaders: ['arn:aws:iam::111122223333:role/BreakGlassCustodian'],
      lastOpening: {
        time: '2026-11-20T10:01:00.000Z',
        reader: 'dev-mallory',
        store: 'AWS Secrets Manager prod/breakglass/root',
        approval: 'outside',
        drill: false,
      },
      rotation: { status: 'overdue', at: '2026-11-22T10:01:00.000Z' },
    });
    const html = await readFile(out, 'utf8');
    expect(html).toContain('<span class="wf-bad">outside the approval path</span>');
  });
});
