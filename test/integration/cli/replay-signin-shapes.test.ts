import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { fixturePath, readFixtureJsonl } from '../../support/fixtures.js';

/**
 * `glasswatch replay` on sign-in shapes written from the vendors' documentation, end to end: the finding
 * kinds of each break-glass account, and the one-line page (who, where, MFA wording, signed in vs failed).
 * The same records of a principal not in the registry open nothing.
 */

const REGISTRY = `
accounts:
  - id: root-a
    cloud: aws
    match: { arn: "arn:aws:iam::111122223333:root" }
  - id: bg-idc
    cloud: aws
    match: { userName: bg-idc-admin, accountId: "111122223333" }
  - id: entra-ea1
    cloud: azure
    match: { userPrincipalName: ea1@contoso.onmicrosoft.com }
  - id: entra-ea2
    cloud: azure
    match: { objectId: 5a1b2c3d-1111-2222-3333-444455556666 }
  - id: gws-super-admin
    cloud: gcp
    match: { email: breakglass@example.com }
`;

interface IncidentLine {
  account: string;
  detections: string[];
  severity: string;
  id: string;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'glasswatch-signin-shapes-'));
  await writeFile(
    join(dir, 'registry.yaml'),
    `${REGISTRY}responders:\n  outbox: { dir: ${JSON.stringify(join(dir, 'outbox'))} }\n`,
  );
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Replays the files; returns the incidents and each incident's page headline ("… signed in to …"). */
async function replay(files: string[]): Promise<{ incidents: IncidentLine[]; pages: Map<string, string> }> {
  const run = await runCli([
    'replay',
    '--registry',
    join(dir, 'registry.yaml'),
    '--json',
    '--state',
    join(dir, 'state'),
    ...files,
  ]);
  expect(run.stderr.filter((line) => /error/i.test(line))).toEqual([]);
  expect(run.code).toBe(0);
  const incidents = run.stdout.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as IncidentLine);
  const pages = new Map<string, string>();
  const pageDir = join(dir, 'outbox', 'pages');
  for (const name of await readdir(pageDir).catch(() => [])) {
    const text = await readFile(join(pageDir, name), 'utf8');
    pages.set(name.replace(/\.txt$/, ''), text.split('\n')[2] ?? '');
  }
  return { incidents, pages };
}

/** A fixture copied into the run's folder (under its own name): its path there. */
async function copied(fixture: string): Promise<string> {
  const path = join(dir, basename(fixture));
  await copyFile(fixturePath(fixture), path);
  return path;
}

async function jsonl(name: string, rows: unknown[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
  return path;
}

describe('glasswatch replay: sign-in shapes written from the documentation', () => {
  it('Identity Center, current format: the named password challenge is an attempt, never "signed in"', async () => {
    const rows = readFixtureJsonl<{ name: string; event: unknown }>(
      'aws/written-from-docs/identity_center_signin_current.jsonl',
    );
    const failed = await jsonl(
      'idc.jsonl',
      rows.filter((r) => r.name.startsWith('failure') || r.name.startsWith('other')).map((r) => r.event),
    );
    const { incidents, pages } = await replay([failed]);
    expect(incidents.map((i) => [i.account, [...i.detections].sort(), i.severity])).toEqual([
      ['bg-idc', ['signin.attempt'], 'high'],
    ]);
    const page = pages.get(incidents[0]?.id ?? '') ?? '';
    expect(page).toContain('bg-idc-admin tried to sign in to AWS 111122223333 from 203.0.113.12');
    expect(page).toContain('MFA unknown');
  });

  it('Microsoft Graph signIns: a page and single objects, by UPN and by object id', async () => {
    const page = await copied('azure/written-from-docs/graph_signins.page.json');
    const lines = await copied('azure/written-from-docs/graph_signins.jsonl');
    const { incidents, pages } = await replay([page, lines]);
    const of = (account: string) => incidents.filter((i) => i.account === account);
    expect(incidents.map((i) => i.account).sort()).toEqual(['entra-ea1', 'entra-ea2']);
    expect([...(of('entra-ea1')[0]?.detections ?? [])].sort()).toEqual(['signin.failure', 'signin.success']);
    expect(pages.get(of('entra-ea1')[0]?.id ?? '')).toMatch(
      /^Session ended · ea1@contoso\.onmicrosoft\.com \(Emergency Admin 1\) signed in to Azure 72f988bf-86f1-41af-91ab-2d7cd011db47 from 203\.0\.113\.77 \(Redmond, Washington, US\) · with MFA · critical$/,
    );
    expect([...(of('entra-ea2')[0]?.detections ?? [])].sort()).toEqual([
      'signin.failure',
      'signin.success',
      'signin.without-mfa',
    ]);
    expect(pages.get(of('entra-ea2')[0]?.id ?? '')).toContain('without MFA');
  });

  it('Workspace login audit from the Reports API: signed in with MFA after a failed password, not "without MFA"', async () => {
    const page = await copied('gcp/written-from-docs/reports_login_activities.json');
    const { incidents, pages } = await replay([page]);
    expect(incidents.map((i) => [i.account, [...i.detections].sort(), i.severity])).toEqual([
      ['gws-super-admin', ['signin.failure', 'signin.success'], 'critical'],
    ]);
    expect(pages.get(incidents[0]?.id ?? '')).toBe(
      'Session ended · breakglass@example.com signed in to GCP C03az79cb from 203.0.113.41 · with MFA · critical',
    );
  });

  it('Identity Center portal Federate (AwsServiceEvent): the break-glass user opening an account is activity', async () => {
    const rows = readFixtureJsonl<{ event: unknown }>('aws/written-from-docs/identity_center_portal.jsonl');
    const { incidents, pages } = await replay([
      await jsonl(
        'portal.jsonl',
        rows.map((r) => r.event),
      ),
    ]);
    expect(incidents.map((i) => [i.account, i.detections, i.severity])).toEqual([['bg-idc', ['activity'], 'critical']]);
    expect(pages.get(incidents[0]?.id ?? '')).toContain(
      'bg-idc-admin was active in AWS 111122223333 from 203.0.113.12',
    );
  });

  it('CloudTrail LookupEvents output: root signed in with MFA after a failed attempt, then changed keys', async () => {
    const path = await copied('aws/written-from-docs/lookup_events.json');
    const { incidents, pages } = await replay([path]);
    expect(incidents.map((i) => [i.account, [...i.detections].sort(), i.severity])).toEqual([
      ['root-a', ['activity', 'signin.failure', 'signin.success'], 'critical'],
    ]);
    expect(pages.get(incidents[0]?.id ?? '')).toContain(
      'root (111122223333) signed in to AWS 111122223333 from 192.0.2.110 · Firefox/120 on Linux · with MFA · critical',
    );
  });

  it('GCP: a call a service account made for the break-glass account impersonating it is its activity', async () => {
    const path = await copied('gcp/written-from-docs/service_account_delegation.jsonl');
    const { incidents, pages } = await replay([path]);
    expect(incidents.map((i) => [i.account, i.detections, i.severity])).toEqual([
      ['gws-super-admin', ['activity'], 'critical'],
    ]);
    expect(pages.get(incidents[0]?.id ?? '')).toContain(
      'breakglass@example.com via deployer@prod-project-123.iam.gserviceaccount.com was active in GCP prod-project-123 from 203.0.113.200',
    );
  });

  it('Log Analytics SigninLogs rows with dynamic columns as JSON text; a row without a status is an attempt', async () => {
    const path = await copied('azure/written-from-docs/signinlogs_rows.jsonl');
    const { incidents, pages } = await replay([path]);
    expect(incidents.map((i) => [i.account, [...i.detections].sort(), i.severity])).toEqual([
      ['entra-ea1', ['signin.attempt', 'signin.failure', 'signin.success'], 'critical'],
    ]);
    expect(pages.get(incidents[0]?.id ?? '')).toContain(
      'EA1@contoso.onmicrosoft.com (Emergency Admin 1) signed in to Azure 72f988bf-86f1-41af-91ab-2d7cd011db47 from 198.51.100.23 (Redmond, Washington, US) · with MFA',
    );
  });
});
