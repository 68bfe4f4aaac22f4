import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { readFixtureJson, readFixtureJsonl } from '../../support/fixtures.js';

type Doc = Record<string, unknown>;

/** The AWS docs' console sign-in samples (CC-BY-SA-4.0), unwrapped from their provenance wrapper. */
function consoleSignInRecords(): Doc[] {
  const docs = readFixtureJsonl<{ event: Doc }>('aws/aws-docs-cc-by-sa/cloudtrail_console_signin_examples.jsonl');
  return docs.flatMap(({ event }) => (Array.isArray(event.Records) ? (event.Records as Doc[]) : [event]));
}

const rootRecords = () =>
  consoleSignInRecords().filter((r) => (r.userIdentity as Doc).arn === 'arn:aws:iam::111122223333:root');

/** Wraps a record the way EventBridge delivers it (shape of the AWS docs' EventBridge example). */
function asEventBridge(record: Doc): Doc {
  const signIn = record.eventSource === 'signin.amazonaws.com';
  return {
    version: '0',
    id: `eb-${record.eventID}`,
    'detail-type': signIn ? 'AWS Console Sign In via CloudTrail' : 'AWS API Call via CloudTrail',
    source: signIn ? 'aws.signin' : 'aws.iam',
    account: '111122223333',
    time: record.eventTime,
    region: 'us-east-1',
    resources: [],
    detail: record,
  };
}

const REGISTRY = `
accounts:
  - id: aws-prod-root
    cloud: aws
    match: { arn: "arn:aws:iam::111122223333:root" }
  - id: docs-root
    cloud: aws
    match: { arn: "arn:aws:iam::123456789012:root" }
drills:
  - { account: docs-root, start: "2016-02-20T00:00:00Z", end: "2016-02-20T02:00:00Z" }
`;

let dir: string;
let registry: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'glasswatch-replay-'));
  registry = join(dir, 'registry.yaml');
  // No vendor configured: responders write to the local outbox, kept inside the test's folder.
  await writeFile(registry, `${REGISTRY}responders:\n  outbox: { dir: ${JSON.stringify(join(dir, 'outbox'))} }\n`);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function parseIncidents(lines: string[]): Doc[] {
  return lines.map((line) => JSON.parse(line) as Doc);
}

describe('glasswatch replay', () => {
  it('turns one root session into one incident with every detection, counting each event once', async () => {
    const file = join(dir, 'console.jsonl');
    await writeFile(
      file,
      `${consoleSignInRecords()
        .map((r) => JSON.stringify(r))
        .join('\n')}\n`,
    );
    const run = await runCli(['replay', '--registry', registry, '--json', '--ephemeral', file]);
    // With --json, stdout is incidents only; the responders' report goes to stderr.
    expect(run.stderr.filter((line) => line.startsWith('error'))).toEqual([]);
    expect(run.stderr).toContain('Responders:');
    expect(run.code).toBe(0);
    const [incident, ...others] = parseIncidents(run.stdout);
    expect(others).toEqual([]);
    expect(incident).toMatchObject({
      account: 'aws-prod-root',
      cloud: 'aws',
      severity: 'critical',
      drill: false,
      firstSeen: '2022-11-10T16:24:34.000Z',
      lastSeen: '2022-11-10T16:24:34.000Z',
    });
    expect(incident?.detections).toEqual(
      expect.arrayContaining(['signin.success', 'signin.without-mfa', 'signin.failure', 'activity', 'account.change']),
    );
    // deb1e1f9 appears twice in the docs (once MFAUsed No, once YES): the same event, counted once.
    const ids = ((incident?.events ?? []) as Doc[]).map((e) => e.id);
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(4);
    expect(incident?.id).toMatch(/^gw-[0-9a-f]{20}$/);
    // With no vendor configured, the page and the ticket are written to the outbox.
    const page = await readFile(join(dir, 'outbox', 'pages', `${incident?.id}.txt`), 'utf8');
    expect(page).toMatch(/root \(111122223333\) signed in to AWS 111122223333 from 192\.0\.2\.0 .* without MFA/);
  });

  it('counts an event once when the S3 file (gzip) and EventBridge both deliver it, and the id is stable', async () => {
    const records = rootRecords();
    const logs = join(dir, 'logs');
    await mkdir(logs);
    await writeFile(join(logs, 'trail.json.gz'), gzipSync(JSON.stringify({ Records: records })));
    await writeFile(join(logs, 'eventbridge.jsonl'), records.map((r) => JSON.stringify(asEventBridge(r))).join('\n'));
    const both = await runCli(['replay', '--registry', registry, '--json', '--ephemeral', logs]);
    const onlyS3 = await runCli([
      'replay',
      '--registry',
      registry,
      '--json',
      '--ephemeral',
      join(logs, 'trail.json.gz'),
    ]);
    const [fromBoth] = parseIncidents(both.stdout);
    const [fromS3] = parseIncidents(onlyS3.stdout);
    expect(both.code).toBe(0);
    expect(fromBoth?.eventCount).toBe(4);
    expect(fromBoth?.id).toBe(fromS3?.id);
    // Same events and kinds; only `origin` says which delivery was read first.
    const withoutOrigin = (events: unknown) => (events as Doc[]).map(({ origin: _o, ...rest }) => rest);
    expect(withoutOrigin(fromBoth?.events)).toEqual(withoutOrigin(fromS3?.events));
  });

  it('marks a session inside a drill window as a drill, never critical', async () => {
    const docs = readFixtureJsonl<{ event: Doc }>('aws/aws-docs-cc-by-sa/eventbridge_cloudtrail_examples.jsonl');
    const file = join(dir, 'eb.json');
    await writeFile(file, JSON.stringify(docs.map((d) => d.event)));
    const run = await runCli(['replay', '--registry', registry, '--json', '--ephemeral', file]);
    const incidents = parseIncidents(run.stdout);
    expect(incidents.map((i) => [i.firstSeen, i.drill, i.severity])).toEqual([
      ['2016-01-05T18:21:27.000Z', false, 'critical'], // console sign-in without MFA, outside the window
      ['2016-02-20T01:09:13.000Z', true, 'low'], // root CreateBucket inside the declared drill
    ]);
  });

  it('reports malformed input with file and line, processes every other record, and exits 2', async () => {
    const [good] = rootRecords();
    const stop = readFixtureJson<Doc[]>('aws/stratus-red-team/aws.defense-evasion.cloudtrail-stop.json')[0] as Doc;
    const { eventTime: _dropped, ...noTime } = good as Doc;
    const lines = [
      JSON.stringify(good),
      '{"eventVersion": "1.08", "truncated',
      JSON.stringify({ hello: 'world' }),
      JSON.stringify({ ...noTime, eventID: 'no-time' }),
      JSON.stringify(stop),
    ];
    const file = join(dir, 'mixed.jsonl');
    await writeFile(file, lines.join('\n'));
    const run = await runCli([
      'replay',
      '--registry',
      registry,
      '--json',
      '--ephemeral',
      file,
      join(dir, 'missing.json'),
    ]);
    expect(run.code).toBe(1); // a path that does not exist is a usage error, reported before any work
    const partial = await runCli(['replay', '--registry', registry, '--json', '--ephemeral', file]);
    expect(partial.code).toBe(2);
    const errors = partial.stderr.join('\n');
    expect(errors).toContain(`${file}:2: not valid JSON`);
    expect(errors).toMatch(new RegExp(`${file}:3: unknown record shape`));
    expect(errors).toMatch(new RegExp(`${file}:4: .*eventTime`));
    const incidents = parseIncidents(partial.stdout);
    expect(incidents.map((i) => i.account)).toEqual(expect.arrayContaining(['aws-prod-root', null]));
    const tamper = incidents.find((i) => i.account === null);
    // Stratus StopLogging and DeleteTrail: the tamper table rates both critical.
    expect(tamper).toMatchObject({ detections: ['audit.tamper'], severity: 'critical' });
    expect(String(tamper?.principal)).toContain('christophe');
  });

  it('skips and counts what is not an audit record of a principal (Insights, an anomaly alert) and exits 0', async () => {
    const insights = readFixtureJson<{ Records: Doc[] }>(
      'aws/aws-docs-cc-by-sa/cloudtrail-log-file-examples/example07_insights.json',
    );
    const [root] = rootRecords();
    const alert = { ...asEventBridge(root as Doc), 'detail-type': 'Sign-in Anomaly Alert', detail: {} };
    const signin = { ...asEventBridge(root as Doc), 'detail-type': 'AWS Console Signin via CloudTrail' };
    await writeFile(join(dir, 'trail.json'), JSON.stringify({ Records: [...insights.Records, root] }));
    await writeFile(join(dir, 'events.jsonl'), [alert, signin].map((e) => JSON.stringify(e)).join('\n'));
    const run = await runCli(['replay', '--registry', registry, '--ephemeral', '--no-respond', dir]);
    expect(run.stderr).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.stdout[0]).toMatch(
      /4 records, 2 events, .* 0 error\(s\), 3 skipped \(kinds not read: aws\.insight 2, aws\.signin-anomaly-alert 1\)/,
    );
    const json = await runCli(['replay', '--registry', registry, '--ephemeral', '--no-respond', '--json', dir]);
    expect(json.code).toBe(0);
    expect(json.stderr).toEqual([
      'Glasswatch replay: 3 skipped (kinds not read: aws.insight 2, aws.signin-anomaly-alert 1)',
    ]);
    expect(json.stdout.map((line) => (JSON.parse(line) as { account: string }).account)).toEqual(['aws-prod-root']);
  });

  it('keeps state between runs: a second replay extends nothing and still reports the incident', async () => {
    const file = join(dir, 'console.jsonl');
    await writeFile(
      file,
      rootRecords()
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const state = join(dir, 'state');
    const first = await runCli(['replay', '--registry', registry, '--state', state, file]);
    const second = await runCli(['replay', '--registry', registry, '--state', state, file]);
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(first.stdout.join('\n')).toContain('aws-prod-root');
    expect(second.stdout.join('\n')).toContain('unchanged: already recorded by an earlier replay');
  });

  it('refuses a broken registry naming the file, entry and field', async () => {
    await writeFile(registry, REGISTRY.replace('cloud: aws', 'cloud: ibm')); // no outbox needed: refused first
    const run = await runCli(['replay', '--registry', registry, dir]);
    expect(run.code).toBe(1);
    expect(run.stderr.join('\n')).toMatch(
      /registry\.yaml: invalid break-glass registry[\s\S]*accounts\[0\] \(id aws-prod-root\) field cloud/,
    );
  });
});
